#!/usr/bin/python3
"""Golden outputs of OpenCV's `cv2.resize(img, (w, h), interpolation=cv2.INTER_LINEAR)` on 8-bit
BGR images (GenEval's detector preprocessing: mmcv.imrescale with the cv2 backend), from Debian's
python3-opencv. Per image and target size: the sha256 of the output bytes and a few sampled values.

Inputs: the project's test photos (tools/fixtures/test-images.ts, written by that script first; the
tests make the same files), read with cv2.imread(IMREAD_COLOR), which applies an EXIF orientation
(the tests read them upright too).

Regenerate:
  /usr/bin/python3 tools/parity/opencv_resize_golden.py [--images DIR] [--out tests/golden/opencv-resize.json]
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


def describe(arr):
    flat = arr.reshape(-1)
    picks = np.linspace(0, flat.size - 1, 12).round().astype(np.int64)
    return {"shape": list(arr.shape), "sha256": hashlib.sha256(arr.tobytes()).hexdigest(),
            "sample_index": picks.tolist(), "sample": [int(v) for v in flat[picks]]}


def mmcv_rescale_size(h, w, scale=(1333, 800)):
    """mmcv.imrescale's target size for keep_ratio=True: (new_w, new_h)."""
    factor = min(max(scale) / max(h, w), min(scale) / min(h, w))
    return int(w * factor + 0.5), int(h * factor + 0.5)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--images", help="folder of test images (default: generate them with tools/fixtures/test-images.ts)")
    ap.add_argument("--out", default=os.path.join(pc.ROOT, "tests", "golden", "opencv-resize.json"))
    a = ap.parse_args()
    media, out = a.images or pc.make_test_images()[0], a.out
    result = {"generator": "tools/parity/opencv_resize_golden.py", "images_from": "tools/fixtures/test-images.ts", "opencv": cv2.__version__,
              "simd": cv2.getBuildInformation().split("CPU/HW features:")[1].split("\n\n")[0].strip().splitlines()[:4],
              "images": {}}
    for name in sorted(os.listdir(media)):
        if not name.lower().endswith((".jpg", ".png")):
            continue
        img = cv2.imread(os.path.join(media, name), cv2.IMREAD_COLOR)
        h, w = img.shape[:2]
        sizes = {
            "mmcv_1333x800": mmcv_rescale_size(h, w),
            "down_odd": (w // 3 + 1, h // 2 + 3),
            "up_odd": (int(w * 1.37) | 1, int(h * 1.21) | 1),
            "half": (w // 2, h // 2),
            "same": (w, h),
            "tiny": (7, 5),
        }
        entry = {"decoded": describe(img)}
        for key, (nw, nh) in sizes.items():
            r = cv2.resize(img, (nw, nh), interpolation=cv2.INTER_LINEAR)
            entry[key] = {"size": [nw, nh], **describe(r)}
        result["images"][name] = entry
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
