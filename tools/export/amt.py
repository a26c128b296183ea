#!/usr/bin/python3
"""Export the official AMT-S checkpoint (VBench motion_smoothness) to the genbench model contract.

  /usr/bin/python3 tools/export/amt.py AMT_S_PTH OUT.onnx [--vbench MIRROR_OR_CHECKOUT] [--checks-out FILE.json]

AMT_S_PTH is `amt-s.pth` from https://huggingface.co/lalala125/AMT/resolve/main/amt-s.pth (what
VBench downloads to ~/.cache/vbench/amt_model/amt-s.pth). The network is built by the OFFICIAL code
of the pinned VBench commit (vbench/third_party/amt: cfgs/AMT-S.yaml through build_from_cfg, the
networks.AMT-S.Model class), the weights loaded strictly from ckpt['state_dict'] as
vbench/motion_smoothness.py does, and exported with torch.onnx (opset 17, plain float32
initializers) as

  inputs  img0, img1  float32 [batch, 3, height, width]  RGB in 0..1, replicate-padded to a multiple of 16
          embt        float32 [batch, 1, 1, 1]           0.5
  output  imgt_pred   float32 [batch, 3, height, width]  clamp(0, 1), still padded

with scale_factor 1.0 and eval=True (what every official run uses, spec section 4.2), and dynamic
batch/height/width. Prints the file's sha256 and size (for the registry: src/metrics/amt/spec.ts). With
--checks-out it also writes torch reference outputs on the deterministic inputs used by
tests/golden/vbench-motion-smoothness.json (`model_checks` format), to check the export in
onnxruntime-node. Padded sizes must be >= 128: the official model returns NaN below that.

Needs torch (tested with Debian's 1.13), onnx, PyYAML; the omegaconf/imageio stand-ins come from
tools/parity/shims_amt/. Nothing of VBench/AMT is copied into genbench.
"""
import argparse
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "parity"))
import amt_motion_smoothness_golden as amt  # noqa: E402  (shims, official loader, Contract, check inputs)
import parity_common as pc  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ckpt", help="amt-s.pth")
    ap.add_argument("out", help="output .onnx")
    ap.add_argument("--vbench", help="VBench git mirror or checkout (pinned %s)" % amt.VBENCH_COMMIT[:7])
    ap.add_argument("--checks-out", help="write torch reference outputs (model_checks) here")
    ap.add_argument("--opset", type=int, default=17)
    args = ap.parse_args(argv)
    with pc.isolated_imports():
        src = pc.pick_source(args.vbench, amt.DEFAULT_VBENCH, "VBench", "--vbench (git mirror or checkout)")
        root, _ = amt.materialise(src)
        ms = amt.official_vbench.load_official_module(root, "motion_smoothness")
        # The official class: OmegaConf config, build_from_cfg, strict load of ckpt['state_dict'], eval().
        motion = ms.MotionSmoothness(os.path.join(root, amt.CFG_REL), args.ckpt, "cpu")
        model = motion.model.eval()

        amt.export_contract(model, args.out, opset=args.opset, sample_hw=(128, 160))
        import onnx
        onnx.checker.check_model(onnx.load(args.out))

        if args.checks_out:
            checks = []
            with torch.no_grad():
                for h, w, b in amt.CHECKS:
                    a, c = amt.check_input(b, h, w)
                    y = model(a, c, torch.full((b, 1, 1, 1), 0.5), scale_factor=1.0, eval=True)["imgt_pred"]
                    flat = y.reshape(-1).numpy().astype(np.float64)
                    idx = sorted(set(int(k) for k in np.linspace(0, flat.size - 1, 31)))
                    checks.append({"batch": b, "h": h, "w": w, "sum": float(flat.sum()), "max_abs": float(np.abs(flat).max()),
                                   "samples": [[k, float(flat[k])] for k in idx]})
            pc.write_json(args.checks_out, {"model_checks": checks})

        print(f"{pc.sha256_file(args.out)}  {args.out}  ({os.path.getsize(args.out)} bytes)")


if __name__ == "__main__":
    main()
