#!/usr/bin/python3
"""Golden values for VBench dynamic_degree (and the static_filter protocol step), from the OFFICIAL
code at the pinned commit, with a random-weight RAFT in the official `small` configuration.

Everything VBench is executed from the official files (tools/parity/official_raft.py reads them
from a git mirror or checkout): the RAFT class (args.small=True: hidden 96, context 64,
corr_levels 4, corr_radius 3, SmallEncoder fnet/cnet, SmallUpdateBlock, upflow8), the
DynamicDegree class (OpenCV frames, fps interval, InputPadder, get_score, set_params,
check_move), the dynamic_degree() aggregate, and static_filter.py's StaticFilter and
static_filter() selection. Only recording wrappers are put around official methods.

Weights: torch.manual_seed(SEED) then the official constructors' own initialisation; every
parameter is then rounded to float16 values (kept as float32 in torch; the ONNX file stores them
as float16 + Cast, so both sides compute with identical float32 weights and the file is half the
size), and update_block.flow_head.conv2 (the layer that outputs delta_flow) is multiplied by
FLOW_SCALE so that flows are large enough for both classes to occur under the official thresholds.

Test videos: cut from the project's generated media stand-ins (tools/fixtures/media-stand-ins.ts;
--media DIR or $GENBENCH_PARITY_MEDIA) and synthesised from its textured stills by the static
ffmpeg shipped in node_modules (lossless RGB H.264, so decoded frames are exactly the encoder
input); the command lines go into the golden, and the TypeScript test reruns them. Two small
videos (under 128 px after padding) record the official behaviour there: RAFT's coarsest
correlation level has one row/column, bilinear_sampler divides by zero and every flow value is
NaN (written as the string "NaN" in the JSON).

  /usr/bin/python3 tools/parity/raft_dynamic_golden.py --media "$(dirname "$(node --import tsx tools/fixtures/media-stand-ins.ts | head -1 | cut -d' ' -f3)")" [--vbench PATH] \
      [--out tests/golden/vbench-dynamic-degree.json] [--onnx tests/fixtures/models/raft-tiny.onnx]

Always run with /usr/bin/python3 (Debian torch 1.13, OpenCV 4.6, numpy, python3-onnx).
"""
import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

import cv2
import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import official_raft as orf  # noqa: E402
import parity_common as pc  # noqa: E402

SEED = 20240101
FLOW_SCALE = 0.1
FFMPEG_REL = "node_modules/@ffmpeg-installer/linux-x64/ffmpeg"
# The media stand-ins the project generates (tools/fixtures/media-stand-ins.ts); the driver
# `node --import tsx tools/fixtures/media-stand-ins.ts` prints where they are.
MEDIA = os.environ.get("GENBENCH_PARITY_MEDIA", "")
# Lossless RGB H.264 in MP4 (the official dynamic_degree only accepts *.mp4): the decoded frames
# are exactly what the scale/crop filter produced, whatever decoder reads them.
ENC = ["-c:v", "libx264rgb", "-qp", "0", "-preset", "ultrafast", "-pix_fmt", "rgb24", "-threads", "1",
       "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-an"]
# name -> input args, filter args. {media} is the media folder.
VIDEOS = [
    ("vtest_clip.mp4", ["-i", "{media}/div3-testsrc2-768x576-10fps.avi", "-frames:v", "10", "-vf", "scale=192:144"]),
    ("megamind_clip.mp4", ["-i", "{media}/xvid-mandelbrot-480x352-23.976fps.avi", "-frames:v", "25", "-vf", "scale=180:132"]),
    ("box_clip.mp4", ["-i", "{media}/x264-high-bars-640x480-vfr.mp4", "-frames:v", "29", "-vf", "scale=160:128"]),
    ("tree_clip.mp4", ["-i", "{media}/cinepak-life-240x176-15fps.avi", "-frames:v", "17", "-vf", "scale=176:132"]),
    ("static_baboon.mp4", ["-framerate", "20", "-loop", "1", "-i", "{media}/still-mandelbrot-512x512.png", "-frames:v", "17",
                           "-vf", "scale=160:136"]),
    ("moving_baboon.mp4", ["-framerate", "12", "-loop", "1", "-i", "{media}/still-mandelbrot-512x512.png", "-frames:v", "17",
                           "-vf", "crop=136:128:12*n:6*n"]),
    ("still_4fps.mp4", ["-framerate", "4", "-loop", "1", "-i", "{media}/still-bars-noise-512x480.png", "-frames:v", "7",
                        "-vf", "scale=136:128"]),
    # The fractal at 384 px: a real (not NaN) flow that the static filter calls static (its flow on
    # identical frames, about 3.8, is under the 4.5 threshold; the bars still gives about 5.0).
    ("still_384.mp4", ["-framerate", "8", "-loop", "1", "-i", "{media}/still-mandelbrot-512x512.png", "-frames:v", "5",
                       "-vf", "scale=384:384"]),
    # Under 128 px after padding the official RAFT's flow is NaN everywhere (correlation level of
    # size 1): NaN scores never count, so N=3 (count_num 1) is static and N=2 (count_num 0) moving.
    ("small_3frames.mp4", ["-framerate", "8", "-loop", "1", "-i", "{media}/still-mandelbrot-512x512.png", "-frames:v", "3",
                           "-vf", "crop=120:90:16*n:8*n"]),
    ("small_2frames.mp4", ["-framerate", "8", "-loop", "1", "-i", "{media}/still-mandelbrot-512x512.png", "-frames:v", "2",
                           "-vf", "crop=200:100:16*n:8*n"]),
]
# Deterministic model-check inputs (H, W multiples of 8 and >= 128 so that the coarsest correlation
# level has at least 2 rows/columns; see the report on smaller sizes).
MODEL_CHECK_SIZES = [(128, 192), (136, 184)]
SAMPLE_STRIDE = 997


