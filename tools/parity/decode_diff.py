#!/usr/bin/python3
"""Decoder comparison table: OpenCV 4.6 (what VBench's cv2-based dimensions read, and what our
ffmpeg decode equals frame for frame — see tests/media/video-decode.test.ts) against PyAV (FFmpeg
libraries, as a stand-in for decord, which Debian lacks). Per video: frame counts and the largest
per-pixel difference over the frames both return. Writes tests/golden/decode-diff.json.

Usage: /usr/bin/python3 tools/parity/decode_diff.py OUT.json VIDEO..."""
import json
import os
import sys

import av
import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parity_common import cv2_frames  # noqa: E402

rows = []
for path in sys.argv[2:]:
    cv_frames = cv2_frames(path)
    try:
        with av.open(path) as c:
            av_frames = [fr.to_ndarray(format="rgb24") for fr in c.decode(video=0)]
    except Exception as e:  # noqa: BLE001
        av_frames, err = [], str(e)
    n = min(len(cv_frames), len(av_frames))
    maxdiff = max((int(np.abs(cv_frames[i].astype(np.int16) - av_frames[i].astype(np.int16)).max()) for i in range(n)), default=None)
    differing = sum(1 for i in range(n) if not np.array_equal(cv_frames[i], av_frames[i]))
    rows.append({"file": os.path.basename(path), "opencv_frames": len(cv_frames), "pyav_frames": len(av_frames),
                 "max_abs_diff_opencv_vs_pyav": maxdiff, "frames_differing": differing})
    print(rows[-1])
json.dump({"opencv": cv2.__version__, "pyav": av.__version__, "rows": rows}, open(sys.argv[1], "w"), indent=1)
