#!/usr/bin/python3
"""Golden values and a tiny ONNX fixture for VBench human_action (UMT video classifier, Kinetics-400),
from the OFFICIAL code run unmodified.

What runs: VBench 45e79ec `VBench("cpu", VBench_full_info.json, OUT).evaluate(VIDEOS, "golden",
dimension_list=["human_action"], local=True)` (vbench/__init__.py, utils.py, distributed.py,
human_action.py, third_party/umt/**: init_submodules, build_full_info_json (vbench_standard),
compute_human_action -> create_model("vit_large_patch16_224", ...), load_state_dict(torch.load(<cache>/
umt_model/l16_ptk710_ftk710_ftk400_f16_res224.pth), strict=False), load_video(16 'middle' frames) with
Resize(256, bilinear)/CenterCrop(224)/ClipToTensor/Normalize, sigmoid, top 5, round(p, 4) >= 0.85,
label from the file name; save_json). See tools/parity/official_umt.py.

The one substitution: the registry entry create_model resolves builds the SAME official
VisionTransformer class with reduced embed_dim / depth / num_heads (CONFIG); every argument
human_action passes is kept. The checkpoint is a plain state dict (the released format), loaded with
strict=False by human_action; the script checks that no key is missing or unexpected.

Weights: torch.manual_seed(SEED), the official constructor (pos_embed = its sinusoid table, kept),
then re-drawn (INIT_NOTE). The HEAD is then designed so that the outcomes VBench can give all occur:
the features f(v) of each golden video are computed with the official transform and model, and for the
eight classes of DESIGN (the four ground-truth labels and four others) the head rows are the
minimum-norm solution of w_c . f(v) + b_c = logit(target p) for every video (b_c = 0); the other 392
classes get small random weights and bias -7 (p < 0.002), so the top 5 are always designed classes with
clear gaps. Designed cases: ground truth kept as the 2nd of three kept classes; in the top 5 but p = 0.6;
p = 0.84997 (round(p, 4) = 0.85: kept); p = 0.84993 (0.8499: not kept); ground truth 6th (not in the top
5) while five other classes are kept; a 1-frame video classified correctly. The script asserts the
official run gives exactly these outcomes.

Stand-ins: timm (create_model, register_model, DropPath / drop_path identity in eval, to_2tuple,
trunc_normal_ for constructor init only) from tools/parity/timm_einops_standins.py; decord via OpenCV
(parity_common.decord_module); tqdm. Class names are never written: classes appear as Kinetics indices
(the test reads vbench/third_party/umt/kinetics_400_categories.txt's list through genbench's built-in
copy; `labels_sha256` is the sha256 of the 400 names, index order, joined by "\\n"); file names as
`{{vbench-prompt:i}}-<k>.mp4` (prompt_en of entry i of VBench_full_info.json).

  /usr/bin/python3 tools/parity/umt_golden.py [--vbench M] [--out tests/golden/vbench-human-action.json]
      [--models tests/fixtures/models] [--keep DIR] [--media DIR] [--full]

--full (bench/vbench-semantic.ts --full; needs --out and --models elsewhere than the committed ones): the
full-size UMT ViT-L/16 of the unmodified registry entry (embed 1024, depth 24, 16 heads), the same init
with gain 1 and the same designed head; about 1.2 GB of ONNX.

Writes tests/golden/vbench-human-action.json and tests/fixtures/models/umt-tiny.onnx ('umt-vit-l16-k400':
pixel_values float32 [batch,3,16,224,224] -> logits float32 [batch,400]).
"""
import argparse
import contextlib
import hashlib
import json
import math
import os
import platform
import shutil
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official_umt as ou  # noqa: E402
import official_vbench_semantic as ovs  # noqa: E402
import parity_common as pc  # noqa: E402
import viclip_golden as vg  # noqa: E402

ROOT = pc.ROOT
DIM = "human_action"
SEED = 5
CONFIG = dict(embed_dim=32, depth=2, num_heads=2)
GAIN = 2.0
FULL_GAIN = 1.0
FILE = "umt-tiny.onnx"
INIT_NOTE = ("torch.manual_seed(5); create_model with the reduced entry; then, continuing the stream, every parameter "
             "in named_parameters() order except pos_embed (the constructor's sinusoid table) and head: matrices "
             "(Conv3d, qkv, proj, fc1, fc2) N(0, 2^2/fan_in), fan_in = numel of one output row; LayerNorm weights "
             "1 + N(0, 0.1^2); biases (incl. q_bias, v_bias) N(0, 0.1^2). head: see DESIGN (the script docstring); "
             "undesigned rows N(0, 0.01^2), bias -7")