def check_input(h, w, mult):
    """((i*mult) % 1000)/1000*255 at flat index i of [1,3,h,w], float32."""
    return pc.check_input((1, 3, h, w), scale=255, mult=mult)


def build_model(ns, small=True):
    args = orf.EasyDict({"small": small, "mixed_precision": False, "alternate_corr": False})
    torch.manual_seed(SEED)
    model = ns.RAFT(args)
    with torch.no_grad():
        model.update_block.flow_head.conv2.weight.mul_(FLOW_SCALE)
        model.update_block.flow_head.conv2.bias.mul_(FLOW_SCALE)
        for p in model.parameters():
            p.copy_(p.half().float())
    return model.eval(), args


def fp16_initializers(path):
    """Store every float32 initializer whose values are exactly float16 as float16 + Cast."""
    import onnx
    from onnx import helper, numpy_helper, TensorProto

    m = onnx.load(path)
    g = m.graph
    keep, casts = [], []
    for init in g.initializer:
        arr = numpy_helper.to_array(init)
        if arr.dtype == np.float32 and arr.size >= 16 and np.array_equal(arr.astype(np.float16).astype(np.float32), arr):
            h = numpy_helper.from_array(arr.astype(np.float16), init.name + "__fp16")
            keep.append(h)
            casts.append(helper.make_node("Cast", [h.name], [init.name], to=TensorProto.FLOAT, name=init.name + "__cast"))
        else:
            keep.append(init)
    del g.initializer[:]
    g.initializer.extend(keep)
    nodes = list(g.node)
    del g.node[:]
    g.node.extend(casts + nodes)
    onnx.checker.check_model(m)
    onnx.save(m, path)


def make_videos(tmp, ffmpeg):
    out = []
    for name, args in VIDEOS:
        argv = ["-nostdin", "-y", "-loglevel", "error", *[a.replace("{media}", MEDIA) for a in args], *ENC, name]
        subprocess.run([ffmpeg, *argv], cwd=tmp, check=True)
        out.append({"name": name, "ffmpeg_args": ["-nostdin", "-y", "-loglevel", "error", *args, *ENC, name]})
    return out


def frame_sha(frames):
    h = hashlib.sha256()
    for f in frames:
        h.update(f[0].permute(1, 2, 0).numpy().astype(np.uint8).tobytes())
    return h.hexdigest()


