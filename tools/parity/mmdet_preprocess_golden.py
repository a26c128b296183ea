#!/usr/bin/python3
"""Golden of GenEval's detector input (spec §2.2): mmcv.imrescale((1333, 800), bilinear, cv2) →
Pad(size_divisor=32, pad value 128) → mmcv.imnormalize(mean, std, to_rgb=True), reproduced with the
cv2 calls mmcv makes (mmcv itself is not in Debian): img.astype(float32), cv2.cvtColor(BGR2RGB),
cv2.subtract(img, mean[float64]), cv2.multiply(img, 1/std[float64]). Per photo: sha256 of the
float32 CHW tensor, its shape and a few values.

Inputs: IMAGES, test photos of tools/fixtures/test-images.ts (written by that script first; the tests
make the same files): JPEGs of odd and wide sizes, a grey PNG, a very wide PNG (the long side caps
the rescale) and an EXIF-rotated JPEG (cv2.imread turns it upright).

Regenerate:
  /usr/bin/python3 tools/parity/mmdet_preprocess_golden.py [--images DIR] [--out tests/golden/mmdet-preprocess.json]
"""
import argparse
import hashlib
import json
import os
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parity_common as pc  # noqa: E402

IMAGES = ["field-548x342.jpg", "wings-493x356.jpg", "fur-texture-512x512.jpg", "court-grey-640x480.png",
          "panorama-1000x61.png", "rotated-exif6-320x200.jpg"]

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
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--images", help="folder of test images (default: generate them with tools/fixtures/test-images.ts)")
    ap.add_argument("--out", default=os.path.join(pc.ROOT, "tests", "golden", "mmdet-preprocess.json"))
    a = ap.parse_args()
    media, out = a.images or pc.make_test_images(None, IMAGES)[0], a.out
    res = {"generator": "tools/parity/mmdet_preprocess_golden.py", "images_from": "tools/fixtures/test-images.ts",
           "opencv": cv2.__version__, "images": {}}
    for name in IMAGES:
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
