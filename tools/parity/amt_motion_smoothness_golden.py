#!/usr/bin/python3
"""Golden values and a small ONNX fixture for VBench motion_smoothness (AMT-S frame interpolation).

Model: the OFFICIAL AMT-S class (vbench/third_party/amt/networks/AMT-S.py) with the OFFICIAL config
(vbench/third_party/amt/cfgs/AMT-S.yaml: corr_radius 3, corr_lvls 4, num_flows 3; class defaults
channels [20,32,44,56], skip_channels 20), i.e. the full architecture (2,990,543 parameters). The
class cannot be made narrower: its update blocks hard-code 44/32/20 feature channels and a hidden
width of 76, so the smallest config it accepts still has ~2.3M parameters (9 MB in float32).
Instead, the weights are random but *compressible*:

  * a pool of POOL_SIZE int8 values, q ~ clip(round(N(0, 40^2)), -127, 127) from
    numpy.random.default_rng(SEED);
  * every parameter tensor t (named_parameters() order) with at least SHARED_MIN elements is
    `pool[o_t : o_t + n_t] * 2^-e_t` (offset o_t from the same generator, e_t chosen so the std is
    gain_t * sqrt(2 / fan_in)); these values are exact in float32;
  * smaller tensors (biases, PReLU slopes, small convs) are plain float32: biases N(0, 0.02^2),
    PReLU slopes 0.25 (PyTorch default), other weights as above but stored directly.

The gains are 1 except for the layers that emit flows / residual images / features (see
HEAD_GAINS), which are small, so that the predicted flows stay at a few pixels and the interpolated
frames are plausible blends of their neighbours (non-degenerate, video-dependent scores).
The ONNX fixture stores the pool once (int8) and rebuilds each large weight as
Mul(Cast(Reshape(Slice(pool))), 2^-e) -- onnxruntime constant-folds that at session creation, and
the result is bit-identical to the torch weights. The rest of the graph is the plain
torch.onnx.export of the official forward (opset 17, dynamic height/width and batch).

The random state dict is saved to a temporary .pth and loaded by the OFFICIAL MotionSmoothness class
(vbench/motion_smoothness.py, pinned commit: OmegaConf config + build_from_cfg + load_state_dict,
device 'cpu' -> scale 1, padding 16, exactly what the official CLI ends up using, spec section 4.2).
The official `motion_smoothness(motion, video_list)` then scores the videos (OpenCV 4.6 frames,
even/odd split, InputPadder replicate padding, tensor2img, cv2.absdiff, the (255 - vfi)/255 score
and the np.mean aggregate).

Videos: short deterministic synthetic .mp4 files made by the project's static ffmpeg with
single-threaded libx264 and bit-exact flags (the command lines and sha256 are in the golden;
tests/vbench/motion-smoothness.test.ts regenerates them in a temp dir and checks the sha256).
Sizes are chosen so that the padding is symmetric, asymmetric and absent, and frame counts odd,
even and minimal (3). All padded sizes are >= 128: below that the official AMT-S returns NaN (its
correlation lookup divides by the coarsest pyramid level's width - 1 or height - 1, which is 0),
and what then comes out of tensor2img (NaN -> uint8) is platform behaviour, not a parity target.

Shims: omegaconf and imageio are not installed; tools/parity/shims_amt/ holds minimal stand-ins.
Nothing of VBench/AMT is copied: the official files are extracted from the git mirror/checkout.

  /usr/bin/python3 tools/parity/amt_motion_smoothness_golden.py [--vbench MIRROR_OR_CHECKOUT]
      [--out tests/golden/vbench-motion-smoothness.json]
      [--onnx tests/fixtures/models/amt-tiny.onnx] [--keep DIR]
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

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(HERE, "shims_amt"))
sys.path.insert(0, HERE)
import official_vbench  # noqa: E402
import parity_common as pc  # noqa: E402

VBENCH_COMMIT = pc.VBENCH_COMMIT
DEFAULT_VBENCH = pc.DEFAULT_VBENCH
FFMPEG = os.path.join(ROOT, "node_modules/@ffmpeg-installer/linux-x64/ffmpeg")
CFG_REL = "vbench/third_party/amt/cfgs/AMT-S.yaml"

SEED = 20240611
POOL_SIZE = 1 << 18
POOL_STD = 40.0
SHARED_MIN = 4096
BIAS_STD = 0.02
# Layers whose outputs are flows, masks, residual images or feature updates: small gains.
HEAD_GAINS = [
    ("decoder4.convblock.2.", 0.05),
    ("decoder3.convblock.2.", 0.05),
    ("decoder2.convblock.2.", 0.05),
    ("decoder1.convblock.2.", 0.05),
    (".flow_head.2.", 0.05),
    (".feat_head.2.", 0.1),
    ("comb_block.2.", 0.05),
]

FF_COMMON = ["-an", "-threads", "1", "-c:v", "libx264", "-preset", "medium", "-fflags", "+bitexact",
             "-flags:v", "+bitexact", "-map_metadata", "-1"]
# (file, lavfi source, frames, pixel format)
VIDEOS = [
    ("amt-testsrc2-234x150-13f.mp4", "testsrc2=size=234x150:rate=10", 13, "yuv420p"),
    ("amt-testsrc-245x139-yuv444-14f.mp4", "testsrc=size=245x139:rate=8", 14, "yuv444p"),
    ("amt-mandelbrot-160x128-8f.mp4", "mandelbrot=size=160x128:rate=25", 8, "yuv420p"),
    ("amt-testsrc2-130x120-3f.mp4", "testsrc2=size=130x120:rate=5", 3, "yuv420p"),
]
# The official AMT-S needs padded sizes of at least 128: its 4-level correlation pyramid divides by
# (W - 1) and (H - 1) of the coarsest level (H/64), which gives NaN/inf below 128 (see the TS module).
CHECKS = [(128, 128, 1), (128, 144, 2)]


def ffmpeg_args(src, frames, pix_fmt):
    """Arguments after the ffmpeg binary; the output file is appended."""
    return ["-y", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", src, "-frames:v", str(frames),
            *FF_COMMON, "-pix_fmt", pix_fmt]


def materialise(source):
    """(directory, commit): a checkout as it is (commit None), or the official files needed
    (vbench/motion_smoothness.py and the .py/.yaml files of the AMT tree) extracted from a bare
    mirror at VBENCH_COMMIT."""
    if os.path.exists(os.path.join(source, "vbench", "motion_smoothness.py")):
        return source, None
    names = pc.git(["--git-dir", source, "ls-tree", "-r", "--name-only", VBENCH_COMMIT, "vbench/motion_smoothness.py",
                    "vbench/third_party/__init__.py", "vbench/third_party/amt"]).decode().split()
    names = [rel for rel in names if rel.endswith((".py", ".yaml"))]
    return pc.extract_files(source, names, VBENCH_COMMIT, prefix="official-amt-"), VBENCH_COMMIT


def fan_in(name, p, module_types):
    if module_types[name] == "ConvTranspose2d":  # weight [in, out, k, k], stride 2: in * k*k / 4 taps per output
        return p.shape[0] * p.shape[2] * p.shape[3] / 4
    return p[0].numel()


def init_weights(model, rng):
    """Deterministic compressible random weights (see the module docstring). Returns the pool and
    the list of shared tensors {name, offset, numel, shape, exp}."""
    pool = np.clip(np.round(rng.standard_normal(POOL_SIZE) * POOL_STD), -127, 127).astype(np.int8)
    module_types = {}
    for mname, mod in model.named_modules():
        for pname, _ in mod.named_parameters(recurse=False):
            module_types[f"{mname}.{pname}" if mname else pname] = type(mod).__name__
    shared = []
    with torch.no_grad():
        for name, p in model.named_parameters():
            kind = module_types[name]
            if kind == "PReLU":
                p.fill_(0.25)
                continue
            if name.endswith(".bias"):
                p.copy_(torch.from_numpy((rng.standard_normal(p.numel()) * BIAS_STD).astype(np.float32)).view_as(p))
                continue
            gain = 1.0
            for key, g in HEAD_GAINS:
                if key in name:
                    gain = g
            std = gain * math.sqrt(2.0 / fan_in(name, p, module_types))
            exp = int(round(math.log2(POOL_STD / std)))
            n = p.numel()
            offset = int(rng.integers(0, POOL_SIZE - n + 1))
            q = pool[offset:offset + n].astype(np.float32) * np.float32(2.0 ** -exp)
            p.copy_(torch.from_numpy(q).view_as(p))
            if n >= SHARED_MIN:
                shared.append({"name": name, "offset": offset, "numel": n, "shape": list(p.shape), "exp": exp})
    return pool, shared


class Contract(torch.nn.Module):
    """The genbench contract: (img0, img1, embt) -> imgt_pred, scale_factor 1.0, eval=True."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, img0, img1, embt):
        return self.model(img0, img1, embt, scale_factor=1.0, eval=True)["imgt_pred"]


