#!/usr/bin/python3
"""Export GenEval's detector, Mask2Former Swin-S COCO instance segmentation (mmdet 2.x config
mask2former_swin-s-p4-w7-224_lsj_8x2_50e_coco), to the genbench `mask2former-swin-s-coco`
contract, check the file with ONNX Runtime against the torch network and print its sha256.

Contract (src/metrics/mask2former/spec.ts):
  input  pixel_values float32 [1, 3, height, width]: mmdet-normalised RGB, padded bottom/right to
         multiples of 32 (src/metrics/mask2former/processor.ts builds it); height and width are
         dynamic (any multiples of 32, up to 1344 for GenEval's 1333x800 rescale);
  output cls_logits  float32 [1, 100, 81]: class logits of the last decoder layer (80 COCO + no-object);
         mask_logits float32 [1, 100, height/4, width/4]: mask logits of the last decoder layer,
         before any upsampling (src/metrics/mask2former/postprocess.ts does the rest).

The network is tools/export/mask2former_net.py, a plain-PyTorch definition of the mmdet model whose
parameter names are mmdet's, so the official checkpoint loads without renaming:

  /usr/bin/python3 tools/export/mask2former.py --checkpoint mask2former_swin-s-p4-w7-224_lsj_8x2_50e_coco.pth \\
      --out mask2former-swin-s-coco.onnx [--height 800 --width 800]

(checkpoint: https://download.openmmlab.com/mmdetection/v2.0/mask2former/mask2former_swin-s-p4-w7-224_lsj_8x2_50e_coco/mask2former_swin-s-p4-w7-224_lsj_8x2_50e_coco_20220504_001756-743b7d99.pth,
what geneval's evaluation/download_models.sh fetches). Seeded random weights instead of a
checkpoint: `--random-weights --config full|tiny [--seed N]` (full: the real sizes, for size and
timing checks; tiny: the same operators and structure, narrower and shallower, 100 queries and 81
classes; the test fixture is made by tools/parity/mask2former_golden.py with it).

The ONNX Runtime check runs onnxruntime-node (tools/parity/ort-run.ts; Python onnxruntime is not in
Debian) at the export size and at a second, non-square size, and fails above --tolerance (1e-4).
Where mmdet 2.x and mmcv-full are installed, --mmdet-config CONFIG.py also compares the torch
network with mmdet's own model (init_detector) on the same input; nothing else needs mmdet.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tools", "parity"))
import mask2former_net as mn  # noqa: E402
import parity_common as pc  # noqa: E402
from raft_dynamic_golden import fp16_initializers  # noqa: E402  (float16-exact initializers stored as float16 + Cast)

OPSET = 17  # GridSample needs 16, LayerNormalization 17
INPUT = "pixel_values"
OUTPUTS = ["cls_logits", "mask_logits"]


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def build_model(checkpoint=None, config="full", seed=0):
    model = mn.Mask2Former(mn.CONFIGS[config])
    if checkpoint:
        mn.load_mmdet_state_dict(model, torch.load(checkpoint, map_location="cpu"))
        return model.eval()
    return mn.random_weights(model, seed)


def check_input(h, w, seed=0):
    """A deterministic input of normalised-image scale: seeded N(0, 1), float32 [1, 3, h, w]."""
    g = torch.Generator().manual_seed(seed * 100003 + h * 1009 + w)
    return torch.randn(1, 3, h, w, generator=g)


def set_io_types(path):
    """Declare the graph outputs' element type and shape (the tracer leaves them empty)."""
    import onnx
    from onnx import TensorProto, helper

    m = onnx.load(path)
    q, nc = 100, 81
    shapes = {"cls_logits": [1, q, nc], "mask_logits": [1, q, "mask_height", "mask_width"]}
    outs = []
    for o in m.graph.output:
        outs.append(helper.make_tensor_value_info(o.name, TensorProto.FLOAT, shapes[o.name]))
    del m.graph.output[:]
    m.graph.output.extend(outs)
    onnx.checker.check_model(m)
    onnx.save(m, path)


def export_onnx(model, out, h=800, w=800, fp16=False):
    """Trace at (h, w) with dynamic height/width and write `out`."""
    x = check_input(h, w)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    import warnings
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (x,), out, input_names=[INPUT], output_names=OUTPUTS,
                          dynamic_axes={INPUT: {2: "height", 3: "width"}, "mask_logits": {2: "mask_height", 3: "mask_width"}},
                          opset_version=OPSET, do_constant_folding=True)
    set_io_types(out)
    if fp16:
        fp16_initializers(out)
    return sha256_file(out)


def ort_run(onnx_path, x, threads=None, repeat=1):
    """Outputs of onnxruntime-node on `x` (tools/parity/ort-run.ts) and its timing record."""
    with tempfile.TemporaryDirectory(prefix="m2f-ort-") as tmp:
        inp = os.path.join(tmp, "x.f32")
        x.numpy().astype("<f4").tofile(inp)
        cmd = ["node", "--import", "tsx", os.path.join(ROOT, "tools/parity/ort-run.ts"), os.path.abspath(onnx_path), tmp]
        if threads:
            cmd += ["--threads", str(threads)]
        cmd += ["--repeat", str(repeat), f"{INPUT}={inp}:{'x'.join(map(str, x.shape))}"]
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(tmp, "outputs.json")) as f:
            meta = json.load(f)
        outs = {k: np.fromfile(os.path.join(tmp, f"{k}.f32"), dtype="<f4").reshape(dims) for k, dims in meta["outputs"].items()}
    return outs, meta


