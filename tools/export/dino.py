#!/usr/bin/python3
"""Export the FULL DINO ViT-B/16 that VBench's subject_consistency uses to the genbench model
contract: input `pixel_values` float32 [1,3,H,W] (dynamic H and W; dino_transform(224) makes the
short side 224), output `features` float32 [1,768] = the CLS token after the final LayerNorm,
exactly VisionTransformer.forward. Prints the ONNX file's sha256.

The model is built by the OFFICIAL facebookresearch/dino code, the way its hubconf.py
`dino_vitb16` does: vision_transformer.vit_base(patch_size=16, num_classes=0), then
load_state_dict(strict=True) from the official checkpoint
(https://dl.fbaipublicfiles.com/dino/dino_vitbase16_pretrain/dino_vitbase16_pretrain.pth, passed
here as a local file). The export goes through the same code path as the tiny test fixture
(tools/parity/official_dino.py `ContractViT`): the official modules, with only the pos-embed
interpolation expressed with shape-dependent bicubic interpolation matrices so that it follows
the runtime H and W. Before writing, the exported wrapper is checked against the official forward
in torch at 224x224, 224x298 and 224x398.

  /usr/bin/python3 tools/export/dino.py CHECKPOINT.pth OUT.onnx [--dino PATH]

--dino: a git mirror or checkout of facebookresearch/dino (default: $DINO_SRC or the mirror under
/work/.mirror). Documented for deployments; not run by the tests (the checkpoint is 343 MB).
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'parity'))
import official_dino as od  # noqa: E402
import parity_common as pc  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkpoint", help="dino_vitbase16_pretrain.pth")
    ap.add_argument("out", help="output .onnx")
    ap.add_argument("--dino", help="facebookresearch/dino git mirror or checkout")
    ap.add_argument("--opset", type=int, default=17)
    args = ap.parse_args(argv)
    with pc.isolated_imports():

        vits = od.load_dino_vits(pc.pick_source(args.dino, od.DEFAULT_DINO, "dino"))
        model = vits.vit_base(patch_size=16, num_classes=0)
        state = torch.load(args.checkpoint, map_location="cpu")
        model.load_state_dict(state, strict=True)
        model.eval()
        with torch.no_grad():
            for h, w in [(224, 224), (224, 298), (224, 398)]:
                x = torch.randn(1, 3, h, w, generator=torch.Generator().manual_seed(h * 1000 + w))
                diff = float((od.ContractViT(model)(x) - model(x)).abs().max())
                print(f"{h}x{w}: contract vs official forward max |diff| {diff:.3g}", file=sys.stderr)
                if not diff <= 1e-4:  # NaN fails too
                    sys.exit("the contract wrapper does not reproduce the official forward")
        sha = od.export_contract(model, args.out, opset=args.opset)
        print(sha)


if __name__ == "__main__":
    main()
