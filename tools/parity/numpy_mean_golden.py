#!/usr/bin/python3
"""Golden values for src/core/numpy-mean.ts: numpy's np.sum / np.mean of float64 lists
(pairwise summation), on lengths around numpy's block boundaries. Writes tests/golden/numpy-mean.json."""
import json
import random

import numpy as np

r = random.Random(7)
out = []
for n in [0, 1, 3, 7, 8, 9, 15, 16, 17, 100, 128, 129, 130, 255, 256, 257, 1000, 4097]:
    v = [r.uniform(-1, 1) * 10 ** r.randint(-3, 6) for _ in range(n)]
    out.append({"values": v, "sum": float(np.sum(np.array(v))),
                "mean": float(np.mean(np.array(v))) if n else None, "naive": sum(v)})
json.dump({"numpy": np.__version__, "cases": out}, open("tests/golden/numpy-mean.json", "w"))
