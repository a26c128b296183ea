#!/usr/bin/python3
"""Export UMT ViT-L/16 (Kinetics-710 pre-train, Kinetics-400 fine-tune, 16 frames, 224), the model of
VBench human_action, to the genbench ONNX contract 'umt-vit-l16-k400' (tools/parity/official_umt.py):
`pixel_values` float32 [batch, 3, 16, 224, 224] -> `logits` float32 [batch, 400] (before the sigmoid VBench
applies; class order = vbench/third_party/umt/kinetics_400_categories.txt indices).

The model is the OFFICIAL code of VBench 45e79ec (vbench/human_action.py, vbench/third_party/umt/), read
from a git mirror or checkout and built as human_action builds it: timm create_model("vit_large_patch16_224",
num_classes=400, all_frames=16, tubelet_size=1, ...) — VBench's own registered UMT VisionTransformer — then
`load_state_dict(torch.load(CHECKPOINT), strict=False)` and eval(). strict=False would hide a checkpoint
that does not fit, so this exporter FAILS unless the load reports no missing and no unexpected key.
timm is the stand-in of tools/parity/timm_einops_standins.py (create_model, register_model, and DropPath /
drop_path / to_2tuple / trunc_normal_ as the model code uses them; nothing of it is on the eval forward).
fp32, as VBench runs UMT.

The checkpoint (a plain state dict; VBench's init_submodules fetches it into <cache>/umt_model/):
  https://huggingface.co/OpenGVLab/VBench_Used_Models/resolve/main/l16_ptk710_ftk710_ftk400_f16_res224.pth

  /usr/bin/python3 tools/export/umt.py --checkpoint l16_ptk710_ftk710_ftk400_f16_res224.pth --out-dir DIR
      [--vbench M] [--opset 17] [--no-ort-check]

Writes DIR/umt-vit-l16-k400.onnx and prints its sha256. The checks: the contract wrapper vs the official
forward (exact) and onnxruntime-node (tools/parity/ort-run.ts) vs torch on a deterministic clip,
|diff| <= 1e-4, with the same top 5 classes. --reduced-config JSON builds the official class with smaller
sizes (tools/parity/umt_golden.py CONFIG) instead of L/16: for the exporter's own test only.
"""
import argparse
import json
import os
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "parity"))
import official_umt as ou  # noqa: E402
import parity_common as pc  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True, help="l16_ptk710_ftk710_ftk400_f16_res224.pth (a plain state dict)")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--vbench", help="VBench git mirror or checkout (pinned %s)" % pc.VBENCH_COMMIT[:7])
    ap.add_argument("--opset", type=int, default=17)
    ap.add_argument("--no-ort-check", action="store_true", help="skip the onnxruntime-node comparison")
    ap.add_argument("--reduced-config", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    with pc.isolated_imports(), tempfile.TemporaryDirectory(prefix="umt-cache-") as cache:
        ou.load(pc.pick_vbench(a.vbench), cache)
        if a.reduced_config:
            with ou.reduced(json.loads(a.reduced_config)):
                model, missing, unexpected = ou.load_checkpoint(a.checkpoint)
        else:
            model, missing, unexpected = ou.load_checkpoint(a.checkpoint)
        print(f"load_state_dict(strict=False): {len(missing)} missing, {len(unexpected)} unexpected", file=sys.stderr)
        if missing or unexpected:
            sys.exit(f"the checkpoint does not fit the official model: missing {missing[:10]}, unexpected {unexpected[:10]} "
                     "(human_action would silently run with those weights at their random init)")
        x = pc.check_input((1, 3, ou.FRAMES, 224, 224), offset=-0.5, scale=4.0)
        with torch.no_grad():
            ref = model(x)
            if not torch.equal(ref, ou.Contract(model)(x)):
                sys.exit("the contract wrapper does not reproduce the official forward")
        os.makedirs(a.out_dir, exist_ok=True)
        out = os.path.join(a.out_dir, "umt-vit-l16-k400.onnx")
        sha = ou.export(model, out, opset=a.opset)
        if not a.no_ort_check:
            got = pc.ort_run_node(out, {"pixel_values": x.numpy()})["logits"]
            diff = float(np.abs(got - ref.numpy()).max())
            same_top5 = torch.topk(torch.from_numpy(got), 5).indices.tolist() == torch.topk(ref, 5).indices.tolist()
            print(f"  torch vs onnxruntime-node: logits max |diff| {diff:.3g}; same top 5: {same_top5}", file=sys.stderr)
            if not (diff <= 1e-4 and same_top5):  # NaN fails too
                sys.exit("the exported graph does not match the torch model")
        print(f"{sha}  {out}")


if __name__ == "__main__":
    main()
