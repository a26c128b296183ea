#!/usr/bin/python3
"""Golden values for VBench temporal_flickering, from the OFFICIAL code run at its pinned commit.

The official vbench/temporal_flickering.py (with the vbench/utils.py and vbench/distributed.py it
imports) is read at run time from a VBench git mirror (`git show COMMIT:path`) or a checkout and
executed as the `vbench` package; nothing of it is copied into this project. tqdm and decord,
which Debian's python3 lacks, are replaced by the stand-ins in tools/parity/shims/.

Golden mode (run by tools/parity/make-temporal-flickering-golden.ts, which makes the inputs):
  /usr/bin/python3 tools/parity/vbench_temporal_flickering_golden.py --manifest INPUTS.json --out GOLDEN.json [--vbench PATH]
Timing mode (used by bench/temporal-flickering.ts): prints one JSON line
  /usr/bin/python3 tools/parity/vbench_temporal_flickering_golden.py --time [--vbench PATH] VIDEO...

--vbench: a bare git mirror or a checkout of Vchitect/VBench (default: the mirror under
/work/.mirror, or $VBENCH_SRC). Always run with /usr/bin/python3 (Debian's OpenCV 4.6 + numpy).
"""
import argparse
import importlib
import json
import math
import os
import platform
import sys
import time

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parity_common as pc  # noqa: E402

COMMIT = pc.VBENCH_COMMIT
OFFICIAL_FILES = ["vbench/temporal_flickering.py", "vbench/utils.py", "vbench/distributed.py"]


def official_tree(source, commit):
    """A directory holding vbench/<official files> at `commit`, from a bare mirror or a checkout."""
    return pc.materialise(source, OFFICIAL_FILES, commit, "vbench", prefix="vbench-official-", what="VBench ")


def load_official(source, commit=COMMIT):
    """Import the official vbench.temporal_flickering without running vbench/__init__.py (which
    pulls in every dimension's dependencies)."""
    root = official_tree(source, commit)
    pc.use_shims()  # tqdm, and a decord that refuses to run (this dimension reads frames with OpenCV)
    pc.package("vbench", os.path.join(root, "vbench"))
    return importlib.import_module("vbench.temporal_flickering")


def opencv_facts(path):
    """What cv2.VideoCapture reports and how many frames its read loop returns (streamed, the same
    loop as the official get_frames)."""
    cap = cv2.VideoCapture(path)
    fps, count = cap.get(cv2.CAP_PROP_FPS), cap.get(cv2.CAP_PROP_FRAME_COUNT)
    width, height = cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FRAME_HEIGHT)
    n = 0
    while cap.isOpened():
        ok, _ = cap.read()
        if not ok:
            break
        n += 1
    cap.release()
    return {"opencv_fps": fps, "opencv_frame_count": count, "opencv_width": width, "opencv_height": height, "frames_read": n}


def official_score(tf, path):
    """The official per-video score, or what the official code does instead."""
    try:
        with np.errstate(all="ignore"):
            score = tf.cal_score(path)
    except AssertionError:
        return None, "skipped by the official code: no frame could be read (AssertionError)"
    if isinstance(score, float) and math.isnan(score):
        return "nan", "NaN from the official code: one frame, no pair (np.mean of an empty array)"
    return float(score), "scored"


def golden(args):
    tf = load_official(pc.pick_vbench(args.vbench))
    with open(args.manifest) as f:
        manifest = json.load(f)
    rows = []
    for v in manifest["videos"]:
        sha = pc.sha256_file(v["path"])
        if v.get("sha256") and v["sha256"] != sha:
            sys.exit(f"{v['file']}: sha256 differs from the manifest")
        score, outcome = official_score(tf, v["path"])
        row = {"file": v["file"], "group": v["group"], "made": v["made"], "sha256": sha, **opencv_facts(v["path"]),
               "score": score, "outcome": outcome}
        rows.append(row)
        print(f"{v['file']}: {outcome} {score!r} ({row['frames_read']} frames)", file=sys.stderr)
    # The dimension score over the readable videos (the manifest marks them), in manifest order.
    chosen = [v["path"] for v in manifest["videos"] if v.get("inAggregate")]
    with np.errstate(all="ignore"):
        aggregate, results = tf.temporal_flickering(chosen)
    out = {
        "what": "VBench temporal_flickering per-video scores and dimension score from the official code",
        "official": {"repository": "Vchitect/VBench", "commit": COMMIT, "file": "vbench/temporal_flickering.py"},
        "opencv": cv2.__version__, "numpy": np.__version__, "python": platform.python_version(),
        "ffmpeg_for_generated": manifest.get("ffmpeg"),
        "videos": rows,
        "aggregate": {"videos": [os.path.basename(r["video_path"]) for r in results], "score": float(aggregate)},
    }
    pc.write_json(args.out, out)


def timing(args):
    tf = load_official(pc.pick_vbench(args.vbench))
    t0 = time.perf_counter()
    with np.errstate(all="ignore"):
        score, results = tf.temporal_flickering(args.videos)
    seconds = time.perf_counter() - t0
    frames = sum(opencv_facts(v)["frames_read"] for v in args.videos)
    print(json.dumps({"seconds": seconds, "frames": frames, "score": float(score),
                      "per_video": [r["video_results"] for r in results], "opencv_threads": cv2.getNumThreads()}))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--vbench", help="VBench git mirror or checkout (pinned commit %s)" % COMMIT[:7])
    p.add_argument("--manifest")
    p.add_argument("--out")
    p.add_argument("--time", action="store_true")
    p.add_argument("videos", nargs="*")
    args = p.parse_args()
    if args.time:
        timing(args)
    elif args.manifest and args.out:
        golden(args)
    else:
        p.error("give --manifest and --out, or --time VIDEO...")


if __name__ == "__main__":
    main()