def selection_golden(sf, ckpt, tmp):
    """The official static_filter() selection in its default 'temporal_flickering' scope, with
    `infer` replaced by a fixed answer per file name (no RAFT): file order, the 5-per-prompt limit,
    out-of-scope prompts, dot-files and upper-case suffixes."""
    with open(os.path.join(sf.CUR_DIR, "vbench", "VBench_full_info.json")) as f:
        scope = [p["prompt_en"] for p in json.load(f) if "temporal_flickering" in p["dimension"]]
    a, b = scope[0], scope[1]
    files = [f"{a}-{i}.mp4" for i in range(13)] + [f"{b}-{i}.mp4" for i in range(4)] + \
            [f"{b}.mp4", "a cat-0.mp4", f".{a}-20.mp4", f"{a}-21.MP4", f"{scope[2]}-0.mp4"]
    static = {f"{a}-{i}.mp4" for i in [0, 10, 11, 12, 2, 4, 5, 7]} | {f"{b}-1.mp4", f"{b}.mp4", "a cat-0.mp4",
                                                                     f".{a}-20.mp4", f"{a}-21.MP4"}
    vdir = os.path.join(tmp, "selection_videos")
    os.makedirs(vdir)
    for name in files:
        open(os.path.join(vdir, name), "wb").close()
    calls = []

    def infer(self, path):
        calls.append(os.path.basename(path))
        return os.path.basename(path) in static

    orig = sf.StaticFilter.infer
    sf.StaticFilter.infer = infer
    try:
        out = os.path.join(tmp, "selection_results")
        sf.static_filter(orf.EasyDict({"model": ckpt, "videos_path": vdir, "result_path": out,
                                       "store_name": "filtered_static_video.json", "small": True,
                                       "mixed_precision": False, "alternate_corr": False,
                                       "filter_scope": "temporal_flickering"}))
    finally:
        sf.StaticFilter.infer = orig
    with open(os.path.join(out, "filtered_static_video.json")) as f:
        res = json.load(f)
    selection = {
        "filter_scope": "temporal_flickering",
        "scope": f"the {len(scope)} prompts of VBench_full_info.json tagged temporal_flickering, in file order; "
                 "{{vbench-tf-prompt:i}} stands for the i-th (the tests read them from the pinned VBench_full_info.json: tests/helpers/upstream-files.ts)",
        "files": files,
        "static_files": sorted(static),
        "infer_calls": calls,
        "result": {k: {"static_count": v["static_count"], "static_names": [os.path.basename(x) for x in v["static_path"]]}
                   for k, v in res.items() if v["static_count"] or k in (a, b)},
        "result_prompt_order_first": list(res)[:3],
        "copies": sorted(os.listdir(os.path.join(out, "filtered_videos"))),
    }
    return pc.mask_upstream_text(selection, scope, "vbench-tf-prompt")


