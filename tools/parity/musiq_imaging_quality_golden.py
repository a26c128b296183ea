#!/usr/bin/python3
"""Golden values and a tiny ONNX fixture for VBench imaging_quality (MUSIQ, pyiqa).

Model: a REDUCED random-weight instance of the OFFICIAL pyiqa MUSIQ class
(chaofengc/IQA-PyTorch pyiqa/archs/musiq_arch.py, loaded by tools/parity/shims_musiq/official_musiq.py)
built through its constructor: hidden_size 16, mlp_dim 32, num_heads 2, num_layers 2; everything
else as VBench builds it (patch 32, 3 scales, hash grid 10, longer_side_lengths [224, 384],
max_seq_len_from_original_res -1, num_class 1, the full ResNet stem + Bottleneck and the
Linear(16384 -> hidden) embedding). torch.manual_seed(0), then every parameter is re-initialised
(`init_weights`) so that the MOS really varies between frames and videos (see the golden's
model.init). Same operators, same preprocessing (the official forward's inference branch runs).

Official code run: vbench/imaging_quality.py at the pinned VBench commit, its `technical_quality`
(load_video -> transform(images, 'longer') -> per-frame model(frame[None]) -> float -> mean over
frames; aggregate = mean over videos / 100) with its real vbench/utils.py load_video. The model
gets `model.training = False` on the top module only, as `compute_imaging_quality` does (that
function itself also builds the full-size MUSIQ from a checkpoint path, which we replace by the
reduced model, so it is not called).

Frames: decord is not packaged by Debian. The decord stand-in reads frames with cv2.VideoCapture
(OpenCV 4.6, BGR->RGB; genbench's decoder is byte-identical to OpenCV 4.6) and returns only the
FIRST `--frames` (default 12) frames of each video, so the official loop scores exactly those;
the TypeScript test scores the same first frames. (Real decord's bytes are the separate decoder
parity question of the spec's section 0.3.)

Videos: two of the project's media stand-ins (tools/fixtures/media-stand-ins.ts; 640x480 H.264,
colour bars under a moving pattern and a limited-range fractal zoom: the 'longer' resize runs, to
384x512) and two
lossless H.264 clips made with the project's static ffmpeg (deterministic: one thread, bitexact),
644x362 (resized to 287x511: the long side becomes 511) and 320x180 (no resize; the 384 scale
upsamples). The command lines are in the golden; the TS test regenerates the files in a temp dir
and checks their sha256.

Also written: tests/fixtures/models/musiq-tiny.onnx (the same weights, contract of
tools/export/musiq.py: `patches` [B,N,3075] -> `score` [B,1]), `preprocess_checks` (the official
get_multiscale_patches on deterministic images) and `model_checks` (official forward on
deterministic images, plus packed-token inputs through the contract) for the ORT-vs-torch test.

  /usr/bin/python3 tools/parity/musiq_imaging_quality_golden.py [--vbench PATH] [--pyiqa PATH]
      [--frames 12] [--out tests/golden/vbench-imaging-quality.json]
      [--onnx tests/fixtures/models/musiq-tiny.onnx] [--keep DIR] [--media DIR]
"""
import argparse
import importlib
import math
import os
import platform
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "shims_musiq"))
sys.path.insert(0, os.path.join(ROOT, "tools", "export"))
import parity_common as pc  # noqa: E402
import official_musiq as om  # noqa: E402
import musiq as musiq_export  # noqa: E402  (tools/export/musiq.py: ContractMUSIQ, export_contract)

MEDIA_VIDEOS = ["x264-high-bars-640x480-vfr.mp4", "x264-tv-mandelbrot-640x480-26.777fps.mp4"]
FFMPEG = "node_modules/@ffmpeg-installer/linux-x64/ffmpeg"
DETERMINISTIC = ["-threads", "1", "-c:v", "libx264", "-preset", "medium", "-qp", "0", "-pix_fmt", "yuv444p",
                 "-fflags", "+bitexact", "-flags:v", "+bitexact", "-map_metadata", "-1"]
