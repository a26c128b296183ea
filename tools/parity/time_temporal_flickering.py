#!/usr/bin/python3
"""Times the official VBench temporal_flickering() on videos; prints JSON {seconds, frames, score}.
Usage: /usr/bin/python3 tools/parity/time_temporal_flickering.py VBENCH_ROOT VIDEO..."""
import json
import os
import sys
import time

import cv2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from official_vbench import load_official_module  # noqa: E402

tf = load_official_module(sys.argv[1], "temporal_flickering")
videos = sys.argv[2:]
t0 = time.perf_counter()
score, results = tf.temporal_flickering(videos)
seconds = time.perf_counter() - t0
frames = sum(int(len(tf.get_frames(v))) for v in videos)
print(json.dumps({"seconds": seconds, "frames": frames, "score": float(score), "opencv_threads": cv2.getNumThreads()}))
