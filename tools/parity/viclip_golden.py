#!/usr/bin/python3
"""Golden values and tiny ONNX fixtures for VBench temporal_style and overall_consistency (ViCLIP
video-text similarity), from the OFFICIAL code run unmodified.

What runs: VBench 45e79ec `VBench("cpu", VBench_full_info.json, OUT).evaluate(VIDEOS, "golden",
dimension_list=["temporal_style", "overall_consistency"], local=True)` (vbench/__init__.py, utils.py,
distributed.py, temporal_style.py, overall_consistency.py, third_party/ViCLIP/*: init_submodules,
build_full_info_json (vbench_standard), compute_<dim> -> SimpleTokenizer(<cache>/ViCLIP/bpe...),
ViCLIP(tokenizer, pretrain=<cache>/ViCLIP/ViClip-InternVid-10M-FLT.pth) (strict load of ['model']),
read_frames_decord_by_fps(8, 'middle'), clip_transform(224), encode_vision / encode_text, cosine,
mean; save_json). See tools/parity/official_viclip.py and official_vbench_semantic.py.

The one substitution: ViCLIP.__init__ builds its towers through two module-level functions
(clip_joint_l14, clip_text_l14) that hard-code the L/14 sizes; while the golden runs they build the
SAME official classes (viclip_vision.VisionTransformer, viclip_text.CLIP_TEXT) with the same other
arguments (patch 14, 8 frames, kernel 1, drop_path 0.1, checkpoint_num 24 / 0, context 32,
vocabulary 49408) and reduced sizes (CONFIG). The checkpoint is saved as {'model': state_dict}, the
released format, and loaded strictly by ViCLIP itself. Weights: torch.manual_seed(SEED), the
official constructors, then re-drawn (INIT_NOTE): the constructors leave proj, text_projection and
the text positional embedding uninitialised (torch.empty) and the temporal embedding zero.

The stand-ins (tools/parity/timm_einops_standins.py): einops.rearrange for ViCLIP's two patterns,
timm's DropPath (identity in eval mode) and register_model; decord via OpenCV with its torch bridge
(parity_common.decord_module); ftfy from --pydeps or the ASCII stand-in (all these prompts are ASCII).
The BPE file default_bpe() would wget at import is copied into the cache from the openai/CLIP mirror.

Videos: media-stand-in cuts of 48, 5 and 1 frames and two make-sample-videos recipes (24 frames),
under the standard-mode names of five entries (PLAN): 8 'middle' frames are taken from 48 (spread),
24, 5 (indices 0..4 then 4 repeated) and 1 (8 copies of frame 0) frames; sizes 640x480 (down to 224
short side) and 240x176 / 320x240 (up). Two temporal_style prompts that the context of 32 truncates to
the same ids (entries 673 and 680) score the same video (the same value: the quirk), and the
overall_consistency prompt of entry 699 loses its final '.' to truncation.

Upstream text is not written: `{{vbench-prompt:i}}` = prompt_en of entry i of the pinned
VBench_full_info.json (the tests read it).

  /usr/bin/python3 tools/parity/viclip_golden.py [--vbench M] [--clip M] [--pydeps DIR]
      [--out tests/golden/vbench-viclip.json] [--models tests/fixtures/models] [--keep DIR] [--media DIR]
      [--full] [--time-each]

--full (bench/vbench-semantic.ts --full; needs --out and --models elsewhere than the committed ones): the
full-size ViCLIP-L/14 the unmodified builders make (vision width 1024 x 24 layers, text width 768 x 12,
embed 768), the same init with gain 1; about 1.7 GB of ONNX.
--time-each: also record `official_seconds_by_dimension`, the time of each official compute_<dim> call
inside the one evaluate (a timer around the official function; nothing else changes).

Writes tests/golden/vbench-viclip.json, tests/fixtures/models/viclip-tiny-video.onnx
('viclip-l14-video': pixel_values float32 [batch,8,3,224,224] -> video_embeds float32 [batch,24]) and
tests/fixtures/models/viclip-tiny-text.onnx ('viclip-l14-text': input_ids int64 [batch,32] ->
text_embeds float32 [batch,24]), exported from a ViCLIP loaded from the same checkpoint.
"""
import argparse
import contextlib
import importlib
import json
import math
import os
import platform
import shutil
import sys
import tempfile
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official_viclip as ov  # noqa: E402
import official_vbench_semantic as ovs  # noqa: E402
import parity_common as pc  # noqa: E402

