#!/usr/bin/python3
"""Our decoder against OpenCV's, frame by frame: for every input, OpenCV 4.6 (cv2.VideoCapture
read loop, BGR) and our ffmpeg decode (src/media/video-decode.ts, streamed by
tools/parity/dump-frames.ts) are read in lockstep; the table records frame counts, the largest
per-pixel difference and the number of differing frames (for bgr24 against OpenCV's frames, and
for rgb24 against cv2.cvtColor(BGR2RGB)), fps and frame-count properties from both, and OpenCV's
per-frame hashes (first 8 hex digits of sha256 of the BGR bytes) so that the TypeScript tests can
check our frames without Python.

  /usr/bin/python3 tools/parity/decode_vs_opencv.py --manifest INPUTS.json --out tests/golden/decode-vs-opencv.json
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys

import cv2
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class OurFrames:
    """Reader for the dump-frames.ts protocol."""

    def __init__(self, fmt, paths):
        self.proc = subprocess.Popen(["node", "--import", "tsx", "tools/parity/dump-frames.ts", fmt, *paths],
                                     cwd=ROOT, stdout=subprocess.PIPE)
        self.f = self.proc.stdout

    def header(self):
        return json.loads(self.f.readline())

    def frames(self, nbytes):
        """Yields frames (bytes) until the end marker; then self.trailer holds {frames, error}."""
        while True:
            tag = self.f.read(1)
            if tag == b"F":
                data = self.f.read(nbytes)
                if len(data) != nbytes:
                    raise RuntimeError("short frame from dump-frames.ts")
                yield data
            elif tag == b"E":
                self.trailer = json.loads(self.f.readline())
                return
            else:
                raise RuntimeError(f"protocol error: {tag!r}")

    def close(self):
        self.f.close()
        if self.proc.wait() != 0:
            raise RuntimeError("dump-frames.ts failed")


def compare(ours, path, to_rgb):
    head = ours.header()
    probe = head["probe"]
    cap = cv2.VideoCapture(path)
    facts = {"opencv_fps": cap.get(cv2.CAP_PROP_FPS), "opencv_frame_count": cap.get(cv2.CAP_PROP_FRAME_COUNT),
             "opencv_size": [int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))]}
    shape = (probe["height"], probe["width"], 3) if probe else None
    nbytes = probe["width"] * probe["height"] * 3 if probe else 0
    ours_iter = ours.frames(nbytes)
    n_cv = n_ours = differing = 0
    maxdiff = 0
    hashes = []
    cv_done = False
    while True:
        # Like the official read loop, OpenCV is not asked again after its first failed read.
        ok, frame = (False, None) if cv_done or not cap.isOpened() else cap.read()
        cv_done = not ok
        mine = next(ours_iter, None)
        if ok:
            n_cv += 1
            hashes.append(hashlib.sha256(frame.tobytes()).hexdigest()[:8])
        if mine is not None:
            n_ours += 1
        if ok and mine is not None:
            ref = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB) if to_rgb else frame
            if ref.shape != shape:
                differing += 1
                maxdiff = 255
            else:
                d = int(np.abs(ref.astype(np.int16) - np.frombuffer(mine, np.uint8).reshape(shape).astype(np.int16)).max())
                maxdiff = max(maxdiff, d)
                differing += d > 0
        if not ok and mine is None:
            break
    cap.release()
    err = ours.trailer["error"] or head["error"]
    return {**facts, "probe": probe, "opencv_frames": n_cv, "our_frames": n_ours,
            "max_abs_diff": maxdiff if min(n_cv, n_ours) > 0 else None, "frames_differing": differing,
            "our_error": err}, hashes


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--manifest", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    with open(args.manifest) as f:
        manifest = json.load(f)
    paths = [v["path"] for v in manifest["videos"]]
    bgr, rgb = OurFrames("bgr24", paths), OurFrames("rgb24", paths)
    rows = []
    for v in manifest["videos"]:
        b, hashes = compare(bgr, v["path"], False)
        r, _ = compare(rgb, v["path"], True)
        probe = b.pop("probe")
        row = {"file": v["file"], "group": v["group"], "sha256": v["sha256"],
               "opencv_frames": b["opencv_frames"], "our_frames": b["our_frames"],
               "max_abs_diff_bgr24": b["max_abs_diff"], "frames_differing_bgr24": b["frames_differing"],
               "max_abs_diff_rgb24": r["max_abs_diff"], "frames_differing_rgb24": r["frames_differing"],
               "opencv_fps": b["opencv_fps"], "our_fps": probe["fps"] if probe else None,
               "opencv_frame_count": b["opencv_frame_count"], "our_frame_count": probe["frameCount"] if probe else None,
               "opencv_size": b["opencv_size"], "our_size": [probe["width"], probe["height"]] if probe else None,
               "our_error": (b["our_error"]["code"] + ": " + b["our_error"]["message"]).replace(os.path.dirname(v["path"]) + "/", "")
               if b["our_error"] else None,
               "opencv_frame_sha256_8": "".join(hashes)}
        rows.append(row)
        print({k: row[k] for k in ("file", "opencv_frames", "our_frames", "max_abs_diff_bgr24", "max_abs_diff_rgb24", "opencv_fps", "our_fps")},
              file=sys.stderr)
    bgr.close()
    rgb.close()
    with open(args.out, "w") as f:
        json.dump({"what": "our ffmpeg decode (src/media/video-decode.ts) against OpenCV's cv2.VideoCapture, frame by frame",
                   "opencv": cv2.__version__, "numpy": np.__version__, "ffmpeg": manifest.get("ffmpeg"), "videos": rows}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
