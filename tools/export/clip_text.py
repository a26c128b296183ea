#!/usr/bin/python3
"""Export the OpenAI CLIP ViT-L/14 TEXT tower, as GenEval's colour classification runs it, to the genbench
ONNX contract 'clip-vit-l14-text' (src/metrics/clip/spec.ts): `input_ids` int64 [batch, 77] ->
`text_embeds` float32 [batch, 768] = open_clip 2.20.0 CLIP.encode_text(text, normalize=False) (final
LayerNorm at the argmax-id = end-token position, @ text_projection; not normalised). Also writes the
CLIP BPE vocabulary as a tokenizer.json (from open_clip's own bpe_simple_vocab_16e6.txt.gz) and prints
both files' sha256.

The model is built by the OFFICIAL open_clip 2.20.0 code read from a git mirror or checkout
(tools/parity/official_open_clip.py): the checkpoint is opened as open_clip's load_openai_model does
(torch.jit.load of the TorchScript archive, falling back to a plain state dict), then
build_model_from_openai_state_dict(state_dict, quick_gelu=True, cast_dtype=None) and .float(), i.e.
create_model_and_transforms("ViT-L-14", pretrained="openai", precision="fp32"). GenEval's CUDA run
additionally wraps the text tower in fp16 autocast, which an fp32 export does not emulate.

The checkpoint (890 MB; the image tower in it is exported by tools/export/clip_image.py):
  https://openaipublic.azureedge.net/clip/models/b8cca3fd41ae0c99ba7e8951adf17d267cdb84cd88be6f7c2e0eca1737a03836/ViT-L-14.pt

  /usr/bin/python3 tools/export/clip_text.py --checkpoint ViT-L-14.pt --out-dir DIR [--open-clip M]
      [--pydeps DIR] [--opset 17]

Writes DIR/clip-vit-l14-text.onnx and DIR/clip-vit-l14-tokenizer.json. The check: torch vs the exported
graph (onnxruntime, when installed) on the GenEval colour prompts of a few classes, |diff| <= 1e-4,
and the tokenizer.json against open_clip's encoder (every id). Then
`genbench models import clip-vit-l14-text DIR/clip-vit-l14-text.onnx`.
"""
import argparse
import json
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "parity"))
import official_open_clip as ooc  # noqa: E402
import parity_common as pc  # noqa: E402


def load_openai(model_mod, path):
    state_dict = pc.openai_clip_state_dict(path)
    model = model_mod.build_model_from_openai_state_dict(state_dict, quick_gelu=True, cast_dtype=None)
    return model.float().eval()


def check(model, onnx_path, tokenize):
    texts = [t.format(c=c, obj=o) for o in ("fire hydrant", "cup", "teddy bear")
             for c in ("red", "blue", "white") for t in ("a photo of a {c} {obj}", "a photo of a {c}-colored {obj}", "a photo of a {c} object")]
    ids = tokenize(texts)
    with torch.no_grad():
        ref = model.encode_text(ids).numpy()
    try:
        import onnxruntime as ort
    except ImportError:
        print("onnxruntime is not installed: ONNX check skipped (run the check elsewhere)", file=sys.stderr)
        return None
    got = ort.InferenceSession(onnx_path, providers=["CPUExecutionProvider"]).run(None, {"input_ids": ids.numpy()})[0]
    diff = float(abs(got - ref).max())
    print(f"torch vs onnxruntime: max |diff| {diff:.3g}", file=sys.stderr)
    if not diff <= 1e-4:  # NaN fails too
        sys.exit("the exported graph does not match the torch model")
    return diff


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkpoint", required=True, help="ViT-L-14.pt (OpenAI)")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--open-clip")
    ap.add_argument("--pydeps", help="folder holding an unpacked ftfy wheel (for open_clip's tokenizer)")
    ap.add_argument("--opset", type=int, default=17)
    a = ap.parse_args(argv)
    with pc.isolated_imports():
        src = ooc.pick_open_clip(a.open_clip)
        model_mod, _ = ooc.load_model_modules(src)
        tok_mod = ooc.load_tokenizer_module(src, a.pydeps)
        model = load_openai(model_mod, a.checkpoint)
        assert model.text_projection.shape == (768, 768) and model.context_length == 77 and model.vocab_size == 49408
        os.makedirs(a.out_dir, exist_ok=True)
        onnx_path = os.path.join(a.out_dir, "clip-vit-l14-text.onnx")
        sha = ooc.export_text_tower(model, onnx_path, opset=a.opset)
        check(model, onnx_path, tok_mod.tokenize)
        vocab, merges = ooc.full_vocab(tok_mod)
        assert len(vocab) == 49408 and len(merges) == 48894
        tok_path = os.path.join(a.out_dir, "clip-vit-l14-tokenizer.json")
        with open(tok_path, "w") as f:
            json.dump(ooc.tokenizer_json(vocab, merges), f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        print(f"{onnx_path}: sha256 {sha}")
        print(f"{tok_path}: sha256 {pc.sha256_file(tok_path)}")


if __name__ == "__main__":
    main()