ROOT = pc.ROOT
DIMS = ["temporal_style", "overall_consistency"]
SEED = 4
CONFIG = dict(vision_width=32, vision_layers=2, vision_heads=2, embed_dim=24, text_width=8, text_heads=2, text_layers=2)
GAIN = 3.0
FULL_GAIN = 1.0
VIDEO_FILE = "viclip-tiny-video.onnx"
TEXT_FILE = "viclip-tiny-text.onnx"
INIT_NOTE = ("torch.manual_seed(4); ViCLIP(tokenizer, pretrain=None) with the reduced builders; then, continuing the "
             "stream, every parameter in named_parameters() order: temp kept (1/100); class_embedding and the vision "
             "positional_embedding kept (official width^-0.5 randn); temporal_positional_embedding N(0, 0.5^2); proj and "
             "text_projection N(0, 1/fan_in); token_embedding N(0, 1); text positional_embedding N(0, 0.1^2); other "
             "matrices (conv1, attention, mlp) N(0, 3^2/fan_in), fan_in = numel of one output row; LayerNorm weights "
             "1 + N(0, 0.1^2); biases N(0, 0.1^2)")

CUTS = [("bars-first48.mp4", "x264-high-bars-640x480-vfr.mp4", 48),
        ("life-first48.mp4", "cinepak-life-240x176-15fps.avi", 48),
        ("life-first5.mp4", "cinepak-life-240x176-15fps.avi", 5),
        ("life-first1.mp4", "cinepak-life-240x176-15fps.avi", 1)]
GENERATED = ["x264-testsrc2-320x240-8fps.mp4", "mpeg4-mandelbrot-320x240-12fps.mp4"]
# (dimension, n-th entry of that dimension in VBench_full_info.json, {video index: video}).
PLAN = [
    ("temporal_style", 0, {0: "media-cut:bars-first48.mp4", 1: "media-cut:life-first5.mp4"}),
    ("temporal_style", 90, {0: "media-cut:life-first48.mp4"}),
    ("temporal_style", 97, {0: "media-cut:life-first48.mp4"}),
    ("overall_consistency", 0, {0: "generated:x264-testsrc2-320x240-8fps.mp4", 1: "media-cut:life-first1.mp4"}),
    ("overall_consistency", 16, {0: "generated:mpeg4-mandelbrot-320x240-12fps.mp4"}),
]


def prompt_token(i):
    return "{{vbench-prompt:%d}}" % i


