#!/usr/bin/python3
"""Golden values for src/suites/vbench/temporal-flickering-math.ts from the OFFICIAL functions
(calculate_mae and mae_seq of vbench/temporal_flickering.py at the pinned commit, loaded as in
vbench_temporal_flickering_golden.py) on synthetic uint8 frames that TypeScript rebuilds from the
same integer formula, so only the results are stored:

  frame(n, a, b)[i] = (i * a + b) mod 256             ("far": every value changes)
  near(n, k)[i]     = min(255, frame(n, 7919, 13)[i] + (i * P[k] + k) mod 5)   ("near": small changes)
  mixed(n, k)[i]    = ((i mod M[k]) * (i mod N[k])) mod 256   ("mixed": not periodic in i)

Writes tests/golden/temporal-flickering-math.json.
  /usr/bin/python3 tools/parity/temporal_flickering_math_golden.py [--vbench PATH] OUT.json
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from vbench_temporal_flickering_golden import COMMIT, load_official, pick_source  # noqa: E402

P = [104729, 1299709, 15485863, 2750159, 49979687]
M = [65521, 65519]
N = [65497, 65479]


def frame(shape, a, b):
    i = np.arange(int(np.prod(shape)), dtype=np.int64)
    return ((i * a + b) % 256).astype(np.uint8).reshape(shape)


def near(shape, k):
    i = np.arange(int(np.prod(shape)), dtype=np.int64)
    base = (i * 7919 + 13) % 256
    return np.minimum(255, base + (i * P[k % len(P)] + k) % 5).astype(np.uint8).reshape(shape)


def mixed(shape, k):
    i = np.arange(int(np.prod(shape)), dtype=np.int64)
    return (((i % M[k]) * (i % N[k])) % 256).astype(np.uint8).reshape(shape)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vbench")
    p.add_argument("out")
    args = p.parse_args()
    tf = load_official(pick_source(args.vbench))
    pairs = []
    for h, w in [(48, 64), (480, 640), (1080, 1920), (2160, 3840)]:
        s = (h, w, 3)
        pairs.append({"h": h, "w": w, "kind": "far", "mae": float(tf.calculate_mae(frame(s, 7919, 13), frame(s, 104729, 101)))})
        pairs.append({"h": h, "w": w, "kind": "near", "mae": float(tf.calculate_mae(near(s, 0), near(s, 1)))})
        pairs.append({"h": h, "w": w, "kind": "mixed", "mae": float(tf.calculate_mae(mixed(s, 0), mixed(s, 1)))})
    videos = []
    for h, w, t in [(120, 160, 5), (16, 16, 40), (36, 64, 300)]:
        frames = [near((h, w, 3), k) for k in range(t)]
        seq = tf.mae_seq(frames)
        # cal_score's own expression, applied to the official mae_seq of these frames.
        score = (255.0 - np.mean(seq).item()) / 255.0
        videos.append({"h": h, "w": w, "frames": t, "pair_maes": [float(x) for x in seq], "score": score})
    scores = [0.9 + ((k * 7919) % 1000) / 1e4 + k * 1e-9 for k in range(300)]
    out = {"what": "official calculate_mae / mae_seq on synthetic frames, and np.mean of scores",
           "official": {"repository": "Vchitect/VBench", "commit": COMMIT}, "numpy": np.__version__,
           "formula": __doc__.split("\n\n")[1], "P": P, "M": M, "N": N, "pairs": pairs, "videos": videos,
           "aggregate": {"scores_formula": "0.9 + ((k * 7919) % 1000) / 1e4 + k * 1e-9, k = 0..299",
                         "mean": float(np.mean(scores))}}
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
