#!/usr/bin/python3
"""Golden values and a tiny ONNX fixture for VBench subject_consistency (DINO ViT-B/16).

A REDUCED DINO ViT is built with the OFFICIAL class (facebookresearch/dino
vision_transformer.VisionTransformer: patch 16, embed 48, depth 2, 3 heads, MLP ratio 4,
qkv_bias, LayerNorm eps 1e-6), torch.manual_seed(0), then re-initialised with larger random
scales (see `init_weights`) so that frame features, and hence the cosine similarities, really
vary. The OFFICIAL vbench/subject_consistency.py (pinned VBench commit, its real vbench/utils.py:
load_video, dino_transform(224), the per-video loop and the aggregate) runs that model in fp32 on
CPU over the chosen videos. The same weights are exported to the genbench model contract
(`pixel_values` [1,3,H,W], dynamic H and W -> `features` [1,48]) as
tests/fixtures/models/dino-subject-tiny.onnx, with the pos-embed interpolation written into the
graph as bicubic interpolation matrices built from the runtime shape (see
tools/parity/official_dino.py). Reference features of the official
model on deterministic inputs (`model_checks`) let tests/vbench/dino-fixture.test.ts check the
ONNX in onnxruntime-node (Python here has no onnxruntime).

Frames: VBench's load_video reads .mp4 with decord, which Debian lacks; the stand-in reads ALL
frames with OpenCV 4.6 (cv2.VideoCapture, BGR->RGB). genbench's decoder is byte-identical to
OpenCV 4.6, so the TypeScript side decodes exactly these frames. (Real decord's bytes are the
separate decoder-parity question of spec section 0.3.)

Nothing of VBench or DINO is copied: the official files are read from git mirrors / checkouts.

  /usr/bin/python3 tools/parity/subject_consistency_golden.py [--vbench PATH] [--dino PATH]
      [--out tests/golden/vbench-subject-consistency.json]
      [--onnx tests/fixtures/models/dino-subject-tiny.onnx] [--keep DIR]

The generated videos are rebuilt with tools/fixtures/make-sample-videos.ts (node + tsx, the
project's ffmpeg); their sha256 is recorded so that drift is detected.
"""
import argparse
import math
import os
import platform
import sys
import tempfile
import time
from functools import partial

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official_dino as od  # noqa: E402
import parity_common as pc  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
# Two of the project's media stand-ins (tools/fixtures/media-stand-ins.ts), 640x480, all frames:
# colour bars under a moving test pattern (H.264 High, B-frames, uneven frame timing, 180 frames)
# and a fractal zoom (limited-range H.264, 120 frames). VBench's load_video only reads .mp4 (and
# .gif/.png); the .avi stand-ins are not scoreable by it.
MEDIA_VIDEOS = ["x264-high-bars-640x480-vfr.mp4", "x264-tv-mandelbrot-640x480-26.777fps.mp4"]
GENERATED_VIDEOS = ["x264-testsrc2-320x240-8fps.mp4", "x264-ntsc-testsrc2-320x180-29.97fps.mp4",
                    "x264-fullrange-smptebars-256x144-12fps.mp4"]
CONFIG = dict(patch_size=16, embed_dim=48, depth=2, num_heads=3, mlp_ratio=4, qkv_bias=True)
# --full (bench/vbench-quality.ts --full): DINO's vit_base(patch_size=16), the architecture of
# dino_vitbase16_pretrain.pth; only the generated videos (the full media files take minutes).
CONFIG_FULL = dict(patch_size=16, embed_dim=768, depth=12, num_heads=12, mlp_ratio=4, qkv_bias=True)
CHECK_SIZES = [(224, 224), (224, 398), (224, 358), (224, 298), (224, 231), (239, 224), (240, 224), (256, 256),
               (230, 230), (47, 900), (16, 16)]


