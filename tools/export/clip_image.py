#!/usr/bin/python3
"""Export the FULL official models of VBench background_consistency and aesthetic_quality to the
genbench ONNX contracts (src/metrics/clip/spec.ts, src/metrics/aesthetic/spec.ts) and print each file's
sha256:

* 'clip-vit-b32-image' from ViT-B-32.pt, 'clip-vit-l14-image' from ViT-L-14.pt (the OpenAI CLIP
  checkpoints clip.load downloads; URLs in spec sections 2.1 and 6.1): `pixel_values` float32
  [batch,3,224,224] -> `image_embeds` float32 [batch,512 | 768], exactly CLIP.encode_image.
* 'laion-aesthetic-vit-l14' from sa_0_4_vit_l_14_linear.pth: `image_embeds` float32 [batch,768]
  -> `score` float32 [batch,1] (genbench L2-normalises the embeddings first, as VBench does).

The models are built by the OFFICIAL code, read from git mirrors/checkouts at the pinned commits
(tools/parity/official_clip.py): a checkpoint is opened the way openai/CLIP clip.load does with
jit=False (torch.jit.load of the TorchScript archive, falling back to a plain torch.load state
dict), then clip/model.py build_model (which converts the weights to fp16), then model.float() as
clip.load does on a CPU. The export is therefore the fp32 (CPU) path of the official code; the
official benchmark runs CLIP in fp16 on CUDA (spec section 2.1), which this export does not emulate.
The LAION head is loaded by the OFFICIAL vbench/aesthetic_quality.py get_aesthetic_model.
The same export code made the tiny test fixtures (tools/parity/clip_consistency_aesthetic_golden.py).

  /usr/bin/python3 tools/export/clip_image.py --b32 ViT-B-32.pt --l14 ViT-L-14.pt \
      --laion sa_0_4_vit_l_14_linear.pth --out-dir DIR [--vbench PATH] [--clip PATH] [--opset 17]

Writes DIR/clip-vit-b32-image.onnx, DIR/clip-vit-l14-image.onnx, DIR/laion-aesthetic-vit-l14.onnx
(any subset, by the arguments given). Documented for deployments; not run by the tests (the
checkpoints are 338 MB, 890 MB and 3 kB).
"""
import argparse
import os
import shutil
import sys
import tempfile

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "parity"))
import official_clip as oc  # noqa: E402
import parity_common as pc  # noqa: E402


def load_clip(model_mod, path):
    """clip.load(path, device="cpu", jit=False), image side: build_model on the checkpoint's
    state dict, then .float()."""
    model = model_mod.build_model(pc.openai_clip_state_dict(path))
    model.float()
    return model.eval()


def check_tower(model, expected_dim):
    with torch.no_grad():
        for seed in (0, 1):
            x = torch.randn(2, 3, 224, 224, generator=torch.Generator().manual_seed(seed))
            ref = model.encode_image(x)
            got = oc.ContractImageTower(model)(x)
            if tuple(ref.shape) != (2, expected_dim):
                sys.exit(f"unexpected embedding shape {tuple(ref.shape)}")
            diff = float((ref - got).abs().max())
            print(f"  contract vs official encode_image, seed {seed}: max |diff| {diff:.3g}", file=sys.stderr)
            if not diff <= 1e-5:  # NaN fails too
                sys.exit("the contract wrapper does not reproduce the official encode_image")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--b32", help="ViT-B-32.pt")
    ap.add_argument("--l14", help="ViT-L-14.pt")
    ap.add_argument("--laion", help="sa_0_4_vit_l_14_linear.pth")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--vbench", help="VBench git mirror or checkout (pinned %s)" % oc.VBENCH_COMMIT[:7])
    ap.add_argument("--clip", help="openai/CLIP git mirror or checkout (pinned %s)" % oc.CLIP_COMMIT[:7])
    ap.add_argument("--opset", type=int, default=17)
    args = ap.parse_args(argv)
    with pc.isolated_imports():
        if not (args.b32 or args.l14 or args.laion):
            ap.error("nothing to export: give --b32, --l14 and/or --laion")
        os.makedirs(args.out_dir, exist_ok=True)

        if args.b32 or args.l14:
            model_mod = oc.load_clip_model_module(pc.pick_source(args.clip, oc.DEFAULT_CLIP, "CLIP"))
            for ckpt, contract, dim in ((args.b32, "clip-vit-b32-image", 512), (args.l14, "clip-vit-l14-image", 768)):
                if not ckpt:
                    continue
                print(f"{contract}: {ckpt}", file=sys.stderr)
                model = load_clip(model_mod, ckpt)
                check_tower(model, dim)
                out = os.path.join(args.out_dir, f"{contract}.onnx")
                sha = oc.export_image_tower(model, out, opset=args.opset)
                print(f"{sha}  {out}")
                del model

        if args.laion:
            _, aq, _ = oc.load_vbench_modules(pc.pick_source(args.vbench, oc.DEFAULT_VBENCH, "VBench"))
            folder = tempfile.mkdtemp(prefix="laion-")
            try:
                # get_aesthetic_model(cache_folder) loads <cache_folder>/sa_0_4_vit_l_14_linear.pth
                shutil.copyfile(args.laion, os.path.join(folder, "sa_0_4_vit_l_14_linear.pth"))
                head = aq.get_aesthetic_model(folder)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
            out = os.path.join(args.out_dir, "laion-aesthetic-vit-l14.onnx")
            sha = oc.export_linear_head(head, out, opset=args.opset)
            print(f"{sha}  {out}")


if __name__ == "__main__":
    main()
