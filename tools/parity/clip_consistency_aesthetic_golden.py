#!/usr/bin/python3
"""Golden values and tiny ONNX fixtures for VBench background_consistency (CLIP ViT-B/32) and
aesthetic_quality (CLIP ViT-L/14 + LAION linear head).

Models: REDUCED random-weight instances of the OFFICIAL openai/CLIP clip/model.py
VisionTransformer (LayerNorm = CLIP's fp32 LayerNorm subclass, QuickGELU, nn.MultiheadAttention),
driven through the official CLIP.encode_image:
  * "b32-tiny": input 224, patch 32, width 64, layers 2, heads 2, output_dim 32 (seed 0);
  * "l14-tiny": input 224, patch 14, width 48, layers 2, heads 2, output_dim 24 (seed 1);
  * LAION head: nn.Linear(24, 1) (seed 2), weight N(0, 3^2), bias 5 + N(0, 1).
After the official constructor init the tower parameters are re-drawn (same seed stream, in
named_parameters() order, see `init_tower`) with larger scales: with the constructor init every
frame-to-frame cosine is ~0.999, which would not test anything.
Precision: fp32. `clip.load(..., device="cpu")` calls model.float(), so on a CPU the official
code runs CLIP in fp32; on CUDA it stays fp16 (spec section 2.1). These goldens are the fp32
(CPU) path; genbench's background_consistency is therefore tested with `cosine: 'fp32'`.

The OFFICIAL vbench/background_consistency.py `background_consistency()` (per-video loop and
Σ video_sim / Σ cnt) and vbench/aesthetic_quality.py `laion_aesthetic()` (chunks of 32, fp32
F.normalize, head, /10, mean; plain mean over videos) run with the real vbench/utils.py
(load_video, clip_transform(224)) from the pinned VBench commit. See tools/parity/official_clip.py
for the loaders and the stand-ins (decord -> all frames via OpenCV 4.6 cv2.VideoCapture, BGR->RGB;
genbench's decoder is byte-identical to OpenCV 4.6, so the TypeScript side decodes exactly these
frames).

Videos (VBench's load_video reads only .mp4/.gif/.png, so the .avi media cannot be used; every
video is short to keep the TypeScript test fast; both sides decode ALL frames of the same files):
  * the first 48 frames of two of the project's media stand-ins (tools/fixtures/media-stand-ins.ts:
    colour bars under a moving pattern with grain, 640x480 H.264 with uneven frame timing, and a
    coloured game of life, 240x176 Cinepak), re-encoded by the project's pinned static ffmpeg
    (4.1, @ffmpeg-installer) with single-threaded bit-exact x264, every decoded frame kept once
    (`-vsync passthrough`) (`MEDIA_CUTS`; the exact argument lists are written to the JSON and
    replayed by the test, which checks the sha256). Stream copy (`-c copy`) would not be frame-exact.
  * two generated videos of tools/fixtures/make-sample-videos.ts (SAMPLE_VIDEO_RECIPES).

  /usr/bin/python3 tools/parity/clip_consistency_aesthetic_golden.py [--vbench PATH] [--clip PATH]
      [--out tests/golden/vbench-clip-dims.json] [--models tests/fixtures/models] [--keep DIR] [--media DIR]

--full builds the full-size towers instead (ViT-B/32: width 768, 12 layers, 12 heads, output 512;
ViT-L/14: width 1024, 24 layers, 16 heads, output 768; head Linear(768, 1); matrix gain 1, head
weight N(0, 0.2^2)) for bench/vbench-quality.ts --full; never for the committed fixtures.

Writes tests/golden/vbench-clip-dims.json and tests/fixtures/models/{clip-b32-tiny,clip-l14-tiny,
laion-head-tiny}.onnx. Checked by tests/vbench/clip-dims-parity.test.ts.
"""
import argparse
import math
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official_clip as oc  # noqa: E402
import parity_common as pc  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FFMPEG = os.path.join(ROOT, "node_modules/@ffmpeg-installer/linux-x64/ffmpeg")
DETERMINISTIC = ["-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1"]
CUT_FRAMES = 48
# {in} = the media stand-in <source> (tools/fixtures/media-stand-ins.ts), {out} = the cut file.
MEDIA_CUTS = [
    {"file": f"{name}-first{CUT_FRAMES}.mp4", "source": source,
     "ffmpeg_args": ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", "{in}", "-frames:v", str(CUT_FRAMES),
                     "-vsync", "passthrough", "-an", "-threads", "1", "-c:v", "libx264", "-preset", "medium",
                     "-pix_fmt", "yuv420p", *DETERMINISTIC, "{out}"]}
    for name, source in (("bars", "x264-high-bars-640x480-vfr.mp4"), ("life", "cinepak-life-240x176-15fps.avi"))
]
GENERATED_VIDEOS = ["x264-testsrc2-320x240-8fps.mp4", "mpeg4-mandelbrot-320x240-12fps.mp4"]