def json_safe(x):
    """NaN (official scores on small frames) as the string "NaN": JSON has no NaN."""
    if isinstance(x, float) and x != x:
        return "NaN"
    if isinstance(x, dict):
        return {k: json_safe(v) for k, v in x.items()}
    if isinstance(x, list):
        return [json_safe(v) for v in x]
    return x


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vbench", help="Vchitect/VBench git mirror or checkout")
    ap.add_argument("--out", default=os.path.join(ROOT, "tests/golden/vbench-dynamic-degree.json"))
    ap.add_argument("--onnx", default=os.path.join(ROOT, "tests/fixtures/models/raft-tiny.onnx"))
    ap.add_argument("--media", default=os.environ.get("GENBENCH_PARITY_MEDIA", ""), help="folder of the media stand-ins (tools/fixtures/media-stand-ins.ts)")
    ap.add_argument("--probe", action="store_true", help="only print the per-pair scores (tuning)")
    ap.add_argument("--keep", help="make the videos here (default: a temp dir)")
    ap.add_argument("--full", action="store_true",
                    help="the full RAFT (small=False, as dynamic_degree builds it for raft-things.pth) and only the "
                         "dynamic_degree part (no static filter, no model checks), for bench/vbench-quality.ts --full")
    ap.add_argument("--threads", type=int, help="torch threads (default: 1 for the small RAFT, faster than 2 on a "
                                                "2-core machine; all cores with --full)")
    args = ap.parse_args()
    global MEDIA
    MEDIA = args.media
    if not MEDIA or not os.path.isdir(MEDIA):
        sys.exit("--media DIR: the folder of the media stand-ins (node --import tsx tools/fixtures/media-stand-ins.ts prints it)")
    t0 = time.time()
    torch.set_num_threads(args.threads or (max(1, os.cpu_count() or 1) if args.full else 1))

    ns = orf.load(args.vbench)
    dd, sf = ns.dynamic_degree, ns.static_filter
    small = not args.full
    model, _ = build_model(ns, small)
    tmp = args.keep or tempfile.mkdtemp(prefix="raft-dd-golden-")
    os.makedirs(tmp, exist_ok=True)
    ckpt = os.path.join(tmp, "raft-tiny.pth")
    # The official loaders: dynamic_degree strips 'module.'; static_filter loads into DataParallel.
    torch.save({"module." + k: v for k, v in model.state_dict().items()}, ckpt)

    ffmpeg = os.path.join(ROOT, FFMPEG_REL)
    vids = make_videos(tmp, ffmpeg)

    # ---- dynamic_degree, official class and aggregate, with recording wrappers ----
    dyn = dd.DynamicDegree(orf.EasyDict({"model": ckpt, "small": small, "mixed_precision": False,
                                         "alternate_corr": False}), "cpu")
    rec = {}
    orig_get_frames, orig_extract, orig_score = dyn.get_frames, dyn.extract_frame, dyn.get_score

    def get_frames(path):
        frames = orig_get_frames(path)
        rec["kept_sha256"] = frame_sha(frames)
        return frames

    def extract_frame(frame_list, interval=1):
        rec["frames_read"] = len(frame_list)
        rec["interval"] = interval
        rec["frame_indices"] = list(range(0, len(frame_list), interval))
        return orig_extract(frame_list, interval)

    def get_score(img, flo):
        s = orig_score(img, flo)
        rec.setdefault("pair_scores", []).append(s)
        rec["padded_hw"] = list(img.shape[-2:])
        return s

    dyn.get_frames, dyn.extract_frame, dyn.get_score = get_frames, extract_frame, get_score
    per_video = {}
    paths = [os.path.join(tmp, v["name"]) for v in vids]
    for v, path in zip(vids, paths):
        rec.clear()
        t = time.time()
        cap = cv2.VideoCapture(path)
        fps = cap.get(cv2.CAP_PROP_FPS)
        cap.release()
        moving = dyn.infer(path)
        entry = {
            "opencv_fps": fps,
            "frames_read": rec["frames_read"],
            "interval": rec["interval"],
            "frame_indices": rec["frame_indices"],
            "kept_frames_rgb_sha256": rec["kept_sha256"],
            "padded_hw": rec.get("padded_hw"),
            "thres": dyn.params["thres"],
            "count_num": dyn.params["count_num"],
            "pair_scores": rec.get("pair_scores", []),
            "video_results": bool(moving),
        }
        per_video[v["name"]] = entry
        print(f"{v['name']}: fps {fps} interval {entry['interval']} kept {len(entry['frame_indices'])} "
              f"thres {entry['thres']:.4f} count_num {entry['count_num']} moving {moving} "
              f"scores {[round(s, 3) for s in entry['pair_scores']]} ({time.time() - t:.1f}s)", file=sys.stderr)
    if args.probe:
        return
    # The official per-dimension function over the list (its np.mean of the booleans).
    dyn.get_score = orig_score
    t_official = time.perf_counter()
    avg, results = dd.dynamic_degree(dyn, paths)
    official_seconds = time.perf_counter() - t_official
    assert [r["video_results"] for r in results] == [per_video[v["name"]]["video_results"] for v in vids]
    score = float(avg)
    if args.full:
        os.makedirs(os.path.dirname(args.onnx), exist_ok=True)
        orf.export_contract(model, args.onnx)
        fp16_initializers(args.onnx)
        pc.write_json(args.out, json_safe({
            "generator": "tools/parity/raft_dynamic_golden.py", "full_size": True,
            "model": {"file": args.onnx, "sha256": pc.sha256_file(args.onnx), "config": {"small": False, "iters": 20}},
            "videos": [{**v, "dynamic_degree": per_video[v["name"]]} for v in vids],
            "dynamic_degree_score": score, "official_seconds": official_seconds}), allow_nan=False)
        print(f"full RAFT: score {score}; official {official_seconds:.1f}s", file=sys.stderr)
        return

    # ---- static_filter: official StaticFilter + static_filter() selection (filter_scope 'all') ----
    sf.DEVICE = "cpu"  # the script hard-codes CUDA for its frames
    sf_scores = {}
    orig_sf_score, orig_sf_infer = sf.StaticFilter.get_score, sf.StaticFilter.infer
    current = {}

    def sf_get_score(self, img, flo):
        s = orig_sf_score(self, img, flo)
        sf_scores.setdefault(current["path"], []).append(float(s))
        return s

    def sf_infer(self, path):
        current["path"] = path
        res = orig_sf_infer(self, path)
        sf_scores.setdefault(path + "#params", dict(self.params))
        sf_scores[path + "#static"] = bool(res)
        return res

    sf.StaticFilter.get_score, sf.StaticFilter.infer = sf_get_score, sf_infer
    sdir = os.path.join(tmp, "static_filter_videos")
    os.makedirs(sdir)
    # Two prompts; lexicographic order puts -10 before -2.
    sf_names = {}
    for i, v in enumerate(vids):
        name = f"{'a clip' if i % 2 == 0 else 'another clip'}-{[0, 10, 2, 1, 3, 11, 4, 12, 5, 13][i]}.mp4"
        os.symlink(os.path.join(tmp, v["name"]), os.path.join(sdir, name))
        sf_names[name] = v["name"]
    result_path = os.path.join(tmp, "filter_results")
    sf.static_filter(orf.EasyDict({"model": ckpt, "videos_path": sdir, "result_path": result_path,
                                   "store_name": "filtered_static_video.json", "small": True,
                                   "mixed_precision": False, "alternate_corr": False, "filter_scope": "all"}))
    with open(os.path.join(result_path, "filtered_static_video.json")) as f:
        selection = json.load(f)
    static_per_video = {}
    for name, src in sf_names.items():
        p = os.path.join(sdir, name)
        static_per_video[src] = {
            "static_filter_name": name,
            "thres": sf_scores[p + "#params"]["thres"],
            "count_num": sf_scores[p + "#params"]["count_num"],
            "pair_scores": sf_scores[p],
            "static": sf_scores[p + "#static"],
        }
    selection = {k: {"static_count": v["static_count"], "static_names": [os.path.basename(x) for x in v["static_path"]]}
                 for k, v in selection.items()}
    sf.StaticFilter.get_score, sf.StaticFilter.infer = orig_sf_score, orig_sf_infer
    tf_selection = selection_golden(sf, ckpt, tmp)

    # ---- model checks + ONNX export ----
    os.makedirs(os.path.dirname(args.onnx), exist_ok=True)
    orf.export_contract(model, args.onnx)
    fp16_initializers(args.onnx)
    checks = []
    with torch.no_grad():
        for h, w in MODEL_CHECK_SIZES:
            a, b = check_input(h, w, 7919), check_input(h, w, 104729)
            flow = model(a, b, iters=20, test_mode=True)[1][0].numpy()
            flat = flow.reshape(-1)
            idx = list(range(0, flat.size, SAMPLE_STRIDE))
            checks.append({
                "h": h, "w": w,
                "image1": "((i*7919) % 1000)/1000*255 at flat index i of [1,3,h,w], float32",
                "image2": "((i*104729) % 1000)/1000*255 at flat index i of [1,3,h,w], float32",
                "sample_indices": idx,
                "samples": [float(flat[i]) for i in idx],
                "sum": float(flat.astype(np.float64).sum()),
                "max_abs": float(np.abs(flat).max()),
            })

    n_params = sum(p.numel() for p in model.parameters())
    golden = {
        "generator": "tools/parity/raft_dynamic_golden.py",
        "official": {"repo": "Vchitect/VBench", "commit": orf.COMMIT,
                     "files": ["vbench/dynamic_degree.py", "static_filter.py", "vbench/third_party/RAFT/core/*.py"]},
        "versions": {"python": platform.python_version(), "torch": torch.__version__, "opencv": cv2.__version__,
                     "numpy": np.__version__},
        "model": {
            "file": os.path.relpath(args.onnx, ROOT),
            "sha256": pc.sha256_file(args.onnx),
            "bytes": os.path.getsize(args.onnx),
            "config": {"small": True, "hidden_dim": 96, "context_dim": 64, "corr_levels": 4, "corr_radius": 3,
                       "iters": 20, "test_mode": True},
            "params": n_params,
            "weights": f"torch.manual_seed({SEED}); official RAFT(small) init; update_block.flow_head.conv2 "
                       f"weight and bias x{FLOW_SCALE}; every parameter rounded to float16 values (ONNX: "
                       "float16 initializers + Cast)",
            "opset": 17,
        },
        "ffmpeg": {"binary": FFMPEG_REL, "media": "tools/fixtures/media-stand-ins.ts",
                   "note": "run in an empty folder; {media} is replaced by the media folder"},
        "videos": [{**v, "dynamic_degree": per_video[v["name"]], "static_filter": static_per_video[v["name"]]}
                   for v in vids],
        "dynamic_degree_score": score,
        "static_filter_selection": {"filter_scope": "all", "result": selection},
        "static_filter_selection_tf": tf_selection,
        "model_checks": checks,
        "seconds": round(time.time() - t0, 1),
        "official_seconds": official_seconds,
    }
    pc.write_json(args.out, json_safe(golden), allow_nan=False)
    print(f"score {score}; onnx {golden['model']['bytes']} bytes sha256 {golden['model']['sha256']}; "
          f"{golden['seconds']}s", file=sys.stderr)
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