# Videos (made as in tools/parity/viclip_golden.py) under (n-th human_action entry, video index), in the
# order VBench scores them (entries in file order, video indices ascending).
PLAN = [(0, 0, "media-cut:bars-first48.mp4"), (0, 1, "generated:x264-testsrc2-320x240-8fps.mp4"),
        (1, 0, "media-cut:life-first48.mp4"), (1, 1, "media-cut:life-first5.mp4"),
        (2, 0, "generated:mpeg4-mandelbrot-320x240-12fps.mp4"), (3, 0, "media-cut:life-first1.mp4")]
# Designed sigmoid outputs per video (same order as PLAN) for the classes 'A'..'D' (ground truth of the
# entries 0..3) and four other classes 'X1'..'X4'; every other designed class of a video gets LOW.
LOW = [0.05, 0.04, 0.03, 0.02, 0.01, 0.008, 0.006, 0.004]
DESIGN = [
    ({"X1": 0.99, "A": 0.97, "X2": 0.90, "X3": 0.60, "X4": 0.40}, True),
    ({"X1": 0.95, "X2": 0.80, "A": 0.60, "X3": 0.50, "X4": 0.30}, False),
    ({"B": 0.84997, "X1": 0.70, "X2": 0.65, "X3": 0.55, "X4": 0.45}, True),
    ({"X1": 0.95, "X2": 0.93, "X3": 0.91, "X4": 0.89, "A": 0.87, "B": 0.60}, False),
    ({"X1": 0.90, "C": 0.84993, "X2": 0.70, "X3": 0.60, "X4": 0.50}, False),
    ({"D": 0.9999, "X1": 0.30, "X2": 0.20, "X3": 0.15, "X4": 0.10}, True),
]
OTHER_CLASSES = [10, 20, 30, 40]  # Kinetics indices of X1..X4 (none is a ground-truth class here)


def logit(p):
    return math.log(p / (1.0 - p))


def init_weights(model, gain=GAIN):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name == "pos_embed" or name.startswith("head."):
                continue
            pc.init_rest(name, p, gain)