GENERATED = [
    {"file": "x264-lossless-testsrc2-644x362-10fps.mp4",
     "args": ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
              "testsrc2=size=644x362:rate=10", "-t", "1.2", "-an", *DETERMINISTIC]},
    {"file": "x264-lossless-testsrc2-320x180-8fps.mp4",
     "args": ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
              "testsrc2=size=320x180:rate=8", "-t", "1", "-an", *DETERMINISTIC]},
]
CONFIG = dict(hidden_size=16, mlp_dim=32, num_heads=2, num_layers=2)
# --full (bench/vbench-quality.ts --full): pyiqa's MUSIQ defaults, the architecture of the SPAQ checkpoint.
CONFIG_FULL = dict(hidden_size=384, mlp_dim=1152, num_heads=6, num_layers=14)
PREPROCESS_SIZES = [(50, 70), (240, 320), (180, 320), (288, 512), (287, 511), (384, 512), (512, 288), (33, 700),
                    (224, 224), (384, 384), (1, 1)]
MODEL_CHECK_SIZES = [(288, 512), (287, 511), (180, 320), (64, 48)]
PACKED_CHECK_LENGTHS = [1, 199, 337]
PATCH_DIM = 3 * 32 * 32 + 3


def check_image(h, w):
    """Deterministic image in [0,1]: ((i*7919) % 1000)/1000 at flat index i, float64 -> float32."""
    return pc.check_input((1, 3, h, w))


def check_packed(n):
    """Deterministic packed tokens [1,n,3075]: pixel j of token t = ((k*7919) % 2001)/1000 - 1 with
    k = t*3072 + j (float64 -> float32); position t % 100, scale t % 3, mask 0 when t % 7 == 6."""
    t = np.arange(n, dtype=np.int64)[:, None]
    j = np.arange(3072, dtype=np.int64)[None, :]
    k = t * 3072 + j
    x = np.zeros((1, n, PATCH_DIM), dtype=np.float32)
    x[0, :, :3072] = (((k * 7919) % 2001) / 1000.0 - 1.0).astype(np.float32)
    x[0, :, 3072] = (t[:, 0] % 100).astype(np.float32)
    x[0, :, 3073] = (t[:, 0] % 3).astype(np.float32)
    x[0, :, 3074] = (t[:, 0] % 7 != 6).astype(np.float32)
    return torch.from_numpy(x)


def init_weights(net):
    """Re-initialise every parameter, in named_parameters() order, continuing the seed stream:
    conv / linear matrices N(0, 1/fan_in) (the StdConv ones are standardised by the forward anyway),
    attention query weights N(0, 4/fan_in) (sharper attention), position and scale embeddings
    N(0, 0.5^2), the CLS token N(0, 0.1^2), GroupNorm / LayerNorm weights 1 + N(0, 0.1^2), biases
    N(0, 0.1^2); the head weight N(0, 20^2/fan_in) and its bias 50, so that MOS values are spread
    around 50 like a 0-100 MUSIQ score."""
    with torch.no_grad():
        for name, p in net.named_parameters():
            if name == "head.weight":
                p.copy_(torch.randn_like(p) * (20.0 / math.sqrt(p[0].numel())))
            elif name == "head.bias":
                p.fill_(50.0)
            elif name.endswith("position_emb") or name.endswith("scale_emb"):
                p.copy_(torch.randn_like(p) * 0.5)
            elif name.endswith(".cls"):
                p.copy_(torch.randn_like(p) * 0.1)
            elif p.dim() >= 2:
                gain = 2.0 if ".query." in name else 1.0
                p.copy_(torch.randn_like(p) * (gain / math.sqrt(p[0].numel())))
            elif name.endswith("weight"):
                p.copy_(1.0 + 0.1 * torch.randn_like(p))
            else:
                p.copy_(0.1 * torch.randn_like(p))


def load_imaging_quality(vbench_src, pyiqa_src, frames):
    """The official vbench.imaging_quality; its decord stand-in keeps the first `frames` frames."""
    om.load_musiq_arch(pyiqa_src)  # pyiqa.archs.musiq_arch in sys.modules for `from pyiqa... import MUSIQ`
    root = om.materialise_vbench(vbench_src)
    pc.install_vbench(root, frames_limit=frames)
    return importlib.import_module("vbench.imaging_quality")


