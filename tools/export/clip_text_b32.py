#!/usr/bin/python3
"""Export the OpenAI CLIP ViT-B/32 TEXT tower, as VBench appearance_style runs it, to the genbench ONNX
contract 'clip-vit-b32-text': `input_ids` int64 [batch, 77] -> `text_embeds` float32 [batch, 512] =
openai/CLIP CLIP.encode_text (final LayerNorm at the argmax-id = end-token position, @ text_projection;
not normalised) and `logit_scale` float32 [] = exp(CLIP.logit_scale), the factor CLIP.forward puts on the
cosine similarity (the released ViT-B/32 stores ln 100, so about 100). Also writes the CLIP BPE vocabulary
as a tokenizer.json (from openai/CLIP's own bpe_simple_vocab_16e6.txt.gz) and prints both files' sha256.
The image tower of the same checkpoint is exported by tools/export/clip_image.py ('clip-vit-b32-image').

The model is built by the OFFICIAL openai/CLIP code (pinned commit, read from a git mirror or checkout:
tools/parity/official_clip.py) the way VBench's `clip.load(name, device="cpu")` builds it with jit=False:
torch.jit.load of the TorchScript archive (a plain state dict as fallback), `build_model(state_dict)` (which
makes the conv/linear/attention weights and the projections fp16), then `.float()`. The export is therefore
the fp32 (CPU) path; VBench's CUDA run keeps those weights in fp16 and its logits are fp16 (genbench's
appearance_style emulates that rounding by default; see its fp32 setting for CPU-made references).

The checkpoint (338 MB), the file VBench's init_submodules fetches into <cache>/clip_model/:
  https://openaipublic.azureedge.net/clip/models/40d365715913c9da98579312b702a82c18be219cc2a73407c4526f58eba950af/ViT-B-32.pt

  /usr/bin/python3 tools/export/clip_text_b32.py --checkpoint ViT-B-32.pt --out-dir DIR [--clip M] [--vbench M]
      [--pydeps DIR] [--opset 17]

Writes DIR/clip-vit-b32-text.onnx and DIR/clip-vit-b32-tokenizer.json. The checks: the contract wrapper vs
the official CLIP.forward (logits_per_text / logit_scale of the wrapper's outputs = the official cosine) and
onnxruntime-node (tools/parity/ort-run.ts) vs torch on VBench's nine appearance_style phrases (read from the
pinned VBench_full_info.json), |diff| <= 1e-4 (text_embeds) and 1e-5 (logit_scale); the tokenizer.json
against the official tokenizer's encoder and merges. Then
`genbench models import clip-vit-b32-text DIR/clip-vit-b32-text.onnx --with clip-vit-b32-tokenizer.json=DIR/clip-vit-b32-tokenizer.json`
(the registry names the companion as this script writes it: src/metrics/clip/spec.ts CLIP_VIT_B32_TEXT).
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "parity"))
import official_clip as oc  # noqa: E402
import official_open_clip as ooc  # noqa: E402
import parity_common as pc  # noqa: E402


def load_clip(clip, path):
    """clip.load(path, device="cpu", jit=False), without the image transform."""
    model = clip.model.build_model(pc.openai_clip_state_dict(path))
    model.float()
    return model.eval()


def style_phrases(vbench_source):
    """The distinct appearance_style phrases of the pinned VBench_full_info.json, in order of first appearance."""
    root = pc.materialise(vbench_source, ["vbench/VBench_full_info.json"], pc.VBENCH_COMMIT, "vbench/__init__.py",
                          what="VBench ")
    with open(os.path.join(root, "vbench", "VBench_full_info.json")) as f:
        info = json.load(f)
    out = []
    for e in info:
        if "appearance_style" in e["dimension"]:
            s = e["auxiliary_info"]["appearance_style"]["appearance_style"]
            if s not in out:
                out.append(s)
    return out


def check(clip, model, onnx_path, texts):
    ids = clip.tokenize(texts).long()
    with torch.no_grad():
        ref = model.encode_text(ids).float()
        embeds, scale = oc.ContractTextTower(model)(ids)
        image = torch.randn(1, 3, 224, 224, generator=torch.Generator().manual_seed(0))
        _, logits_per_text = model(image, ids)
        img = model.encode_image(image).float()
    img = img / img.norm(dim=1, keepdim=True)
    cos = (embeds / embeds.norm(dim=1, keepdim=True)) @ img.t()
    d_forward = float((cos * scale - logits_per_text.float()).abs().max())
    d_wrap = float((embeds - ref).abs().max())
    print(f"  contract vs official: encode_text max |diff| {d_wrap:.3g}; logits_per_text max |diff| {d_forward:.3g}; "
          f"logit_scale {float(scale)!r}", file=sys.stderr)
    if not (d_wrap <= 1e-6 and d_forward <= 1e-3):
        sys.exit("the contract wrapper does not reproduce the official CLIP text side")
    got = pc.ort_run_node(onnx_path, {"input_ids": ids.numpy()})
    d_emb = float(np.abs(got["text_embeds"] - ref.numpy()).max())
    d_scale = abs(float(got["logit_scale"]) - float(scale))
    print(f"  torch vs onnxruntime-node: text_embeds max |diff| {d_emb:.3g}, logit_scale |diff| {d_scale:.3g}", file=sys.stderr)
    if not (d_emb <= 1e-4 and d_scale <= 1e-5):  # NaN fails too
        sys.exit("the exported graph does not match the torch model")


def tokenizer_file(clip, path):
    tok = clip.simple_tokenizer.SimpleTokenizer()
    vocab = dict(tok.encoder)
    merges = [m for m, _ in sorted(tok.bpe_ranks.items(), key=lambda kv: kv[1])]
    assert len(vocab) == 49408 and len(merges) == 48894
    assert vocab["<|startoftext|>"] == ooc.SOT and vocab["<|endoftext|>"] == ooc.EOT
    with open(path, "w") as f:
        json.dump(ooc.tokenizer_json(vocab, merges), f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True, help="ViT-B-32.pt (OpenAI)")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--clip", help="openai/CLIP git mirror or checkout (pinned %s)" % oc.CLIP_COMMIT[:7])
    ap.add_argument("--vbench", help="VBench git mirror or checkout (pinned %s), for the check phrases" % pc.VBENCH_COMMIT[:7])
    ap.add_argument("--pydeps", help="folder holding an unpacked ftfy wheel (CLIP's tokenizer imports ftfy)")
    ap.add_argument("--opset", type=int, default=17)
    a = ap.parse_args(argv)
    with pc.isolated_imports():
        clip, _ = oc.load_clip_package(pc.pick_source(a.clip, oc.DEFAULT_CLIP, "CLIP"), a.pydeps)
        texts = style_phrases(pc.pick_vbench(a.vbench))
        model = load_clip(clip, a.checkpoint)
        print(f"clip-vit-b32-text: {a.checkpoint} (context {model.context_length}, vocabulary {model.vocab_size}, "
              f"width {model.transformer.width}, embedding {model.text_projection.shape[1]})", file=sys.stderr)
        if model.context_length != 77 or model.vocab_size != 49408:
            sys.exit("not an OpenAI CLIP text tower (context 77, vocabulary 49408)")
        os.makedirs(a.out_dir, exist_ok=True)
        onnx_path = os.path.join(a.out_dir, "clip-vit-b32-text.onnx")
        sha = oc.export_text_tower(model, onnx_path, opset=a.opset)
        check(clip, model, onnx_path, texts)
        tok_path = os.path.join(a.out_dir, "clip-vit-b32-tokenizer.json")
        tokenizer_file(clip, tok_path)
        print(f"{sha}  {onnx_path}")
        print(f"{pc.sha256_file(tok_path)}  {tok_path}")


if __name__ == "__main__":
    main()
