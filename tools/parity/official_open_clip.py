"""Load the OFFICIAL open_clip 2.20.0 code (the version GenEval pins) from a git mirror or checkout,
without installing it and without running its __init__.py (which pulls in the model factory, the
pretrained-weights hub and optional packages):

* `load_tokenizer_module(source)`: src/open_clip/tokenizer.py (SimpleTokenizer, `tokenize`) with
  its bpe_simple_vocab_16e6.txt.gz next to it. It imports `ftfy` and `regex`: Debian packages
  python3-regex (apt-get install python3-regex python3-wcwidth) but not ftfy, so pass the folder
  of an unpacked ftfy wheel with --pydeps (or $PARITY_PYDEPS): `python3 -m zipfile -e
  ftfy-6.3.1-py3-none-any.whl DIR`.
* `load_model_modules(source)`: src/open_clip/{model,transformer,utils,...}.py as the package
  `open_clip` (CLIP, CLIPVisionCfg, CLIPTextCfg, build_model_from_openai_state_dict), and
  transform.py (image_transform) — torch / torchvision only (timm and transformers are optional
  imports there and are absent here).
* `tokenizer_json(...)`: a Hugging Face `tokenizer.json` (BPE model, the CLIP layout: byte-level
  symbols, end-of-word suffix `</w>`) holding a vocabulary and merge list. genbench reads only its
  `model` section (vocab, merges, end_of_word_suffix) through @huggingface/tokenizers' BPE; the
  text cleaning, pre-tokenisation and special tokens are done by src/metrics/clip/clip-tokenizer.ts
  as open_clip does them.

Nothing of open_clip is copied into this project: the files are read at run time.
"""
import gzip
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parity_common as pc  # noqa: E402

OPEN_CLIP_TAG = "v2.20.0"
OPEN_CLIP_COMMIT = "a09d519f91358187d73debacfc2db5f154291d40"
DEFAULT_OPEN_CLIP = [os.environ.get("OPEN_CLIP_SRC", ""), "/work/.mirror/mlfoundations+open_clip/repo"]
DEFAULT_PYDEPS = [os.environ.get("PARITY_PYDEPS", ""), os.path.join(pc.ROOT, ".scratch", "clip", "pydeps")]
PKG = "src/open_clip/"
TOKENIZER_FILES = [PKG + "tokenizer.py", PKG + "bpe_simple_vocab_16e6.txt.gz"]
MODEL_FILES = [PKG + f for f in ("model.py", "transformer.py", "utils.py", "hf_model.py", "hf_configs.py",
                                  "modified_resnet.py", "timm_model.py", "transform.py", "constants.py")]
SOT, EOT = 49406, 49407


def pick_open_clip(arg):
    return pc.pick_source(arg, DEFAULT_OPEN_CLIP, "open_clip", "--open-clip (a git mirror or checkout of mlfoundations/open_clip)")


def use_pydeps(arg=None):
    """Put the first existing pydeps folder (unpacked ftfy wheel) on sys.path."""
    for d in [arg, *DEFAULT_PYDEPS]:
        if d and os.path.isdir(d):
            sys.path.insert(0, d)
            return d
    return None


def _root(source):
    return pc.materialise(source, TOKENIZER_FILES + MODEL_FILES, OPEN_CLIP_COMMIT, PKG + "tokenizer.py",
                          prefix="open-clip-official-", what="open_clip ")


def load_tokenizer_module(source, pydeps=None):
    use_pydeps(pydeps)
    try:
        import ftfy  # noqa: F401
        import regex  # noqa: F401
    except ImportError as e:
        sys.exit(f"open_clip's tokenizer needs ftfy and regex ({e}): apt-get install python3-regex python3-wcwidth, "
                 "and pass --pydeps DIR holding an unpacked ftfy wheel")
    root = _root(source)
    return pc.load_file("official_open_clip_tokenizer", os.path.join(root, PKG, "tokenizer.py"))


def load_model_modules(source):
    """(model module, transform module) of open_clip 2.20.0, loaded as the package `open_clip`."""
    root = _root(source)
    pc.package("open_clip", os.path.join(root, PKG))
    import importlib
    return importlib.import_module("open_clip.model"), importlib.import_module("open_clip.transform")


def bpe_merges(source):
    """The merge list SimpleTokenizer uses (lines 1 .. 48894 of the gzipped vocabulary file), as tuples."""
    root = _root(source)
    with gzip.open(os.path.join(root, PKG, "bpe_simple_vocab_16e6.txt.gz")) as f:
        lines = f.read().decode("utf-8").split("\n")
    return [tuple(m.split()) for m in lines[1:49152 - 256 - 2 + 1]]


def tokenizer_json(vocab, merges):
    """A Hugging Face tokenizer.json (CLIP layout) with `vocab` {token: id} and `merges` [(a, b)] in rank order.
    Normalizer / pre-tokenizer / post-processor are the HF CLIP ones; genbench uses only the model section."""
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": SOT, "content": "<|startoftext|>", "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": True, "special": True},
            {"id": EOT, "content": "<|endoftext|>", "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True},
        ],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": " "}, {"type": "Lowercase"}]},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+"},
             "behavior": "Removed", "invert": True},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}]},
        "post_processor": {"type": "RobertaProcessing", "sep": ["<|endoftext|>", EOT], "cls": ["<|startoftext|>", SOT],
                           "trim_offsets": False, "add_prefix_space": False},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<|endoftext|>", "continuing_subword_prefix": "",
                  "end_of_word_suffix": "</w>", "fuse_unk": False, "byte_fallback": False,
                  "vocab": vocab, "merges": [" ".join(m) for m in merges]},
    }


def full_vocab(tok_mod):
    """SimpleTokenizer's encoder with the HF names of the two special tokens (same ids)."""
    t = tok_mod.SimpleTokenizer()
    enc = dict(t.encoder)
    enc["<|startoftext|>"] = enc.pop("<start_of_text>")
    enc["<|endoftext|>"] = enc.pop("<end_of_text>")
    return enc, [m for m, _ in sorted(t.bpe_ranks.items(), key=lambda kv: kv[1])]


# ---------------------------------------------------------------- text tower ONNX contract

def contract_text_tower(model):
    """nn.Module `input_ids` int64 [batch, 77] -> `text_embeds` float32 [batch, D]: exactly
    open_clip's CLIP.encode_text(text, normalize=False) (token + positional embedding, causal
    transformer, ln_final, the row at argmax(input_ids) = the end token, @ text_projection)."""
    import torch

    class ContractTextTower(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids):
            return self.m.encode_text(input_ids).to(torch.float32)

    return ContractTextTower(model).eval()


def export_text_tower(model, out_path, opset=17, sample_batch=3):
    """Export to the 'clip-vit-l14-text' contract (dynamic batch); returns the file's sha256."""
    import onnx
    import torch
    wrapper = contract_text_tower(model)
    sample = torch.zeros(sample_batch, model.context_length, dtype=torch.long)
    sample[:, 0] = SOT
    sample[:, 1:4] = torch.tensor([320, 1125, 539])
    sample[:, 4] = EOT
    with torch.no_grad():
        torch.onnx.export(wrapper, (sample,), out_path, input_names=["input_ids"], output_names=["text_embeds"],
                          dynamic_axes={"input_ids": {0: "batch"}, "text_embeds": {0: "batch"}},
                          opset_version=opset, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(out_path))
    return pc.sha256_file(out_path)