TOWERS = {
    "b32-tiny": {"contract": "clip-vit-b32-image", "file": "clip-b32-tiny.onnx", "seed": 0, "gain": 3.0,
                 "config": dict(input_resolution=224, patch_size=32, width=64, layers=2, heads=2, output_dim=32)},
    "l14-tiny": {"contract": "clip-vit-l14-image", "file": "clip-l14-tiny.onnx", "seed": 1, "gain": 3.0,
                 "config": dict(input_resolution=224, patch_size=14, width=48, layers=2, heads=2, output_dim=24)},
}
HEAD = {"contract": "laion-aesthetic-vit-l14", "file": "laion-head-tiny.onnx", "seed": 2, "in_features": 24,
        "weight_std": 3.0, "bias_mean": 5.0}
# --full (bench/vbench-quality.ts --full): the full-size towers of clip.load("ViT-B/32") and ("ViT-L/14")
# (openai/CLIP build_model's vision configs) and the LAION head's Linear(768, 1); random weights as above.
TOWERS_FULL = {
    "b32-tiny": {**TOWERS["b32-tiny"], "file": "clip-b32-full.onnx", "gain": 1.0,
                 "config": dict(input_resolution=224, patch_size=32, width=768, layers=12, heads=12, output_dim=512)},
    "l14-tiny": {**TOWERS["l14-tiny"], "file": "clip-l14-full.onnx", "gain": 1.0,
                 "config": dict(input_resolution=224, patch_size=14, width=1024, layers=24, heads=16, output_dim=768)},
}
HEAD_FULL = {**HEAD, "file": "laion-head-full.onnx", "in_features": 768, "weight_std": 0.2}
INIT_NOTE = ("torch.manual_seed(seed); official VisionTransformer constructor; then, continuing the same stream, every "
             "parameter in named_parameters() order: class_embedding, positional_embedding and proj keep the "
             "official init (width^-0.5 * randn); other matrices (conv1, attn in_proj/out_proj, mlp c_fc/c_proj) ~ "
             "N(0, gain^2/fan_in), fan_in = numel of one output row; LayerNorm weights 1 + N(0, 0.1^2); all biases "
             "N(0, 0.1^2)")


def init_tower(visual, gain):
    with torch.no_grad():
        for name, p in visual.named_parameters():
            if name in ("class_embedding", "positional_embedding", "proj"):
                continue
            if p.dim() >= 2:
                p.copy_(torch.randn_like(p) * (gain / math.sqrt(p[0].numel())))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn_like(p))
            elif name.endswith("weight"):  # LayerNorm
                p.copy_(1.0 + 0.1 * torch.randn_like(p))
            else:
                raise RuntimeError(f"unexpected parameter {name}")


def build_tower(model_mod, spec):
    torch.manual_seed(spec["seed"])
    visual = model_mod.VisionTransformer(**spec["config"])
    init_tower(visual, spec["gain"])
    visual.float()  # what clip.load(device="cpu") does (model.float()); already fp32 here
    return oc.image_encoder(model_mod, visual).eval()


def build_head(spec):
    torch.manual_seed(spec["seed"])
    head = nn.Linear(spec["in_features"], 1)
    with torch.no_grad():
        head.weight.copy_(torch.randn_like(head.weight) * spec["weight_std"])
        head.bias.copy_(spec["bias_mean"] + torch.randn_like(head.bias))
    return head.eval()