def init_weights(vit):
    """Re-initialise every parameter (after the official init, continuing the same seed stream, in
    named_parameters() order) with scales that keep the features far from degenerate (the official
    std-0.02 init gives cosine similarities of ~0.9999 between all frames): cls_token N(0, 0.1^2),
    pos_embed N(0, 0.5^2), weight matrices N(0, g^2/fan_in) with g = 1.5 for attention qkv and 1
    elsewhere, LayerNorm weights 1 + N(0, 0.1^2), all biases N(0, 0.1^2)."""
    with torch.no_grad():
        for name, p in vit.named_parameters():
            if name == "cls_token":
                p.copy_(torch.randn_like(p) * 0.1)
            elif name == "pos_embed":
                p.copy_(torch.randn_like(p) * 0.5)
            elif p.dim() >= 2:
                gain = 1.5 if ".qkv." in name else 1.0
                p.copy_(torch.randn_like(p) * (gain / math.sqrt(p[0].numel())))
            elif name.endswith("weight"):  # LayerNorm
                p.copy_(1.0 + 0.1 * torch.randn_like(p))
            else:
                p.copy_(0.1 * torch.randn_like(p))


def build_model(vits, config=CONFIG):
    torch.manual_seed(0)
    vit = vits.VisionTransformer(**config, norm_layer=partial(nn.LayerNorm, eps=1e-6))
    init_weights(vit)
    return vit  # left in train mode like VBench's; all dropout / drop-path rates are 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vbench", help="VBench git mirror or checkout (pinned %s)" % od.VBENCH_COMMIT[:7])
    ap.add_argument("--dino", help="facebookresearch/dino git mirror or checkout")
    ap.add_argument("--out", default=os.path.join(ROOT, "tests/golden/vbench-subject-consistency.json"))
    ap.add_argument("--onnx", default=os.path.join(ROOT, "tests/fixtures/models/dino-subject-tiny.onnx"))
    ap.add_argument("--keep", help="make the generated videos here (default: a temp dir)")
    ap.add_argument("--media", help="make the media stand-ins here (default: the per-machine folder of "
                                    "tools/fixtures/media-stand-ins.ts, which the tests use too)")
    ap.add_argument("--full", action="store_true",
                    help="full-size ViT-B/16 (embed 768, depth 12, 12 heads; about 350 MB of ONNX) and only the "
                         "generated videos, for bench/vbench-quality.ts --full")
    args = ap.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    config = CONFIG_FULL if args.full else CONFIG

    dino_src = pc.pick_source(args.dino, od.DEFAULT_DINO, "dino")
    vbench_src = pc.pick_source(args.vbench, od.DEFAULT_VBENCH, "VBench")
    vits = od.load_dino_vits(dino_src)
    sc = od.load_subject_consistency(vbench_src)
    vit = build_model(vits, config)

    # ONNX fixture (same weights) and the torch reference features of the official forward.
    os.makedirs(os.path.dirname(args.onnx), exist_ok=True)
    onnx_sha = od.export_contract(vit, args.onnx)
    vit.train()  # as VBench leaves it (no effect: no dropout, no BatchNorm)
    checks = []
    with torch.no_grad():
        for h, w in CHECK_SIZES:
            x = pc.check_input((1, 3, h, w), offset=-0.5)
            ref = vit(x)
            wrapped = od.ContractViT(vit)(x)
            diff = float((ref - wrapped).abs().max())
            if diff > 1e-5:
                sys.exit(f"ContractViT differs from the official forward at {h}x{w}: {diff}")
            checks.append({"h": h, "w": w, "input": "((i*7919) % 1000)/1000 - 0.5 at flat index i, float64 -> float32",
                           "contract_vs_official_torch_max_abs": diff, "features": [float(v) for v in ref[0]]})
            print(f"check {h}x{w}: contract vs official torch {diff:.3g}", file=sys.stderr)

    # Videos.
    gen_dir = args.keep or tempfile.mkdtemp(prefix="genbench-sc-golden-")
    gen_sha = pc.make_sample_videos(gen_dir)
    videos = []
    media = {} if args.full else pc.media_stand_ins(args.media)
    for f in [] if args.full else MEDIA_VIDEOS:
        p, sha = media[f]
        videos.append({"id": f"media:{f}", "path": p, "sha256": sha, "made": "tools/fixtures/media-stand-ins.ts"})
    for f in GENERATED_VIDEOS:
        videos.append({"id": f"generated:{f}", "path": os.path.join(gen_dir, f), "sha256": gen_sha[f],
                       "made": "tools/fixtures/make-sample-videos.ts SAMPLE_VIDEO_RECIPES"})

    rec = pc.recorder(vit, lambda y: y.detach().clone())  # every frame's input shape and raw features
    t0 = time.perf_counter()
    score, results = sc.subject_consistency(rec, [v["path"] for v in videos], "cpu", False)
    seconds = time.perf_counter() - t0
    # Split the recorded calls per video (frame counts from the same loader the official code used).
    rows, k = [], 0
    for v, r in zip(videos, results):
        assert r["video_path"] == v["path"]
        frames = len(pc.CV2VideoReader(v["path"]))
        calls = rec.calls[k:k + frames]
        k += frames
        pairs = frames - 1
        rows.append({
            "video": v["id"], **({"made": v["made"]} if "made" in v else {}), "sha256": v["sha256"],
            "frames": frames, "model_input_hw": list(calls[0][0][2:]),
            "video_results": r["video_results"], "pairs": pairs,
            "sim_sum": r["video_results"] * pairs,
            "raw_features_frame0": [float(x) for x in calls[0][1][0]],
            "raw_features_frame1": [float(x) for x in calls[1][1][0]],
        })
        print(f"{v['id']}: {frames} frames {calls[0][0]} -> {r['video_results']!r}", file=sys.stderr)
    assert k == len(rec.calls)
    out = {
        "what": "VBench subject_consistency on a reduced random-weight DINO ViT, from the official code",
        "generator": "tools/parity/subject_consistency_golden.py",
        **({"full_size": True} if args.full else {}),
        "official": {"vbench": {"repository": "Vchitect/VBench", "commit": od.VBENCH_COMMIT,
                                "file": "vbench/subject_consistency.py"},
                     "dino": {"repository": "facebookresearch/dino", "commit": pc.source_commit(dino_src),
                              "file": "vision_transformer.py"}},
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "torchvision": __import__("torchvision").__version__, "numpy": np.__version__,
                     "opencv": __import__("cv2").__version__, "onnx": __import__("onnx").__version__},
        "decoder": "decord stand-in: all frames via cv2.VideoCapture (OpenCV 4.6), BGR->RGB",
        "model": {"file": "tests/fixtures/models/dino-subject-tiny.onnx", "sha256": onnx_sha,
                  "config": {**config, "layernorm_eps": 1e-6, "num_classes": 0},
                  "init": "torch.manual_seed(0); official VisionTransformer init; then every parameter in "
                          "named_parameters() order: cls_token ~ N(0,0.1^2), pos_embed ~ N(0,0.5^2), matrices ~ "
                          "N(0,g^2/fan_in) with g=1.5 for attn.qkv and 1 otherwise, LayerNorm weight 1+N(0,0.1^2), "
                          "biases N(0,0.1^2)",
                  "inputs": {"pixel_values": "float32 [1,3,H,W]"}, "outputs": {"features": f"float32 [1,{config['embed_dim']}]"}},
        "model_checks": checks,
        "videos": rows,
        "aggregate": "single process: sum(sim_sum) / sum(pairs) (the official sim / cnt); sim_sum is derived as "
                     "video_results * pairs (the official code returns only video_sim / (T-1) per video)",
        "dimension_score": score,
        "official_seconds": seconds,
    }
    pc.write_json(args.out, out)
    print(f"dimension_score {score!r}; onnx {os.path.getsize(args.onnx)} bytes sha256 {onnx_sha}", file=sys.stderr)


if __name__ == "__main__":
    main()
