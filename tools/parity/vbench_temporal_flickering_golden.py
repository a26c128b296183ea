#!/usr/bin/python3
"""Golden values for VBench temporal_flickering and for frame decoding.

Runs the official vbench/temporal_flickering.py (from a VBench checkout at commit 45e79ec) on
videos, and records for each: the per-video score (official cal_score), the dimension score over
all readable videos (official temporal_flickering()), the frames OpenCV reads (count and a sha256
per RGB frame) and OpenCV's fps and frame-count properties.

Usage: /usr/bin/python3 tools/parity/vbench_temporal_flickering_golden.py VBENCH_ROOT OUT.json VIDEO...
(the sample and bad videos come from `node --import tsx tools/parity/make-golden-inputs.ts DIR`).
"""
import hashlib
import json
import os
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from official_vbench import load_official_module  # noqa: E402

root, out_path, videos = sys.argv[1], sys.argv[2], sys.argv[3:]
tf = load_official_module(root, "temporal_flickering")

entries = []
for path in videos:
    cap = cv2.VideoCapture(path)
    fps = cap.get(cv2.CAP_PROP_FPS)
    count_prop = cap.get(cv2.CAP_PROP_FRAME_COUNT)
    frames = []
    while cap.isOpened():
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(hashlib.sha256(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB).tobytes()).hexdigest()[:16])
    cap.release()
    e = {"file": os.path.basename(path), "sha256": hashlib.sha256(open(path, "rb").read()).hexdigest(),
         "opencv_fps": fps, "opencv_frame_count": count_prop, "frames_read": len(frames), "frame_sha256_16": frames}
    try:
        with np.errstate(all="ignore"):
            score = tf.cal_score(path)
        e["score"] = "nan" if score != score else score  # one frame: the official code returns NaN
    except AssertionError:
        e["score"] = None  # no readable frame: the official code skips this video
    entries.append(e)

readable = [v for v in videos if isinstance(next(e for e in entries if e["file"] == os.path.basename(v))["score"], float)]
avg, results = tf.temporal_flickering(readable)
json.dump({
    "source": "Vchitect/VBench vbench/temporal_flickering.py @45e79ec14e69a2187202c675d2dbce1a71843d53",
    "opencv": cv2.__version__, "numpy": np.__version__,
    "dimension_score": float(avg), "dimension_order": [os.path.basename(r["video_path"]) for r in results],
    "videos": entries,
}, open(out_path, "w"), indent=1)
print(f"{len(entries)} videos, dimension score {avg!r}")
