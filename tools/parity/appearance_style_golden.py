#!/usr/bin/python3
"""Golden values and tiny ONNX fixtures for VBench appearance_style (CLIP ViT-B/32 image-text
similarity), from the OFFICIAL code run unmodified.

What runs: VBench 45e79ec `VBench("cpu", VBench_full_info.json, OUT).evaluate(VIDEOS, "golden",
dimension_list=["appearance_style"], local=True)` (vbench/__init__.py, utils.py, distributed.py,
appearance_style.py: init_submodules, build_full_info_json in vbench_standard mode,
compute_appearance_style -> clip.load(device="cpu", name=<cache>/clip_model/ViT-B-32.pt), the
per-frame loop, save_json), with the OFFICIAL openai/CLIP package (d05afc4: clip.load, build_model,
tokenize, model.py) loading a REDUCED random-weight checkpoint saved in the released format.
See tools/parity/official_vbench_semantic.py and official_clip.py for the loaders.

The checkpoint: openai/CLIP's `CLIP` class with embed_dim 32, image 224, patch 32, vision width 64,
2 vision layers, context 77, vocabulary 49408 (every CLIP id stays valid), text width 64, 2 text
layers; heads = width // 64 = 1 in both towers, because build_model derives the heads that way
(widths below 64 cannot be loaded by the official loader). Weights (torch.manual_seed(SEED), the
official constructor, then re-drawn, see INIT_NOTE): with the constructor init every frame-to-text
cosine is nearly the same. logit_scale = float32(ln 100) as in the released model (with the
constructor's ln(1/0.07) every value would shrink by 0.14). The tensors build_model converts to fp16
(clip/model.py convert_weights: conv/linear weights and biases, attention in_proj, text_projection,
proj) are stored as fp16, as in the released ViT-B-32.pt, and the model is saved as a TorchScript
archive (torch.jit.trace of CLIP.forward) like the released file, so clip.load takes its
`torch.jit.load` branch and then `build_model(model.state_dict())`, `.float()` (CPU). Only the
token-embedding rows of the ids that VBench's nine style phrases tokenize to (and the start/end ids)
are non-zero: 49408 x 64 fp32 rows are 12.6 MB, mostly zeros, which git stores compressed.

Precision: fp32. On a CPU clip.load calls model.float(); on CUDA the official run stays fp16 (facts
in the JSON's "precision"); genbench's fp32 setting is what these goldens check.

Videos (all frames of each are scored): the first 48 frames of two media stand-ins and the first
frame of one (tools/fixtures/media-stand-ins.ts, re-encoded with the pinned static ffmpeg, as
tools/parity/clip_consistency_aesthetic_golden.py does), and two tools/fixtures/make-sample-videos.ts
recipes; copied under the standard-mode names `<prompt>-<i>.mp4` of four appearance_style entries of
VBench_full_info.json (PLAN), with different video counts per prompt, a missing index, one video
scored under two styles, and videos of 48, 24 and 1 frames (the dimension score is frame-weighted).

Upstream text is not written: file names and style phrases appear as `{{vbench-prompt:i}}` and
`{{vbench-appearance-style:i}}`, i = the entry's index in VBench_full_info.json (the tests read the
pinned file); the script fails if any prompt or style text would end up in the JSON.

  /usr/bin/python3 tools/parity/appearance_style_golden.py [--vbench M] [--clip M] [--pydeps DIR]
      [--out tests/golden/vbench-appearance-style.json] [--models tests/fixtures/models] [--keep DIR] [--media DIR]
      [--full]

--full (bench/vbench-semantic.ts --full; needs --out and --models elsewhere than the committed ones): the
full-size ViT-B/32 of clip.load("ViT-B/32") (CONFIG_FULL: embed 512, vision width 768 x 12 layers, text
width 512 x 12 layers, heads = width // 64), the same init with gain 1 in both towers; about 600 MB of ONNX.

--pydeps: a folder holding an unpacked ftfy wheel (CLIP's tokenizer imports ftfy); without it an
ASCII-only stand-in is used, which refuses any text ftfy could change (official_clip._ascii_ftfy).

Writes tests/golden/vbench-appearance-style.json, tests/fixtures/models/clip-b32-tiny-text.onnx
('clip-vit-b32-text': input_ids int64 [batch,77] -> text_embeds float32 [batch,32] = encode_text,
logit_scale float32 [] = exp(logit_scale)) and tests/fixtures/models/clip-b32-tiny-style-image.onnx
('clip-vit-b32-image': pixel_values float32 [batch,3,224,224] -> image_embeds float32 [batch,32]),
both exported from the model clip.load returned.
"""
import argparse
import gzip
import copy
import math
import os
import platform
import shutil
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import clip_consistency_aesthetic_golden as ccg  # noqa: E402
import official_clip as oc  # noqa: E402
import official_vbench_semantic as ovs  # noqa: E402
import parity_common as pc  # noqa: E402

