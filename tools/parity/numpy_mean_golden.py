#!/usr/bin/python3
"""Golden values for src/core/numpy-mean.ts and numpy-float32.ts: np.sum / np.mean of float64 and
float32 arrays (pairwise summation in 8192-element buffer chunks), on lengths around numpy's block
and buffer boundaries. Values come from a formula that TypeScript evaluates identically (integer
arithmetic, one IEEE division, one multiplication by a literal), so only results are stored.
Writes tests/golden/numpy-mean.json."""
import json

import numpy as np

SCALES = [1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1000.0, 1e4, 1e5]


def values(n):
    return [(((i * 7919) % 1000003) / 1000003 - 0.5) * SCALES[i % 9] for i in range(n)]


out = []
for n in [0, 1, 3, 7, 8, 9, 15, 16, 17, 100, 128, 129, 130, 255, 256, 257, 1000, 4097, 8192, 8193, 20001]:
    v = values(n)
    a64 = np.array(v, dtype=np.float64)
    a32 = np.array(v, dtype=np.float32)
    out.append({
        "n": n,
        "sum": float(np.sum(a64)), "mean": float(np.mean(a64)) if n else None, "naive": sum(v),
        "sum32": float(np.sum(a32)), "mean32": float(np.mean(a32)) if n else None,
    })
json.dump({"numpy": np.__version__, "scales": SCALES, "cases": out}, open("tests/golden/numpy-mean.json", "w"), indent=0)
