#!/usr/bin/python3
"""Export pyiqa's MUSIQ (the checkpoint VBench's imaging_quality uses,
musiq_spaq_ckpt-358bb6af.pth) to the genbench ONNX contract for 'musiq-spaq'.

Contract (batch of equally long token sequences; VBench runs one frame at a time, batch 1):
  input  `patches` float32 [B, N, 3075]: exactly the tensor MUSIQ's forward consumes after its
         own preprocessing (pyiqa/data/multiscale_trans_util.py get_multiscale_patches): per token,
         3*32*32 = 3072 pixel values of a 32x32 patch in [-1, 1] in F.unfold order (channel, row,
         column), then the hashed spatial position (0..99), the scale id (0, 1, 2) and the mask
         (1 = real patch, 0 = padding). N = 49 + 144 + ceil(h/32)*ceil(w/32) for an h x w frame.
         genbench builds it in TypeScript (src/metrics/musiq/processor.ts).
  output `score`   float32 [B, 1]: the MOS (dist_to_mos of the single-class head, i.e. the value).

The graph is the OFFICIAL MUSIQ forward with the `if not self.training` preprocessing branch
skipped (the training flag of the top module only is set while tracing, every submodule is in
eval mode; all dropout / drop-path rates are 0 anyway). The StdConv weight standardisation (unbiased
std + 1e-5) stays in the graph as the official code computes it. Nothing of pyiqa is copied: the official files are read from a pyiqa
git mirror or checkout (tools/parity/shims_musiq/official_musiq.py).

  /usr/bin/python3 tools/export/musiq.py --ckpt ~/.cache/vbench/pyiqa_model/musiq_spaq_ckpt-358bb6af.pth \
      --out musiq-spaq.onnx [--pyiqa /work/.mirror/chaofengc+IQA-PyTorch/repo] [--tolerance 1e-4]

Before anything is written, the contract wrapper is checked against the official forward (with its
own preprocessing) on a 288x512 frame; a max |diff| above --tolerance (or NaN) exits 1.

(Documented tool; not run by the tests, which use a reduced random-weight model exported by
tools/parity/musiq_imaging_quality_golden.py through `export_contract` below.)
"""
import argparse
import os
import sys

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "parity"))
sys.path.insert(0, os.path.join(HERE, "..", "parity", "shims_musiq"))
import official_musiq as om  # noqa: E402
import parity_common as pc  # noqa: E402

PATCH_DIM = 3 * 32 * 32 + 3


class ContractMUSIQ(nn.Module):
    """`patches` [B, N, 3075] -> `score` [B, 1] through the official MUSIQ forward, preprocessing skipped."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, patches):
        prev = self.net.training
        self.net.training = True  # the official forward then takes the packed tokens as they are
        try:
            return self.net(patches)
        finally:
            self.net.training = prev


def packed_example(seq_len=193 + 96, seed=0):
    """A valid packed token tensor (for tracing): random patches, hash positions, scale ids, masks."""
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(1, seq_len, PATCH_DIM, generator=g) * 2 - 1
    x[0, :, -3] = torch.randint(0, 100, (seq_len,), generator=g).float()
    x[0, :, -2] = torch.randint(0, 3, (seq_len,), generator=g).float()
    x[0, :, -1] = 1.0
    x[0, 40:49, -3:] = 0.0  # a padded run, as at a 224 scale of a wide frame
    x[0, 40:49, :-3] = 0.0
    return x


def export_contract(net, out_path, opset=17):
    """Export `net` (an official MUSIQ) to the contract; returns the file's sha256."""
    net.eval()
    wrapper = ContractMUSIQ(net).eval()
    with torch.no_grad():
        torch.onnx.export(
            wrapper, (packed_example(),), out_path, input_names=["patches"], output_names=["score"],
            dynamic_axes={"patches": {0: "batch", 1: "tokens"}, "score": {0: "batch"}},
            opset_version=opset, do_constant_folding=True)
    import onnx
    model = onnx.load(out_path)
    onnx.checker.check_model(model)
    return pc.sha256_file(out_path)


def contract_diff(musiq, net):
    """max |official forward (its own preprocessing) - contract wrapper on the packed tokens| on a 288x512 frame."""
    net.eval()
    with torch.no_grad():
        x = torch.rand(1, 3, 288, 512, generator=torch.Generator().manual_seed(1))
        net.training = False
        ref = net(x)
        packed = musiq.get_multiscale_patches((x - 0.5) * 2, **net.data_preprocess_opts)
        got = ContractMUSIQ(net)(packed)
    return float((ref - got).abs().max())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", required=True, help="musiq_spaq_ckpt-358bb6af.pth (VBench: {CACHE_DIR}/pyiqa_model/)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--pyiqa", help="chaofengc/IQA-PyTorch git mirror or checkout")
    ap.add_argument("--opset", type=int, default=17)
    ap.add_argument("--tolerance", type=float, default=1e-4, help="largest accepted |contract - official forward| (MOS units)")
    args = ap.parse_args(argv)
    with pc.isolated_imports():
        src = pc.pick_source(args.pyiqa, om.DEFAULT_PYIQA, "pyiqa", "--pyiqa (a git mirror or checkout)")
        musiq = om.load_musiq_arch(src)
        # As vbench/imaging_quality.py builds it: num_class stays 1, weights loaded strictly.
        net = musiq.MUSIQ(pretrained_model_path=args.ckpt)
        diff = contract_diff(musiq, net)
        print(f"contract vs official forward on a 288x512 frame: max |diff| {diff:.3g}", file=sys.stderr)
        if not diff <= args.tolerance:  # NaN fails too
            sys.exit(f"the contract wrapper does not reproduce the official MUSIQ forward (max |diff| {diff:.3g} > {args.tolerance}); nothing written")
        sha = export_contract(net, args.out, opset=args.opset)
    print(f"{sha}  {args.out}")


if __name__ == "__main__":
    main()