ROOT = pc.ROOT
DIMENSION = "appearance_style"
SEED = 3
CONFIG = dict(embed_dim=32, image_resolution=224, vision_layers=2, vision_width=64, vision_patch_size=32,
              context_length=77, vocab_size=49408, transformer_width=64, transformer_heads=1, transformer_layers=2)
VISION_GAIN = 3.0
TEXT_GAIN = 2.0
# --full: the released ViT-B/32's sizes (build_model derives them from the state dict the same way).
CONFIG_FULL = dict(embed_dim=512, image_resolution=224, vision_layers=12, vision_width=768, vision_patch_size=32,
                   context_length=77, vocab_size=49408, transformer_width=512, transformer_heads=8, transformer_layers=12)
FULL_GAIN = 1.0
LOGIT_SCALE = float(np.float32(math.log(100.0)))
IMAGE_FILE = "clip-b32-tiny-style-image.onnx"
TEXT_FILE = "clip-b32-tiny-text.onnx"
INIT_NOTE = ("torch.manual_seed(3); openai/CLIP CLIP(**config); then, continuing the same stream: the visual tower as "
             "tools/parity/clip_consistency_aesthetic_golden.py init_tower with gain 3 (class/positional embedding and "
             "proj keep the official init; other matrices N(0, gain^2/fan_in); LayerNorm weights 1 + N(0, 0.1^2); biases "
             "N(0, 0.1^2)); then the text side in named_parameters() order: token_embedding zero except the rows of "
             "`token_rows` ~ N(0, 1); positional_embedding N(0, 0.1^2); transformer matrices N(0, 2^2/fan_in); "
             "LayerNorm weights 1 + N(0, 0.1^2); biases N(0, 0.1^2); text_projection keeps the official init; "
             "logit_scale = float32(ln 100). Then every tensor clip/model.py convert_weights makes fp16 is rounded to "
             "fp16 and stored as fp16 in the TorchScript archive")

# Media cuts: (file, media stand-in, frames). The 48-frame ones are those of clip_consistency_aesthetic_golden.
CUTS = [("bars-first48.mp4", "x264-high-bars-640x480-vfr.mp4", 48),
        ("life-first48.mp4", "cinepak-life-240x176-15fps.avi", 48),
        ("life-first1.mp4", "cinepak-life-240x176-15fps.avi", 1)]
GENERATED = ["x264-testsrc2-320x240-8fps.mp4", "mpeg4-mandelbrot-320x240-12fps.mp4"]
# (n-th appearance_style entry of VBench_full_info.json in file order, {video index: source video}).
# Entries 0, 2, 4 carry three different styles (the longest phrase, with a comma, and a two-word one);
# entry 12 is another prompt with a fourth style and re-uses a video of entry 0.
PLAN = [
    (0, {0: "media-cut:bars-first48.mp4", 1: "generated:x264-testsrc2-320x240-8fps.mp4"}),
    (2, {0: "media-cut:life-first48.mp4"}),
    (4, {0: "generated:mpeg4-mandelbrot-320x240-12fps.mp4", 2: "media-cut:life-first1.mp4"}),
    (12, {0: "generated:x264-testsrc2-320x240-8fps.mp4"}),
]


def prompt_token(i):
    return "{{vbench-prompt:%d}}" % i


def style_token(i):
    return "{{vbench-appearance-style:%d}}" % i


def style_entries(info):
    """[(index in VBench_full_info.json, prompt, style phrase)] of the appearance_style entries, file order."""
    return [(i, e["prompt_en"], e["auxiliary_info"][DIMENSION][DIMENSION]) for i, e in enumerate(info)
            if DIMENSION in e["dimension"]]


def distinct_styles(entries):
    """[(first entry index, style phrase)] in order of first appearance."""
    seen = {}
    for i, _, s in entries:
        seen.setdefault(s, i)
    return [(i, s) for s, i in seen.items()]