def export_contract(model, out_path, opset=17, sample_hw=(64, 96)):
    """Plain torch.onnx.export of Contract(model) (float32 initializers), dynamic batch/height/width,
    traced on torch.rand inputs of `sample_hw` (drawn from the global torch generator)."""
    x0 = torch.rand(1, 3, *sample_hw)
    x1 = torch.rand(1, 3, *sample_hw)
    embt = torch.full((1, 1, 1, 1), 0.5)
    with torch.no_grad():
        torch.onnx.export(Contract(model).eval(), (x0, x1, embt), out_path, input_names=["img0", "img1", "embt"],
                          output_names=["imgt_pred"], opset_version=opset, do_constant_folding=True,
                          dynamic_axes={"img0": {0: "batch", 2: "height", 3: "width"},
                                        "img1": {0: "batch", 2: "height", 3: "width"},
                                        "embt": {0: "batch"},
                                        "imgt_pred": {0: "batch", 2: "height", 3: "width"}})


def export_onnx(model, pool, shared, out_path, opset=17):
    """export_contract, then the large shared weights rebuilt from the int8 pool (module docstring)."""
    import onnx
    from onnx import helper, numpy_helper, TensorProto
    tmp = out_path + ".tmp"
    export_contract(model, tmp, opset)
    m = onnx.load(tmp)
    os.remove(tmp)
    params = dict(model.named_parameters())
    by_bytes = {}
    for s in shared:
        by_bytes.setdefault(params[s["name"]].detach().numpy().astype(np.float32).tobytes(), s)
    g = m.graph
    keep, nodes, replaced = [], [], 0
    pool_name = "amt_weight_pool_int8"
    for init in g.initializer:
        arr = numpy_helper.to_array(init)
        s = by_bytes.get(arr.astype(np.float32).tobytes()) if arr.dtype == np.float32 and arr.size >= SHARED_MIN else None
        if s is None or list(arr.shape) != s["shape"]:
            keep.append(init)
            continue
        replaced += 1
        base = f"poolw{replaced}"
        keep.append(numpy_helper.from_array(np.array([s["offset"]], np.int64), base + "_start"))
        keep.append(numpy_helper.from_array(np.array([s["offset"] + s["numel"]], np.int64), base + "_end"))
        keep.append(numpy_helper.from_array(np.array(s["shape"], np.int64), base + "_shape"))
        keep.append(numpy_helper.from_array(np.array(2.0 ** -s["exp"], np.float32), base + "_scale"))
        nodes += [
            helper.make_node("Slice", [pool_name, base + "_start", base + "_end"], [base + "_flat"]),
            helper.make_node("Reshape", [base + "_flat", base + "_shape"], [base + "_q"]),
            helper.make_node("Cast", [base + "_q"], [base + "_f"], to=TensorProto.FLOAT),
            helper.make_node("Mul", [base + "_f", base + "_scale"], [init.name]),
        ]
    keep.append(numpy_helper.from_array(pool, pool_name))
    del g.initializer[:]
    g.initializer.extend(keep)
    old = list(g.node)
    del g.node[:]
    g.node.extend(nodes + old)
    m.producer_name = "genbench tools/parity/amt_motion_smoothness_golden.py"
    onnx.checker.check_model(m)
    onnx.save(m, out_path)
    return replaced