def make_generated(dir_):
    out = []
    for g in GENERATED:
        path = os.path.join(dir_, g["file"])
        subprocess.run([os.path.join(ROOT, FFMPEG), *g["args"], path], check=True)
        out.append({"id": f"generated:{g['file']}", "path": path, "sha256": pc.sha256_file(path),
                    "made": ["ffmpeg", *g["args"], g["file"]]})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vbench", help="VBench git mirror or checkout (pinned %s)" % om.VBENCH_COMMIT[:7])
    ap.add_argument("--pyiqa", help="chaofengc/IQA-PyTorch git mirror or checkout")
    ap.add_argument("--frames", type=int, default=12, help="first N frames of each video (decord stand-in)")
    ap.add_argument("--out", default=os.path.join(ROOT, "tests/golden/vbench-imaging-quality.json"))
    ap.add_argument("--onnx", default=os.path.join(ROOT, "tests/fixtures/models/musiq-tiny.onnx"))
    ap.add_argument("--keep", help="make the generated videos here (default: a temp dir)")
    ap.add_argument("--media", help="make the media stand-ins here (default: the per-machine folder of "
                                    "tools/fixtures/media-stand-ins.ts, which the tests use too)")
    ap.add_argument("--full", action="store_true",
                    help="full-size MUSIQ (hidden 384, MLP 1152, 6 heads, 14 layers), for bench/vbench-quality.ts --full")
    args = ap.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    config = CONFIG_FULL if args.full else CONFIG

    vbench_src = pc.pick_source(args.vbench, om.DEFAULT_VBENCH, "VBench")
    pyiqa_src = pc.pick_source(args.pyiqa, om.DEFAULT_PYIQA, "pyiqa")
    iq = load_imaging_quality(vbench_src, pyiqa_src, args.frames)
    musiq = sys.modules["pyiqa.archs.musiq_arch"]
    mst = sys.modules["pyiqa.data.multiscale_trans_util"]

    torch.manual_seed(0)
    net = musiq.MUSIQ(pretrained=False, pretrained_model_path=None, **config)
    init_weights(net)

    os.makedirs(os.path.dirname(args.onnx), exist_ok=True)
    onnx_sha = musiq_export.export_contract(net, args.onnx)
    net.train()
    net.training = False  # exactly what compute_imaging_quality does: top module only

    # Preprocessing checks: the official get_multiscale_patches on deterministic images.
    pre = []
    for h, w in PREPROCESS_SIZES:
        x = (check_image(h, w) - 0.5) * 2
        packed = mst.get_multiscale_patches(x, **net.data_preprocess_opts)[0].double().numpy()
        pix = packed[:, :-3]
        pre.append({"h": h, "w": w, "tokens": int(packed.shape[0]),
                    "spatial": [int(v) for v in packed[:, -3]], "scale": [int(v) for v in packed[:, -2]],
                    "mask": [int(v) for v in packed[:, -1]],
                    "token_sum": [float(v) for v in pix.sum(1)], "token_sumsq": [float(v) for v in (pix * pix).sum(1)],
                    "first_token": [float(v) for v in pix[0, :8]]})
    # Model checks: official forward on deterministic images, and packed tokens through the contract.
    checks, packed_checks = [], []
    contract = musiq_export.ContractMUSIQ(net)
    with torch.no_grad():
        for h, w in MODEL_CHECK_SIZES:
            img = check_image(h, w)
            ref = net(img)
            packed = mst.get_multiscale_patches((img - 0.5) * 2, **net.data_preprocess_opts)
            got = contract(packed)
            net.training = False
            diff = float((ref - got).abs().max())
            if diff > 1e-4:
                sys.exit(f"contract differs from the official forward at {h}x{w}: {diff}")
            checks.append({"h": h, "w": w, "input": "((i*7919) % 1000)/1000 at flat index i, float64 -> float32",
                           "tokens": int(packed.shape[1]), "score": float(ref), "contract_vs_official_torch": diff})
        for n in PACKED_CHECK_LENGTHS:
            packed_checks.append({"tokens": n, "score": float(contract(check_packed(n)))})
            net.training = False
    print("model checks", [c["score"] for c in checks], [c["score"] for c in packed_checks], file=sys.stderr)

    # Videos through the official per-video code.
    gen_dir = args.keep or tempfile.mkdtemp(prefix="genbench-iq-golden-")
    os.makedirs(gen_dir, exist_ok=True)
    media = pc.media_stand_ins(args.media)
    videos = [{"id": f"media:{f}", "path": media[f][0], "sha256": media[f][1]} for f in MEDIA_VIDEOS] + make_generated(gen_dir)
    # Every call's input shape and MOS. Like MUSIQ after VBench's `model.training = False`, the
    # wrapper is not in training mode; the wrapped model's flags are left exactly as set.
    rec = pc.recorder(net, float)
    rec.training = False
    t0 = time.perf_counter()
    score, results = iq.technical_quality(rec, [v["path"] for v in videos], "cpu",
                                          imaging_quality_preprocessing_mode="longer")
    seconds = time.perf_counter() - t0
    rows, k = [], 0
    for v, r in zip(videos, results):
        assert r["video_path"] == v["path"]
        n = len(pc.CV2VideoReader(v["path"], limit=args.frames))
        calls = rec.calls[k:k + n]
        k += n
        import cv2
        cap = cv2.VideoCapture(v["path"])
        src_hw = [int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)), int(cap.get(cv2.CAP_PROP_FRAME_WIDTH))]
        cap.release()
        rows.append({"video": v["id"], **({"made": v["made"]} if "made" in v else {}), "sha256": v["sha256"],
                     "frames_used": n, "source_hw": src_hw, "model_input_hw": list(calls[0][0][2:]),
                     "per_frame_mos": [c[1] for c in calls], "video_results": r["video_results"]})
        print(f"{v['id']}: {n} frames {src_hw} -> {calls[0][0]}: {r['video_results']!r} "
              f"(frames {min(c[1] for c in calls):.3f}..{max(c[1] for c in calls):.3f})", file=sys.stderr)
    assert k == len(rec.calls)
    out = {
        "what": "VBench imaging_quality on a reduced random-weight MUSIQ, from the official code",
        "generator": "tools/parity/musiq_imaging_quality_golden.py",
        **({"full_size": True} if args.full else {}),
        "official": {"vbench": {"repository": "Vchitect/VBench", "commit": om.VBENCH_COMMIT,
                                "file": "vbench/imaging_quality.py (technical_quality)"},
                     "pyiqa": {"repository": "chaofengc/IQA-PyTorch", "commit": pc.source_commit(pyiqa_src),
                               "files": om.PYIQA_FILES}},
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "torchvision": __import__("torchvision").__version__, "numpy": np.__version__,
                     "opencv": __import__("cv2").__version__, "onnx": __import__("onnx").__version__},
        "decoder": f"decord stand-in: the first {args.frames} frames via cv2.VideoCapture (OpenCV 4.6), BGR->RGB",
        "config": {"preprocessing_mode": "longer", "frames_per_video": f"first {args.frames} (all when fewer)",
                   "device": "cpu", "dtype": "float32"},
        "model": {"file": "tests/fixtures/models/musiq-tiny.onnx", "sha256": onnx_sha,
                  "bytes": os.path.getsize(args.onnx),
                  "config": {**config, "patch_size": 32, "num_class": 1, "num_scales": 3, "spatial_pos_grid_size": 10,
                             "longer_side_lengths": [224, 384], "max_seq_len_from_original_res": -1},
                  "init": "torch.manual_seed(0); official MUSIQ init; then " + " ".join(init_weights.__doc__.split()),
                  "inputs": {"patches": "float32 [B,N,3075]"}, "outputs": {"score": "float32 [B,1]"}},
        "preprocess_checks": pre,
        "model_checks": checks,
        "packed_checks": packed_checks,
        "packed_check_input": " ".join(check_packed.__doc__.split()),
        "videos": rows,
        "aggregate": "mean over videos of video_results, / 100 (video_results stay on the 0-100 scale)",
        "dimension_score": score,
        "official_seconds": seconds,
    }
    pc.write_json(args.out, out)
    print(f"dimension_score {score!r}; onnx {os.path.getsize(args.onnx)} bytes sha256 {onnx_sha}; {seconds:.1f}s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