def build_checkpoint(clip, token_rows, path, config=CONFIG, vision_gain=VISION_GAIN, text_gain=TEXT_GAIN):
    """The reduced CLIP (official class), re-drawn; written to `path` as a TorchScript archive with the
    fp16-converted tensors stored as fp16. Returns the names of those tensors."""
    torch.manual_seed(SEED)
    model = clip.model.CLIP(**config)
    ccg.init_tower(model.visual, vision_gain)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.startswith("visual."):
                continue
            if name == "token_embedding.weight":
                p.zero_()
                p[token_rows] = torch.randn(len(token_rows), p.shape[1])
            elif name == "positional_embedding":
                p.copy_(0.1 * torch.randn_like(p))
            elif name in ("text_projection",):
                continue
            elif name == "logit_scale":
                p.fill_(LOGIT_SCALE)
            else:
                pc.init_rest(name, p, text_gain)
    probe = copy.deepcopy(model)
    clip.model.convert_weights(probe)
    half = [n for n, t in probe.state_dict().items() if t.dtype == torch.float16]
    with torch.no_grad():
        sd = model.state_dict()
        for n in half:
            sd[n].copy_(sd[n].half().float())
    model.eval()
    image = torch.zeros(1, 3, 224, 224)
    text = clip.tokenize(["a"])
    with torch.no_grad():
        traced = torch.jit.trace(model, (image, text), check_trace=False)
    params = dict(traced.named_parameters())
    for n in half:
        params[n].data = params[n].data.half()
    traced.save(path)
    return half, model


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vbench", help="VBench git mirror or checkout (pinned %s)" % pc.VBENCH_COMMIT[:7])
    ap.add_argument("--clip", help="openai/CLIP git mirror or checkout (pinned %s)" % oc.CLIP_COMMIT[:7])
    ap.add_argument("--pydeps", help="folder holding an unpacked ftfy wheel")
    ap.add_argument("--out", default=os.path.join(ROOT, "tests/golden/vbench-appearance-style.json"))
    ap.add_argument("--models", default=os.path.join(ROOT, "tests/fixtures/models"))
    ap.add_argument("--keep", help="work here (videos, checkpoint, official output; default: a temp dir)")
    ap.add_argument("--media", help="make the media stand-ins here (default: the tests' per-machine folder)")
    ap.add_argument("--full", action="store_true", help="full-size ViT-B/32 towers (bench/vbench-semantic.ts --full)")
    args = ap.parse_args()
    if args.full and (args.out == ap.get_default("out") or args.models == ap.get_default("models")):
        sys.exit("--full writes full-size models and their golden: give --out and --models outside the committed ones")
    config = CONFIG_FULL if args.full else CONFIG
    torch.set_num_threads(max(1, os.cpu_count() or 1))

    work = args.keep or tempfile.mkdtemp(prefix="genbench-appearance-style-")
    os.makedirs(work, exist_ok=True)
    cache = os.path.join(work, "cache")
    os.makedirs(os.path.join(cache, "clip_model"), exist_ok=True)
    ckpt = os.path.join(cache, "clip_model", "ViT-B-32.pt")

    clip, ftfy_note = oc.load_clip_package(pc.pick_source(args.clip, oc.DEFAULT_CLIP, "CLIP"), args.pydeps)
    vb, vroot = ovs.load_vbench(pc.pick_vbench(args.vbench), ["vbench/appearance_style.py"], cache)
    info = ovs.full_info(vroot)
    entries = style_entries(info)
    assert len(entries) == 90
    styles = distinct_styles(entries)
    assert len(styles) == 9
    for i, p, s in entries:
        assert clip.simple_tokenizer.ftfy.fix_text(s) == s and s.isascii(), "a style phrase is changed by ftfy"
    style_ids = {s: [int(t) for t in clip.tokenize([s])[0] if int(t) != 0] for _, s in styles}
    token_rows = sorted({t for ids in style_ids.values() for t in ids})

    if args.full:
        half_names, _ = build_checkpoint(clip, token_rows, ckpt, config, FULL_GAIN, FULL_GAIN)
    else:
        half_names, _ = build_checkpoint(clip, token_rows, ckpt)

    # The videos under their standard-mode names.
    videos = ovs.make_videos(os.path.join(work, "made"), CUTS, GENERATED, args.media)
    vdir = ovs.fresh_dir(os.path.join(work, "videos"))
    names = {}
    for nth, vids in PLAN:
        i, prompt, _ = entries[nth]
        for k, vid in vids.items():
            name = f"{prompt}-{k}.mp4"
            shutil.copyfile(videos[vid]["path"], os.path.join(vdir, name))
            names[os.path.join(vdir, name)] = (f"{prompt_token(i)}-{k}.mp4", vid)

    results, official_seconds = ovs.evaluate_timed(vb, vroot, vdir, work, [DIMENSION])
    score, video_results = results[DIMENSION]

    # The model as the official loader returns it, exported to the two contracts.
    model, _ = clip.load(ckpt, device="cpu")
    model.eval()
    assert abs(float(model.logit_scale) - LOGIT_SCALE) == 0
    os.makedirs(args.models, exist_ok=True)
    image_path = os.path.join(args.models, IMAGE_FILE)
    text_path = os.path.join(args.models, TEXT_FILE)
    image_sha = oc.export_image_tower(model, image_path)
    text_sha = oc.export_text_tower(model, text_path)
    # Over the repository's 4 MiB limit (vocab 49408 x width 64): committed gzipped (fixed mtime, so
    # the same bytes every time); tests/helpers/fixture-model-file.ts unpacks it.
    with open(text_path, "rb") as f, open(text_path + ".gz", "wb") as g:
        g.write(gzip.compress(f.read(), mtime=0))

    checks = []
    x = pc.check_input((2, 3, 224, 224), offset=-0.5)
    ids = torch.stack([clip.tokenize([s])[0] for _, s in styles]).long()
    with torch.no_grad():
        img = model.encode_image(x).float()
        txt = model.encode_text(ids).float()
        scale = model.logit_scale.exp().float()
    ort_img = pc.ort_run_node(image_path, {"pixel_values": x.numpy()})
    ort_txt = pc.ort_run_node(text_path, {"input_ids": ids.numpy()})
    diffs = {"image_embeds": float(np.abs(ort_img["image_embeds"] - img.numpy()).max()),
             "text_embeds": float(np.abs(ort_txt["text_embeds"] - txt.numpy()).max()),
             "logit_scale": float(abs(float(ort_txt["logit_scale"]) - float(scale)))}
    print(f"onnxruntime-node vs torch: {diffs}", file=sys.stderr)
    ovs.require_export_match(diffs, {"image_embeds": img.numpy(), "text_embeds": txt.numpy(),
                                     "logit_scale": scale.numpy()}, args.full)
    checks.append({"model": "image", "input_name": "pixel_values", "shape": [2, 3, 224, 224],
                   "input": "value ((i*7919) % 1000)/1000 - 0.5 at flat index i, float64 -> float32",
                   "output_name": "image_embeds", "output": img.tolist()})
    checks.append({"model": "text", "input_name": "input_ids", "shape": list(ids.shape),
                   "input": "the token ids of `styles` (in that order), zero-padded to 77, int64",
                   "output_name": "text_embeds", "output": txt.tolist(),
                   "logit_scale": float(scale)})

    # Per prompt entry and video, from the official output.
    by_path = {r["video_path"]: r for r in video_results}
    assert len(by_path) == len(video_results) == len(names)
    rows, total_frames, total_sim = [], 0, 0.0
    for nth, vids in PLAN:
        i, prompt, style = entries[nth]
        vrows = []
        for k, vid in vids.items():
            path = os.path.join(vdir, f"{prompt}-{k}.mp4")
            r = by_path[path]
            frames = len(pc.CV2VideoReader(path))
            assert len(r["frame_results"]) == frames
            total_frames += frames
            total_sim += sum(r["frame_results"])
            vrows.append({"file": names[path][0], "video": vid, "sha256": videos[vid]["sha256"], "made": videos[vid]["made"],
                          "frames": frames, "frame_results": r["frame_results"], "video_results": r["video_results"],
                          "cur_sim": r["cur_sim"]})
            print(f"entry {i} video {k} ({vid}): {frames} frames, video_results {r['video_results']!r}", file=sys.stderr)
        rows.append({"full_info_index": i, "appearance_style_ordinal": nth, "prompt": prompt_token(i),
                     "style": style_token(i), "token_ids": style_ids[style], "videos": vrows})
    assert total_frames == sum(len(r["frame_results"]) for r in video_results)

    # The official eval-results file, with the video folder written as VIDEOS/ and no prompt text.
    official_file = [score, [{**r, "video_path": "VIDEOS/" + names[r["video_path"]][0]} for r in video_results]]

    golden = {
        "what": "VBench appearance_style from the official code (VBench.evaluate, unmodified) on a reduced random-weight "
                "OpenAI CLIP ViT-B/32-style checkpoint loaded by the official clip.load",
        "generator": "tools/parity/appearance_style_golden.py",
        "official": {"vbench": {"repository": "Vchitect/VBench", "commit": pc.VBENCH_COMMIT,
                                "files": ["vbench/__init__.py", "vbench/utils.py", "vbench/distributed.py",
                                          "vbench/appearance_style.py", "vbench/VBench_full_info.json"]},
                     "clip": {"repository": "openai/CLIP", "commit": oc.CLIP_COMMIT,
                              "files": ["clip/clip.py", "clip/model.py", "clip/simple_tokenizer.py",
                                        "clip/bpe_simple_vocab_16e6.txt.gz"]},
                     "call": "VBench('cpu', VBench_full_info.json, OUT).evaluate(VIDEOS, 'golden', "
                             "dimension_list=['appearance_style'], local=True) with VBENCH_CACHE_DIR holding "
                             "clip_model/ViT-B-32.pt"},
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "torchvision": __import__("torchvision").__version__, "numpy": np.__version__,
                     "pillow": __import__("PIL").__version__, "opencv": __import__("cv2").__version__,
                     "onnx": __import__("onnx").__version__, "ftfy": ftfy_note},
        "upstream_text": "{{vbench-prompt:i}} = prompt_en and {{vbench-appearance-style:i}} = "
                         "auxiliary_info.appearance_style.appearance_style of entry i (0-based, file order) of the pinned "
                         "VBench_full_info.json",
        "precision": "fp32 (CPU): clip.load(device='cpu') calls model.float(). On CUDA the official run keeps the "
                     "weights build_model converted to fp16, encode_image casts the image to fp16, LayerNorm computes "
                     "in fp32 and casts back, and the logits are an fp16 tensor (fp32 0-dim exp(logit_scale) times the "
                     "fp16 product stays fp16) before float(...)/100.",
        "decoder": "decord stand-in: all frames via cv2.VideoCapture (OpenCV 4.6), BGR->RGB (tools/parity/parity_common.py)",
        **({"full_size": "CONFIG_FULL, gain 1 in both towers where INIT_NOTE says 3 and 2"} if args.full else {}),
        "model": {"config": config, "seed": SEED, "init": INIT_NOTE, "token_rows": token_rows,
                  "fp16_stored": half_names, "checkpoint_format": "TorchScript archive (torch.jit.trace of CLIP.forward), "
                  "fp16 tensors as in the released ViT-B-32.pt; clip.load(jit=False) -> build_model(state_dict) -> .float()",
                  "logit_scale_parameter": LOGIT_SCALE},
        "models": {
            "image": {"contract": "clip-vit-b32-image", "file": os.path.relpath(image_path, ROOT), "sha256": image_sha,
                      "bytes": os.path.getsize(image_path),
                      "inputs": {"pixel_values": "float32 [batch,3,224,224]"},
                      "outputs": {"image_embeds": "float32 [batch,32] (CLIP.encode_image, not normalised)"}},
            "text": {"contract": "clip-vit-b32-text", "file": os.path.relpath(text_path, ROOT), "sha256": text_sha,
                     "bytes": os.path.getsize(text_path),
                     "inputs": {"input_ids": "int64 [batch,77]"},
                     "outputs": {"text_embeds": "float32 [batch,32] (CLIP.encode_text, not normalised)",
                                 "logit_scale": "float32 [] = exp(CLIP.logit_scale)"}},
        },
        "styles": [{"first_full_info_index": i, "style": style_token(i), "token_ids": style_ids[s]} for i, s in styles],
        "model_checks": {"onnxruntime_node_vs_torch_max_abs": diffs, "checks": checks},
        "entries": rows,
        "frames_total": total_frames,
        "score": score,
        "score_check": total_sim / total_frames,
        "aggregate": "sum of every frame value of every video / number of frames (frame-weighted); a frame value is "
                     "float(logits_per_text[0][0]) / 100",
        "official_eval_results": {DIMENSION: official_file},
        "official_seconds": official_seconds,
    }
    assert abs(golden["score_check"] - score) < 1e-12
    dumped = __import__("json").dumps(golden)
    for _, prompt, _ in entries:
        assert prompt not in dumped, "upstream prompt text in the golden"
    for _, s in styles:
        assert s not in dumped, f"upstream style text in the golden: {s}"
    pc.write_json(args.out, golden)
    print(f"score {score!r} over {total_frames} frames", file=sys.stderr)
    print(f"{image_sha}  {os.path.relpath(image_path, ROOT)} ({os.path.getsize(image_path)} bytes)")
    print(f"{text_sha}  {os.path.relpath(text_path, ROOT)} ({os.path.getsize(text_path)} bytes)")


if __name__ == "__main__":
    main()