def check_input(b, h, w):
    """((i*7919) % 1000)/1000 at flat index i over img0 then img1 (each [b,3,h,w]), float64 -> float32."""
    v = pc.check_input((2, b, 3, h, w))
    return v[0], v[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vbench", help="VBench git mirror or checkout (pinned %s)" % VBENCH_COMMIT[:7])
    ap.add_argument("--out", default=os.path.join(ROOT, "tests/golden/vbench-motion-smoothness.json"))
    ap.add_argument("--onnx", default=os.path.join(ROOT, "tests/fixtures/models/amt-tiny.onnx"))
    ap.add_argument("--keep", help="make the videos here (default: a temp dir)")
    args = ap.parse_args()
    torch.set_num_threads(max(1, os.cpu_count() or 1))
    src = pc.pick_source(args.vbench, DEFAULT_VBENCH, "VBench", "--vbench (git mirror or checkout)")
    root, commit = materialise(src)

    ms = official_vbench.load_official_module(root, "motion_smoothness")
    from vbench.third_party.amt.utils.build_utils import build_from_cfg  # official, from the checkout
    cfg_path = os.path.join(root, CFG_REL)
    network_cfg = ms.OmegaConf.load(cfg_path).network

    torch.manual_seed(SEED)
    model = build_from_cfg(network_cfg)
    rng = np.random.default_rng(SEED)
    pool, shared = init_weights(model, rng)
    n_params = sum(p.numel() for p in model.parameters())
    work = tempfile.mkdtemp(prefix="genbench-amt-golden-")
    ckpt = os.path.join(work, "amt-s-random.pth")
    torch.save({"state_dict": model.state_dict()}, ckpt)

    # The official class builds the model again from the yaml and loads the state dict strictly.
    motion = ms.MotionSmoothness(cfg_path, ckpt, "cpu")
    off = motion.model
    sd_a, sd_b = model.state_dict(), off.state_dict()
    assert all(torch.equal(sd_a[k], sd_b[k]) for k in sd_a)

    os.makedirs(os.path.dirname(args.onnx), exist_ok=True)
    replaced = export_onnx(off, pool, shared, args.onnx)
    onnx_sha = pc.sha256_file(args.onnx)
    print(f"onnx: {os.path.getsize(args.onnx)} bytes, {replaced} pooled weights, sha256 {onnx_sha}", file=sys.stderr)

    checks = []
    with torch.no_grad():
        for h, w, b in CHECKS:
            x0, x1 = check_input(b, h, w)
            embt = torch.full((b, 1, 1, 1), 0.5)
            y = off(x0, x1, embt, scale_factor=1.0, eval=True)["imgt_pred"]
            flat = y.reshape(-1).numpy().astype(np.float64)
            idx = sorted(set([0, 1, 2, 777, flat.size // 3, flat.size // 2, flat.size - 1] +
                             [int(k) for k in np.linspace(0, flat.size - 1, 24)]))
            checks.append({"batch": b, "h": h, "w": w,
                           "input": "((i*7919) % 1000)/1000 at flat index i over img0 then img1, float64 -> float32; embt 0.5",
                           "sum": float(flat.sum()), "mean_abs": float(np.abs(flat).mean()), "max_abs": float(np.abs(flat).max()),
                           "samples": [[k, float(flat[k])] for k in idx]})

    gen_dir = args.keep or tempfile.mkdtemp(prefix="genbench-amt-videos-")
    os.makedirs(gen_dir, exist_ok=True)
    videos = []
    for f, lavfi, frames, pix in VIDEOS:
        path = os.path.join(gen_dir, f)
        a = ffmpeg_args(lavfi, frames, pix)
        subprocess.run([FFMPEG, *a, path], check=True)
        videos.append({"file": f, "path": path, "ffmpeg_args": a, "sha256": pc.sha256_file(path)})

    t0 = time.perf_counter()
    score, results = ms.motion_smoothness(motion, [v["path"] for v in videos])
    seconds = time.perf_counter() - t0
    rows = []
    fp = ms.FrameProcess()
    for v, r in zip(videos, results):
        assert r["video_path"] == v["path"]
        frames = fp.get_frames(v["path"])
        h, w = frames[0].shape[:2]
        padder = ms.InputPadder((h, w), 16)
        rows.append({"file": v["file"], "ffmpeg": ["ffmpeg", *v["ffmpeg_args"], v["file"]],
                     "ffmpeg_args": v["ffmpeg_args"], "sha256": v["sha256"], "frames": len(frames),
                     "width": w, "height": h, "pad_lrtb": list(padder._pad),
                     "interpolated": (len(frames) + 1) // 2 - 1,
                     "video_results": float(r["video_results"])})
        print(f"{v['file']}: {len(frames)} frames {w}x{h} pad {padder._pad} -> {r['video_results']!r}", file=sys.stderr)
    out = {
        "what": "VBench motion_smoothness with random compressible weights in the official AMT-S, from the official code",
        "generator": "tools/parity/amt_motion_smoothness_golden.py",
        "official": {"repository": "Vchitect/VBench", "commit": commit or VBENCH_COMMIT,
                     "files": ["vbench/motion_smoothness.py", "vbench/third_party/amt/networks/AMT-S.py", CFG_REL]},
        "versions": {"python": platform.python_version(), "torch": torch.__version__, "numpy": np.__version__,
                     "opencv": __import__("cv2").__version__, "onnx": __import__("onnx").__version__,
                     "ffmpeg": subprocess.run([FFMPEG, "-version"], capture_output=True, text=True).stdout.split("\n")[0]},
        "device": "cpu (string): scale 1, padding 16",
        "model": {"file": "tests/fixtures/models/amt-tiny.onnx", "sha256": onnx_sha, "bytes": os.path.getsize(args.onnx),
                  "class": "networks.AMT-S.Model", "config": dict(network_cfg["params"]),
                  "class_defaults": {"channels": [20, 32, 44, 56], "skip_channels": 20}, "parameters": n_params,
                  "init": {"seed": SEED, "pool_size": POOL_SIZE, "pool_std": POOL_STD, "shared_min": SHARED_MIN,
                           "bias_std": BIAS_STD, "prelu": 0.25, "head_gains": HEAD_GAINS, "pooled_tensors": len(shared),
                           "onnx_pooled_initializers": replaced},
                  "inputs": {"img0": "float32 [batch,3,H,W]", "img1": "float32 [batch,3,H,W]", "embt": "float32 [batch,1,1,1]"},
                  "outputs": {"imgt_pred": "float32 [batch,3,H,W]"}},
        "model_checks": checks,
        "videos": rows,
        "aggregate": "np.mean of video_results (official motion_smoothness())",
        "dimension_score": float(score),
        "official_seconds": seconds,
    }
    pc.write_json(args.out, out)
    print(f"dimension_score {score!r} ({seconds:.1f}s)", file=sys.stderr)


if __name__ == "__main__":
    main()