def init_weights(model, gain=GAIN):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name in ("temp", "vision_encoder.class_embedding", "vision_encoder.positional_embedding"):
                continue
            if name == "vision_encoder.temporal_positional_embedding":
                p.copy_(0.5 * torch.randn_like(p))
            elif name in ("vision_encoder.proj", "text_encoder.text_projection"):
                p.copy_(torch.randn_like(p) / math.sqrt(p.shape[0]))
            elif name == "text_encoder.token_embedding.weight":
                p.copy_(torch.randn_like(p))
            elif name == "text_encoder.positional_embedding":
                p.copy_(0.1 * torch.randn_like(p))
            else:
                pc.init_rest(name, p, gain)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vbench", help="VBench git mirror or checkout (pinned %s)" % pc.VBENCH_COMMIT[:7])
    ap.add_argument("--clip", help="openai/CLIP git mirror or checkout (for the BPE file)")
    ap.add_argument("--pydeps", help="folder holding an unpacked ftfy wheel")
    ap.add_argument("--out", default=os.path.join(ROOT, "tests/golden/vbench-viclip.json"))
    ap.add_argument("--models", default=os.path.join(ROOT, "tests/fixtures/models"))
    ap.add_argument("--keep", help="work here (default: a temp dir)")
    ap.add_argument("--media", help="make the media stand-ins here (default: the tests' per-machine folder)")
    ap.add_argument("--full", action="store_true", help="the full-size ViCLIP-L/14 (bench/vbench-semantic.ts --full)")
    ap.add_argument("--time-each", action="store_true", help="also time each official compute_<dim> call")
    args = ap.parse_args()
    if args.full and (args.out == ap.get_default("out") or args.models == ap.get_default("models")):
        sys.exit("--full writes full-size models and their golden: give --out and --models outside the committed ones")
    # The official builders as they are (full size) or the reduced ones.
    sized = (lambda: contextlib.nullcontext()) if args.full else (lambda: ov.reduced(viclip, CONFIG))
    embed = 768 if args.full else CONFIG["embed_dim"]
    torch.set_num_threads(max(1, os.cpu_count() or 1))

    work = args.keep or tempfile.mkdtemp(prefix="genbench-viclip-")
    os.makedirs(work, exist_ok=True)
    cache = os.path.join(work, "cache")
    vb, vroot, viclip = ov.load(pc.pick_vbench(args.vbench), cache, args.pydeps, args.clip)
    bpe_sha = pc.sha256_file(os.path.join(cache, "ViCLIP", ov.BPE_NAME))
    ftfy = sys.modules["ftfy"]
    ftfy_note = "ascii stand-in" if getattr(ftfy, "STAND_IN", False) else f"ftfy {getattr(ftfy, '__version__', '?')}"
    info = ovs.full_info(vroot)
    by_dim = {d: [i for i, e in enumerate(info) if d in e["dimension"]] for d in DIMS}
    assert len(by_dim["temporal_style"]) == 100 and len(by_dim["overall_consistency"]) == 93
    for d in DIMS:
        for i in by_dim[d]:
            assert sys.modules["ftfy"].fix_text(info[i]["prompt_en"]) == info[i]["prompt_en"]

    # The reduced checkpoint in the released format.
    ckpt = os.path.join(cache, "ViCLIP", "ViClip-InternVid-10M-FLT.pth")
    with sized():
        torch.manual_seed(SEED)
        model = ov.load_checkpoint(viclip, None)
        init_weights(model, FULL_GAIN if args.full else GAIN)
        torch.save({"model": model.state_dict()}, ckpt)
    keys = sorted(model.state_dict())

    videos = ovs.make_videos(os.path.join(work, "made"), CUTS, GENERATED, args.media)
    vdir = ovs.fresh_dir(os.path.join(work, "videos"))
    names = {}
    for dim, nth, vids in PLAN:
        i = by_dim[dim][nth]
        for k, vid in vids.items():
            path = os.path.join(vdir, f"{info[i]['prompt_en']}-{k}.mp4")
            shutil.copyfile(videos[vid]["path"], path)
            names[path] = (f"{prompt_token(i)}-{k}.mp4", vid)

    by_dimension = {}
    if args.time_each:
        for dim in DIMS:
            mod = importlib.import_module(f"vbench.{dim}")
            fn = getattr(mod, f"compute_{dim}")

            def timed(*a, _fn=fn, _dim=dim, **k):
                t = time.perf_counter()
                try:
                    return _fn(*a, **k)
                finally:
                    by_dimension[_dim] = time.perf_counter() - t
            setattr(mod, f"compute_{dim}", timed)
    out_dir = os.path.join(work, "official-output")
    t0 = time.perf_counter()
    with sized(), open(os.path.join(work, "official-stdout.txt"), "w") as log, \
            contextlib.redirect_stdout(log):
        results, _ = ovs.evaluate(vb, vroot, vdir, out_dir, DIMS)
    official_seconds = time.perf_counter() - t0

    # A ViCLIP loaded from the same checkpoint by the official class, exported.
    with sized():
        model = ov.load_checkpoint(viclip, ckpt)
    os.makedirs(args.models, exist_ok=True)
    video_path = os.path.join(args.models, VIDEO_FILE)
    text_path = os.path.join(args.models, TEXT_FILE)
    video_sha = ov.export_video(model, video_path)
    text_sha = ov.export_text(model, text_path)

    # Token ids (ViCLIP's own tokenizer, context 32, truncation) of every prompt used.
    used = sorted({by_dim[d][n] for d, n, _ in PLAN})
    ids = {i: model.text_encoder.tokenize(info[i]["prompt_en"], context_length=ov.CONTEXT)[0] for i in used}
    full_len = {i: len(model.text_encoder._tokenizer.encode(info[i]["prompt_en"])) + 2 for i in used}

    x = pc.check_input((2, ov.FRAMES, 3, 224, 224), offset=-0.5)
    id_batch = torch.stack([ids[i] for i in used]).long()
    with torch.no_grad():
        v = model.encode_vision(x, test=True).float()
        t = model.text_encoder(id_batch).float()
    ort_v = pc.ort_run_node(video_path, {"pixel_values": x.numpy()})
    ort_t = pc.ort_run_node(text_path, {"input_ids": id_batch.numpy()})
    diffs = {"video_embeds": float(np.abs(ort_v["video_embeds"] - v.numpy()).max()),
             "text_embeds": float(np.abs(ort_t["text_embeds"] - t.numpy()).max())}
    print(f"onnxruntime-node vs torch: {diffs}", file=sys.stderr)
    ovs.require_export_match(diffs, {"video_embeds": v.numpy(), "text_embeds": t.numpy()}, args.full)

    dims_out = {}
    for dim in DIMS:
        score, video_results = results[dim]
        by_path = {r["video_path"]: r for r in video_results}
        rows, vals = [], []
        for d, nth, vids in PLAN:
            if d != dim:
                continue
            i = by_dim[dim][nth]
            vrows = []
            for k, vid in vids.items():
                path = os.path.join(vdir, f"{info[i]['prompt_en']}-{k}.mp4")
                r = by_path[path]
                n = len(pc.CV2VideoReader(path))
                idx = [int(j) for j in sys.modules["vbench.utils"].get_frame_indices(ov.FRAMES, n, sample="middle")]
                vals.append(r["video_results"])
                vrows.append({"file": names[path][0], "video": vid, "sha256": videos[vid]["sha256"],
                              "made": videos[vid]["made"], "frames": n, "frame_indices": idx,
                              "video_results": r["video_results"]})
                print(f"{dim} entry {i} video {k} ({vid}): {n} frames, {r['video_results']!r}", file=sys.stderr)
            rows.append({"full_info_index": i, "ordinal": nth, "prompt": prompt_token(i),
                         "token_ids": [int(v) for v in ids[i] if int(v) != 0], "tokens_before_truncation": full_len[i],
                         "truncated": full_len[i] > ov.CONTEXT, "videos": vrows})
        assert len(vals) == len(video_results)
        dims_out[dim] = {"entries": rows, "score": score, "score_check": float(np.mean(vals)),
                         "official_eval_results": [score, [{**r, "video_path": "VIDEOS/" + names[r["video_path"]][0]}
                                                           for r in video_results]]}
        assert abs(dims_out[dim]["score_check"] - score) < 1e-12

    golden = {
        "what": "VBench temporal_style and overall_consistency from the official code (VBench.evaluate, unmodified) on "
                "a reduced random-weight ViCLIP (official classes) loaded strictly from a {'model': state_dict} checkpoint",
        "generator": "tools/parity/viclip_golden.py",
        "official": {"vbench": {"repository": "Vchitect/VBench", "commit": pc.VBENCH_COMMIT,
                                "files": ["vbench/__init__.py", "vbench/utils.py", "vbench/distributed.py",
                                          "vbench/VBench_full_info.json", *ov.FILES]},
                     "call": "VBench('cpu', VBench_full_info.json, OUT).evaluate(VIDEOS, 'golden', dimension_list="
                             "['temporal_style', 'overall_consistency'], local=True) with VBENCH_CACHE_DIR holding "
                             "ViCLIP/ViClip-InternVid-10M-FLT.pth and ViCLIP/bpe_simple_vocab_16e6.txt.gz",
                     "bpe_sha256": bpe_sha},
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "torchvision": __import__("torchvision").__version__, "numpy": np.__version__,
                     "opencv": __import__("cv2").__version__, "onnx": __import__("onnx").__version__,
                     "ftfy": ftfy_note, "timm": "stand-in (tools/parity/timm_einops_standins.py)",
                     "einops": "stand-in (tools/parity/timm_einops_standins.py)"},
        "upstream_text": "{{vbench-prompt:i}} = prompt_en of entry i (0-based, file order) of the pinned VBench_full_info.json",
        "precision": "fp32 (the official code runs ViCLIP in fp32 on CPU and GPU)",
        "decoder": "decord stand-in: all frames via cv2.VideoCapture (OpenCV 4.6), BGR->RGB, torch bridge "
                   "(tools/parity/parity_common.py)",
        **({"full_size": "the official builders' sizes, gain 1 where INIT_NOTE says 3"} if args.full else {}),
        "model": {"config": CONFIG if not args.full else "full size (clip_joint_l14, clip_text_l14)", "fixed": {"patch_size": 14, "input_resolution": 224, "frames": 8, "kernel_size": 1,
                                               "context_length": 32, "vocab_size": 49408},
                  "seed": SEED, "init": INIT_NOTE, "checkpoint_format": "{'model': state_dict}, torch.save",
                  "state_dict_keys": keys},
        "models": {
            "video": {"contract": "viclip-l14-video", "file": os.path.relpath(video_path, ROOT), "sha256": video_sha,
                      "bytes": os.path.getsize(video_path),
                      "inputs": {"pixel_values": "float32 [batch,8,3,224,224]"},
                      "outputs": {"video_embeds": f"float32 [batch,{embed}] (encode_vision, not normalised)"}},
            "text": {"contract": "viclip-l14-text", "file": os.path.relpath(text_path, ROOT), "sha256": text_sha,
                     "bytes": os.path.getsize(text_path),
                     "inputs": {"input_ids": "int64 [batch,32]"},
                     "outputs": {"text_embeds": f"float32 [batch,{embed}] (text_encoder, not normalised)"}},
        },
        "model_checks": {"onnxruntime_node_vs_torch_max_abs": diffs, "checks": [
            {"model": "video", "input_name": "pixel_values", "shape": [2, ov.FRAMES, 3, 224, 224],
             "input": "value ((i*7919) % 1000)/1000 - 0.5 at flat index i, float64 -> float32",
             "output_name": "video_embeds", "output": v.tolist()},
            {"model": "text", "input_name": "input_ids", "shape": list(id_batch.shape),
             "input": "token_ids of the entries with full_info_index " + ", ".join(map(str, used)) +
                      " (in that order), zero-padded to 32, int64",
             "full_info_indices": used, "output_name": "text_embeds", "output": t.tolist()}]},
        "tokenizer": {"what": "ViCLIP's ids (CLIP_TEXT.tokenize(prompt, context_length=32), truncate=True) of EVERY "
                              "temporal_style and overall_consistency prompt, by full_info_index; non-zero ids only "
                              "(the row is zero-padded to 32)",
                      "ids": {str(i): [int(v) for v in model.text_encoder.tokenize(info[i]["prompt_en"], context_length=ov.CONTEXT)[0] if int(v) != 0]
                              for d in DIMS for i in by_dim[d]},
                      "lengths_before_truncation": {str(i): len(model.text_encoder._tokenizer.encode(info[i]["prompt_en"])) + 2
                                                    for d in DIMS for i in by_dim[d]}},
        "aggregate": "per video: cosine of the L2-normalised video and text features (fp32, then Python float); "
                     "dimension: numpy mean over all videos",
        "dimensions": dims_out,
        "official_seconds": official_seconds,
        **({"official_seconds_by_dimension": by_dimension} if args.time_each else {}),
    }
    dumped = json.dumps(golden)
    for d in DIMS:
        for i in by_dim[d]:
            assert info[i]["prompt_en"] not in dumped, "upstream prompt text in the golden"
    pc.write_json(args.out, golden)
    for d in DIMS:
        print(f"{d}: score {dims_out[d]['score']!r}", file=sys.stderr)
    print(f"{video_sha}  {os.path.relpath(video_path, ROOT)} ({os.path.getsize(video_path)} bytes)")
    print(f"{text_sha}  {os.path.relpath(text_path, ROOT)} ({os.path.getsize(text_path)} bytes)")


if __name__ == "__main__":
    main()