def make_videos(work, media_dir=None):
    """The cut media videos and the generated ones, in `work`."""
    videos = []
    media = pc.media_stand_ins(media_dir)
    for cut in MEDIA_CUTS:
        src = media[cut["source"]][0]
        out = os.path.join(work, cut["file"])
        args = [a.replace("{in}", src).replace("{out}", out) for a in cut["ffmpeg_args"]]
        subprocess.run([FFMPEG, *args], check=True)
        videos.append({"video": f"media-cut:{cut['file']}", "path": out, "sha256": pc.sha256_file(out),
                       "made": {"source": cut["source"], "source_made_by": "tools/fixtures/media-stand-ins.ts",
                                "source_sha256": media[cut["source"]][1],
                                "ffmpeg": "node_modules/@ffmpeg-installer/linux-x64/ffmpeg",
                                "ffmpeg_args": cut["ffmpeg_args"]}})
    shas = pc.make_sample_videos(work)
    for f in GENERATED_VIDEOS:
        videos.append({"video": f"generated:{f}", "path": os.path.join(work, f), "sha256": shas[f],
                       "made": {"recipe": "tools/fixtures/make-sample-videos.ts SAMPLE_VIDEO_RECIPES", "file": f}})
    return videos


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vbench", help="VBench git mirror or checkout (pinned %s)" % oc.VBENCH_COMMIT[:7])
    ap.add_argument("--clip", help="openai/CLIP git mirror or checkout (pinned %s)" % oc.CLIP_COMMIT[:7])
    ap.add_argument("--out", default=os.path.join(ROOT, "tests/golden/vbench-clip-dims.json"))
    ap.add_argument("--models", default=os.path.join(ROOT, "tests/fixtures/models"))
    ap.add_argument("--keep", help="make the videos here (default: a temp dir)")
    ap.add_argument("--media", help="make the media stand-ins here (default: the per-machine folder of "
                                    "tools/fixtures/media-stand-ins.ts, which the tests use too)")
    ap.add_argument("--full", action="store_true",
                    help="full-size ViT-B/32, ViT-L/14 and Linear(768, 1) (for bench/vbench-quality.ts; writes "
                         "clip-{b32,l14}-full.onnx and laion-head-full.onnx, about 1.5 GB)")
    args = ap.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    TOWERS_USED, HEAD_USED = (TOWERS_FULL, HEAD_FULL) if args.full else (TOWERS, HEAD)

    model_mod = oc.load_clip_model_module(pc.pick_source(args.clip, oc.DEFAULT_CLIP, "CLIP"))
    bc, aq, _ = oc.load_vbench_modules(pc.pick_source(args.vbench, oc.DEFAULT_VBENCH, "VBench"))
    towers = {name: build_tower(model_mod, spec) for name, spec in TOWERS_USED.items()}
    head = build_head(HEAD_USED)

    # ONNX fixtures (same weights) and torch reference outputs on deterministic inputs.
    os.makedirs(args.models, exist_ok=True)
    models, checks = {}, []
    for name, spec in TOWERS_USED.items():
        path = os.path.join(args.models, spec["file"])
        sha = oc.export_image_tower(towers[name], path)
        models[name] = {"contract": spec["contract"], "file": os.path.relpath(path, ROOT), "sha256": sha,
                        "bytes": os.path.getsize(path), "config": spec["config"], "seed": spec["seed"],
                        "gain": spec["gain"], "init": INIT_NOTE,
                        "inputs": {"pixel_values": "float32 [batch,3,224,224]"},
                        "outputs": {"image_embeds": f"float32 [batch,{spec['config']['output_dim']}]"}}
        x = pc.check_input((2, 3, 224, 224), offset=-0.5)
        with torch.no_grad():
            y = towers[name].encode_image(x)
        checks.append({"model": name, "input_name": "pixel_values", "shape": [2, 3, 224, 224],
                       "output_name": "image_embeds", "output": [[float(v) for v in row] for row in y]})
    path = os.path.join(args.models, HEAD_USED["file"])
    models["laion-head-tiny"] = {"contract": HEAD_USED["contract"], "file": os.path.relpath(path, ROOT),
                                 "sha256": oc.export_linear_head(head, path), "bytes": os.path.getsize(path),
                                 "config": {"in_features": HEAD_USED["in_features"], "out_features": 1}, "seed": HEAD_USED["seed"],
                                 "init": f"torch.manual_seed(2); nn.Linear({HEAD_USED['in_features']}, 1); weight <- N(0, {HEAD_USED['weight_std']:g}^2); bias <- 5 + N(0, 1)",
                                 "inputs": {"image_embeds": f"float32 [batch,{HEAD_USED['in_features']}]"}, "outputs": {"score": "float32 [batch,1]"}}
    x = pc.check_input((2, HEAD_USED["in_features"]), offset=-0.5)
    with torch.no_grad():
        y = head(x)
    checks.append({"model": "laion-head-tiny", "input_name": "image_embeds", "shape": [2, HEAD_USED["in_features"]],
                   "output_name": "score", "output": [[float(v) for v in row] for row in y]})

    # The official per-video loops.
    work = args.keep or tempfile.mkdtemp(prefix="genbench-clip-golden-")
    os.makedirs(work, exist_ok=True)
    videos = make_videos(work, args.media)
    paths = [v["path"] for v in videos]
    t0 = time.perf_counter()
    bg_score, bg_results = bc.background_consistency(towers["b32-tiny"], None, paths, "cpu", False)
    t1 = time.perf_counter()
    aes_score, aes_results = aq.laion_aesthetic(head, towers["l14-tiny"], paths, "cpu")
    t2 = time.perf_counter()

    rows = []
    for v, b, a in zip(videos, bg_results, aes_results):
        assert b["video_path"] == v["path"] and a["video_path"] == v["path"]
        frames = len(pc.CV2VideoReader(v["path"]))
        assert b["cnt_per_video"] == frames - 1
        rows.append({"video": v["video"], "sha256": v["sha256"], "made": v["made"], "frames": frames,
                     "background": {"video_results": b["video_results"], "video_sim": b["video_sim"],
                                    "cnt_per_video": b["cnt_per_video"]},
                     "aesthetic": {"video_results": a["video_results"]}})
        print(f"{v['video']}: {frames} frames, background {b['video_results']!r}, aesthetic {a['video_results']!r}",
              file=sys.stderr)

    out = {
        "what": "VBench background_consistency and aesthetic_quality on reduced random-weight CLIP image towers, "
                "from the official code",
        "generator": "tools/parity/clip_consistency_aesthetic_golden.py",
        **({"full_size": True} if args.full else {}),
        "official": {"vbench": {"repository": "Vchitect/VBench", "commit": oc.VBENCH_COMMIT,
                                "files": ["vbench/background_consistency.py", "vbench/aesthetic_quality.py",
                                          "vbench/utils.py"]},
                     "clip": {"repository": "openai/CLIP", "commit": oc.CLIP_COMMIT, "file": "clip/model.py"}},
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "torchvision": __import__("torchvision").__version__, "numpy": np.__version__,
                     "opencv": __import__("cv2").__version__, "onnx": __import__("onnx").__version__},
        "precision": "fp32: on a CPU the official clip.load calls model.float(), so CLIP runs in fp32 and every cosine "
                     "is a float32 value; on CUDA (the official benchmark) CLIP stays fp16 and the cosines are fp16 "
                     "scalars. These goldens are the fp32 path: genbench is run with "
                     "createBackgroundConsistencyDimension({ cosine: 'fp32' }).",
        "decoder": "decord stand-in: all frames via cv2.VideoCapture (OpenCV 4.6), BGR->RGB; genbench's decoder is "
                   "byte-identical to OpenCV 4.6",
        "frames_note": f"VBench's load_video reads only .mp4/.gif/.png (the .avi media raise NotImplementedError). To "
                       f"keep the test short the two media stand-ins are cut to their first {CUT_FRAMES} frames by a "
                       f"deterministic re-encode (pinned static ffmpeg 4.1, x264 -threads 1, bitexact); both sides "
                       f"decode ALL frames of the same files (sha256 checked).",
        "models": models,
        "model_checks": {"input": "value ((i*7919) % 1000)/1000 - 0.5 at flat index i, float64 -> float32",
                         "checks": checks},
        "videos": rows,
        "background_score": bg_score,
        "background_aggregate": "sum(video_sim) / sum(cnt_per_video)",
        "aesthetic_score": aes_score,
        "aesthetic_aggregate": "mean of per-video video_results",
        "official_seconds": {"background_consistency": t1 - t0, "aesthetic_quality": t2 - t1},
    }
    pc.write_json(args.out, out)
    print(f"background_score {bg_score!r}; aesthetic_score {aes_score!r}", file=sys.stderr)
    for name, m in models.items():
        print(f"{m['file']}: {m['bytes']} bytes sha256 {m['sha256']}", file=sys.stderr)


if __name__ == "__main__":
    main()