def design_head(model, feats, classes):
    """Head rows: min-norm solutions for the designed classes, small random rows elsewhere."""
    head = model.head
    f = feats.double().numpy()  # V x E
    with torch.no_grad():
        head.weight.copy_(0.01 * torch.randn_like(head.weight))
        head.bias.fill_(-7.0)
        for name, c in classes.items():
            targets = []
            for want, _ in DESIGN:
                if name in want:
                    targets.append(logit(want[name]))
                else:
                    targets.append(logit(LOW[list(classes).index(name)]))
            w, *_ = np.linalg.lstsq(f, np.array(targets), rcond=None)
            head.weight[c] = torch.from_numpy(w).float()
            head.bias[c] = 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vbench", help="VBench git mirror or checkout (pinned %s)" % pc.VBENCH_COMMIT[:7])
    ap.add_argument("--out", default=os.path.join(ROOT, "tests/golden/vbench-human-action.json"))
    ap.add_argument("--models", default=os.path.join(ROOT, "tests/fixtures/models"))
    ap.add_argument("--keep", help="work here (default: a temp dir)")
    ap.add_argument("--media", help="make the media stand-ins here (default: the tests' per-machine folder)")
    ap.add_argument("--full", action="store_true", help="the full-size UMT ViT-L/16 (bench/vbench-semantic.ts --full)")
    args = ap.parse_args()
    if args.full and (args.out == ap.get_default("out") or args.models == ap.get_default("models")):
        sys.exit("--full writes a full-size model and its golden: give --out and --models outside the committed ones")
    torch.set_num_threads(max(1, os.cpu_count() or 1))

    work = args.keep or tempfile.mkdtemp(prefix="genbench-umt-")
    os.makedirs(work, exist_ok=True)
    cache = os.path.join(work, "cache")
    os.makedirs(os.path.join(cache, "umt_model"), exist_ok=True)
    ckpt = os.path.join(cache, ou.CKPT_REL)
    vb, vroot, ha = ou.load(pc.pick_vbench(args.vbench), cache)
    info = ovs.full_info(vroot)
    entries = [i for i, e in enumerate(info) if DIM in e["dimension"]]
    assert len(entries) == 100
    cats = ou.labels(ha)
    names = [cats[str(k)] for k in range(400)]
    labels_sha = hashlib.sha256("\n".join(names).encode()).hexdigest()
    label_index = {n: k for k, n in enumerate(names)}

    def gt_label(file_name):  # the parse of human_action.py line 78, for the design only
        return file_name.lower().split("-")[0].split("person is ")[-1].split("_")[0]

    gt = {n: label_index[gt_label(f"{info[entries[n]]['prompt_en']}-0.mp4")] for n in range(4)}
    classes = {"A": gt[0], "B": gt[1], "C": gt[2], "D": gt[3]}
    assert not set(OTHER_CLASSES) & set(classes.values())
    classes.update({f"X{k + 1}": c for k, c in enumerate(OTHER_CLASSES)})

    videos = ovs.make_videos(os.path.join(work, "made"), vg.CUTS, vg.GENERATED, args.media)
    vdir = ovs.fresh_dir(os.path.join(work, "videos"))
    paths = []
    for n, k, vid in PLAN:
        path = os.path.join(vdir, f"{info[entries[n]]['prompt_en']}-{k}.mp4")
        shutil.copyfile(videos[vid]["path"], path)
        paths.append(path)

    with (contextlib.nullcontext() if args.full else ou.reduced(CONFIG)):
        torch.manual_seed(SEED)
        model = ou.create()
        init_weights(model, FULL_GAIN if args.full else GAIN)
        model.eval()
        transform = ou.data_transform(ha)
        with torch.no_grad():
            feats = torch.stack([model.forward_features(sys.modules["vbench.utils"].load_video(
                p, transform, num_frames=ou.FRAMES).unsqueeze(0))[0] for p in paths])
        design_head(model, feats, classes)
        torch.save(model.state_dict(), ckpt)
        loaded, missing, unexpected = ou.load_checkpoint(ckpt)
        assert not missing and not unexpected, (missing, unexpected)

        results, official_seconds = ovs.evaluate_timed(vb, vroot, vdir, work, [DIM])
        model, _, _ = ou.load_checkpoint(ckpt)

    os.makedirs(args.models, exist_ok=True)
    onnx_path = os.path.join(args.models, FILE)
    sha = ou.export(model, onnx_path)

    # Per-video values, recomputed with the loaded model exactly as human_action does (for the raw probabilities).
    score, video_results = results[DIM]
    assert len(video_results) == len(PLAN)
    rows, inputs = [], []
    for (n, k, vid), path, r, (want, expect) in zip(PLAN, paths, video_results, DESIGN):
        assert r["video_path"] == path
        x = sys.modules["vbench.utils"].load_video(path, ou.data_transform(ha), num_frames=ou.FRAMES).unsqueeze(0)
        inputs.append(x)
        with torch.no_grad():
            logits = model(x)
            probs = torch.sigmoid(logits)
            top, idx = torch.topk(probs, 5, dim=1)
        idx = idx.squeeze().tolist()
        top = top.squeeze().tolist()
        rounded = [round(p, 4) for p in top]
        kept = [i for i, p in zip(idx, rounded) if p >= 0.85]
        frames = len(pc.CV2VideoReader(path))
        i = entries[n]
        row = {"full_info_index": i, "ordinal": n, "file": "{{vbench-prompt:%d}}-%d.mp4" % (i, k), "video": vid,
               "sha256": videos[vid]["sha256"], "made": videos[vid]["made"], "frames": frames,
               "frame_indices": [int(j) for j in sys.modules["vbench.utils"].get_frame_indices(ou.FRAMES, frames, sample="middle")],
               "gt_index": label_index[gt_label(os.path.basename(path))],
               "top5_indices": idx, "top5_probs": top, "top5_rounded": rounded, "kept_indices": kept,
               "top5_logits": [float(logits[0, j]) for j in idx],
               "video_results": r["video_results"], "cor_num_per_video": r["cor_num_per_video"]}
        assert r["video_results"] == expect, (vid, r, row)
        want_top = [classes[c] for c in sorted(want, key=lambda c: -want[c])][:5]
        assert idx == want_top, (idx, want_top)
        rows.append(row)
        print(f"entry {i} video {k} ({vid}): top5 {idx} rounded {rounded} -> {r['video_results']}", file=sys.stderr)
    assert score == sum(r["video_results"] for r in rows) / len(rows)

    x = torch.cat(inputs[:2])
    with torch.no_grad():
        ref = model(x)
    got = pc.ort_run_node(onnx_path, {"pixel_values": x.numpy()})["logits"]
    diff = float(np.abs(got - ref.numpy()).max())
    print(f"onnxruntime-node vs torch: logits max |diff| {diff:.3g}", file=sys.stderr)
    ovs.require_export_match({"logits": diff}, {"logits": ref.numpy()}, args.full)
    chk = pc.check_input((1, 3, ou.FRAMES, 224, 224), offset=-0.5, scale=4.0)
    with torch.no_grad():
        chk_out = model(chk)

    golden = {
        "what": "VBench human_action from the official code (VBench.evaluate, unmodified) on a reduced random-weight UMT "
                "(official VisionTransformer) with a designed head, loaded from a plain state dict with strict=False",
        "generator": "tools/parity/umt_golden.py",
        "official": {"vbench": {"repository": "Vchitect/VBench", "commit": pc.VBENCH_COMMIT,
                                "files": ["vbench/__init__.py", "vbench/utils.py", "vbench/distributed.py",
                                          "vbench/VBench_full_info.json", *ou.FILES]},
                     "call": "VBench('cpu', VBench_full_info.json, OUT).evaluate(VIDEOS, 'golden', dimension_list="
                             "['human_action'], local=True) with VBENCH_CACHE_DIR holding " + ou.CKPT_REL},
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "torchvision": __import__("torchvision").__version__, "numpy": np.__version__,
                     "opencv": __import__("cv2").__version__, "onnx": __import__("onnx").__version__,
                     "timm": "stand-in (tools/parity/timm_einops_standins.py)"},
        "upstream_text": "{{vbench-prompt:i}} = prompt_en of entry i (0-based, file order) of the pinned VBench_full_info.json",
        "labels": {"source": "vbench/third_party/umt/kinetics_400_categories.txt as human_action.build_dict reads it "
                             "(lines 'name<TAB>index', name lower-cased)",
                   "labels_sha256": labels_sha, "note": "sha256 of the 400 names in index order joined by '\\n' (UTF-8)"},
        "precision": "fp32 (the official code runs UMT in fp32)",
        "decoder": "decord stand-in: cv2.VideoCapture (OpenCV 4.6), BGR->RGB (tools/parity/parity_common.py)",
        **({"full_size": "the official registry entry's sizes, gain 1 where INIT_NOTE says 2"} if args.full else {}),
        "model": {"config": CONFIG if not args.full else "full size (vit_large_patch16_224)", "fixed": {"patch_size": 16, "tubelet_size": 1, "all_frames": 16, "mlp_ratio": 4,
                                               "qkv_bias": True, "layernorm_eps": 1e-6, "num_classes": 400,
                                               "use_mean_pooling": True},
                  "seed": SEED, "init": INIT_NOTE, "checkpoint_format": "plain state dict (torch.save(model.state_dict()))",
                  "load": "load_state_dict(strict=False): missing [] unexpected []",
                  "designed_classes": classes, "design": [{"targets": {classes[c]: p for c, p in want.items()},
                                                           "expect": expect} for want, expect in DESIGN]},
        "models": {"umt": {"contract": "umt-vit-l16-k400", "file": os.path.relpath(onnx_path, ROOT), "sha256": sha,
                           "bytes": os.path.getsize(onnx_path),
                           "inputs": {"pixel_values": "float32 [batch,3,16,224,224]"},
                           "outputs": {"logits": "float32 [batch,400] (before sigmoid)"}}},
        "model_checks": {"onnxruntime_node_vs_torch_max_abs": diff, "checks": [
            {"model": "umt", "input_name": "pixel_values", "shape": [1, 3, ou.FRAMES, 224, 224],
             "input": "value ((i*7919) % 1000)/1000 * 4 - 0.5 at flat index i, float64 -> float32",
             "output_name": "logits", "output": chk_out.tolist()}]},
        "videos": rows,
        "score": score,
        "aggregate": "correct videos / videos",
        "official_eval_results": {DIM: [score, [{**r, "video_path": "VIDEOS/" + row["file"]}
                                                for r, row in zip(video_results, rows)]]},
        "official_seconds": official_seconds,
    }
    dumped = json.dumps(golden)
    for i in entries:
        assert info[i]["prompt_en"] not in dumped, "upstream prompt text in the golden"
    pc.write_json(args.out, golden)
    print(f"score {score!r}", file=sys.stderr)
    print(f"{sha}  {os.path.relpath(onnx_path, ROOT)} ({os.path.getsize(onnx_path)} bytes)")


if __name__ == "__main__":
    main()
