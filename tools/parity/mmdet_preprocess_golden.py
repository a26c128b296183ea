#!/usr/bin/python3
"""Golden of GenEval's detector input (spec §2.2): mmcv.imrescale((1333, 800), bilinear, cv2) →
Pad(size_divisor=32, pad value 128) → mmcv.imnormalize(mean, std, to_rgb=True), reproduced with the
cv2 calls mmcv makes (mmcv itself is not in Debian): img.astype(float32), cv2.cvtColor(BGR2RGB),
cv2.subtract(img, mean[float64]), cv2.multiply(img, 1/std[float64]). Per photo: sha256 of the
float32 CHW tensor, its shape and a few values.

Usage: /usr/bin/python3 tools/parity/mmdet_preprocess_golden.py ../shared/data/media tests/golden/mmdet-preprocess.json
"""
import hashlib
import json
import os
import sys

import cv2
import numpy as np

MEAN = np.array([123.675, 116.28, 103.53], dtype=np.float64).reshape(1, -1)
STD = np.array([58.395, 57.12, 57.375], dtype=np.float64).reshape(1, -1)


def preprocess(img):
    h, w = img.shape[:2]
    factor = min(1333 / max(h, w), 800 / min(h, w))
    nw, nh = int(w * factor + 0.5), int(h * factor + 0.5)
    img = cv2.resize(img, (nw, nh), interpolation=cv2.INTER_LINEAR)
    ph, pw = -(-nh // 32) * 32, -(-nw // 32) * 32
    padded = np.full((ph, pw, 3), 128, dtype=np.uint8)
    padded[:nh, :nw] = img
    x = padded.astype(np.float32)
    cv2.cvtColor(x, cv2.COLOR_BGR2RGB, x)
    cv2.subtract(x, MEAN, x)
    cv2.multiply(x, 1 / STD, x)
    return np.ascontiguousarray(x.transpose(2, 0, 1)), (nh, nw)


def main():
    media, out = sys.argv[1], sys.argv[2]
    res = {"generator": "tools/parity/mmdet_preprocess_golden.py", "opencv": cv2.__version__, "images": {}}
    for name in ["messi5.jpg", "butterfly.jpg", "baboon.jpg", "basketball1.png"]:
        img = cv2.imread(os.path.join(media, name), cv2.IMREAD_COLOR)
        t, (nh, nw) = preprocess(img)
        flat = t.reshape(-1)
        picks = np.linspace(0, flat.size - 1, 12).round().astype(np.int64)
        res["images"][name] = {"shape": list(t.shape), "img_shape": [nh, nw], "sha256": hashlib.sha256(t.tobytes()).hexdigest(),
                               "sample_index": picks.tolist(), "sample": [float(v) for v in flat[picks]]}
    with open(out, "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
