#!/usr/bin/python3
"""Export VBench's RAFT (dynamic_degree and the static filter) to the genbench `raft-things`
contract and print the ONNX file's sha256.

Contract (src/metrics/raft/spec.ts): inputs `image1`, `image2` float32 [batch,3,height,width],
RGB 0..255, already padded by the caller to multiples of 8 (RAFT normalises 2*(x/255)-1 inside);
output `flow` float32 [batch,2,height,width] = flow_up of RAFT(image1, image2, iters=20,
test_mode=True), before unpadding. Batch, height and width are dynamic.

The model is the OFFICIAL vbench/third_party/RAFT/core RAFT class, read from a VBench git mirror or
checkout at the pinned commit (tools/parity/official_raft.py; nothing is copied), built exactly as
vbench/dynamic_degree.py builds it (small=False, mixed_precision=False, alternate_corr=False), with
the checkpoint's `module.` prefixes stripped and load_state_dict(strict=True), then eval().
Before writing, the exported graph's wrapper is checked against the official forward in torch.

  /usr/bin/python3 tools/export/raft.py RAFT_THINGS_PTH OUT.onnx [--vbench PATH] [--opset 17]

RAFT_THINGS_PTH: models/raft-things.pth from
https://dl.dropboxusercontent.com/s/4j4z58wuv8o0mfz/models.zip (VBench's download). Documented for
deployments; not run by the tests (the tests use a random-weight `small` RAFT built by
tools/parity/raft_dynamic_golden.py through the same export path).
Note: the coarsest correlation level of RAFT has H/64 rows; inputs under 128 px (after padding)
on either side give NaN flows in the official code too (grid_sample normalises by H-1 = 0).
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "parity"))
import official_raft as orf  # noqa: E402
import parity_common as pc  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint", help="raft-things.pth")
    ap.add_argument("out", help="output .onnx")
    ap.add_argument("--vbench", help="Vchitect/VBench git mirror or checkout (default: $VBENCH_SRC or the mirror under /work/.mirror)")
    ap.add_argument("--opset", type=int, default=17)
    ap.add_argument("--small", action="store_true", help="the small RAFT (raft-small.pth); VBench uses the full model")
    args = ap.parse_args(argv)
    with pc.isolated_imports():

        ns = orf.load(args.vbench)
        model = ns.RAFT(orf.EasyDict({"small": args.small, "mixed_precision": False, "alternate_corr": False}))
        ckpt = torch.load(args.checkpoint, map_location="cpu")
        model.load_state_dict({k.replace("module.", ""): v for k, v in ckpt.items()}, strict=True)
        model.eval()
        wrapped = orf.ContractRAFT.wrap(model)
        with torch.no_grad():
            for h, w in [(128, 192), (256, 336)]:
                g = torch.Generator().manual_seed(h * 1000 + w)
                a, b = torch.rand(1, 3, h, w, generator=g) * 255, torch.rand(1, 3, h, w, generator=g) * 255
                diff = float((wrapped(a, b) - model(a, b, iters=20, test_mode=True)[1]).abs().max())
                print(f"{h}x{w}: contract vs official forward max |diff| {diff:.3g}", file=sys.stderr)
                if diff != 0.0:  # NaN too
                    sys.exit("the contract wrapper does not reproduce the official forward")
        sha = orf.export_contract(model, args.out, opset=args.opset, sample_hw=(128, 192))
        print(sha)


if __name__ == "__main__":
    main()