def compare(model, onnx_path, x, threads=None):
    """max |torch - ORT| per output, plus the torch and ORT wall times."""
    t = time.time()
    with torch.no_grad():
        ref = dict(zip(OUTPUTS, (o.numpy() for o in model(x))))
    torch_s = time.time() - t
    got, meta = ort_run(onnx_path, x, threads)
    diffs = {}
    for k in OUTPUTS:
        if got[k].shape != ref[k].shape:
            raise SystemExit(f"ORT output {k} has shape {got[k].shape}, torch {ref[k].shape}")
        diffs[k] = float(np.abs(got[k].astype(np.float64) - ref[k]).max())
    return diffs, torch_s, meta["runMs"][-1] / 1000


def compare_mmdet(model, config, checkpoint, x):
    """Optional: our torch network vs mmdet's own (init_detector) on `x`; needs mmdet 2.x + mmcv-full."""
    from mmdet.apis import init_detector  # noqa: only where mmdet is installed

    det = init_detector(config, checkpoint, device="cpu")
    h, w = x.shape[-2:]
    metas = [dict(batch_input_shape=(h, w), img_shape=(h, w, 3), ori_shape=(h, w, 3), pad_shape=(h, w, 3))]
    with torch.no_grad():
        cls_list, mask_list = det.panoptic_head(det.extract_feat(x), metas)
        ours = model(x)
    return {k: float((a - b).abs().max()) for k, a, b in zip(OUTPUTS, ours, (cls_list[-1], mask_list[-1]))}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="the official mmdet 2.x .pth")
    src.add_argument("--random-weights", action="store_true", help="seeded random weights instead of a checkpoint")
    ap.add_argument("--config", choices=sorted(mn.CONFIGS), default="full", help="network size (random weights only; a checkpoint is always full)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", required=True, help="output .onnx")
    ap.add_argument("--height", type=int, default=800)
    ap.add_argument("--width", type=int, default=800)
    ap.add_argument("--check-size", default="800x1216", help="second HxW the ORT check runs at (dynamic shapes); 'none' to skip")
    ap.add_argument("--fp16-weights", action="store_true", help="store float16-exact weights as float16 (random weights are made fp16-exact)")
    ap.add_argument("--tolerance", type=float, default=1e-4)
    ap.add_argument("--threads", type=int, help="ONNX Runtime intra-op threads for the check")
    ap.add_argument("--no-check", action="store_true", help="skip the ONNX Runtime check")
    ap.add_argument("--mmdet-config", help="optional: also compare with mmdet's init_detector (mmdet 2.x installed)")
    args = ap.parse_args(argv)
    with pc.isolated_imports():
        if args.checkpoint and args.config != "full":
            ap.error("--config tiny needs --random-weights")
        for v in (args.height, args.width):
            if v % 32:
                ap.error("--height and --width must be multiples of 32 (the contract's padding)")

        model = build_model(args.checkpoint, args.config, args.seed)
        n = sum(p.numel() for p in model.parameters())
        print(f"network: config {args.config}, {n} parameters", file=sys.stderr)
        t = time.time()
        sha = export_onnx(model, args.out, args.height, args.width, fp16=args.fp16_weights)
        print(f"exported {args.out} ({os.path.getsize(args.out)} bytes, opset {OPSET}) in {time.time() - t:.0f} s", file=sys.stderr)
        sizes = [(args.height, args.width)]
        if args.check_size != "none":
            sizes.append(tuple(int(v) for v in args.check_size.split("x")))
        worst = 0.0
        if not args.no_check:
            for h, w in sizes:
                diffs, ts, to = compare(model, args.out, check_input(h, w, 1), args.threads)
                worst = max(worst, *diffs.values()) if all(v == v for v in diffs.values()) else float("nan")
                print(f"{h}x{w}: torch vs ORT max |diff| " + ", ".join(f"{k} {v:.3g}" for k, v in diffs.items())
                      + f"; torch {ts:.1f} s, ORT {to:.1f} s", file=sys.stderr)
            if not worst <= args.tolerance:  # NaN fails too
                sys.exit(f"ONNX Runtime differs from torch by {worst:.3g} > {args.tolerance}")
        if args.mmdet_config:
            d = compare_mmdet(model, args.mmdet_config, args.checkpoint, check_input(args.height, args.width, 2))
            print(f"ours vs mmdet max |diff| {d}", file=sys.stderr)
            if not max(d.values()) <= args.tolerance:  # NaN fails too
                sys.exit(f"our network differs from mmdet's by {max(d.values()):.3g} > {args.tolerance}")
        print(sha)


if __name__ == "__main__":
    main()
