"""Load the OFFICIAL OpenAI CLIP model code (openai/CLIP clip/model.py) and the OFFICIAL VBench
background_consistency / aesthetic_quality modules (with their real vbench/utils.py and
vbench/distributed.py) from git mirrors or checkouts, and export CLIP image towers and the LAION
aesthetic head to the genbench ONNX contracts (src/metrics/clip/spec.ts, src/metrics/aesthetic/spec.ts):

* 'clip-vit-b32-image', 'clip-vit-l14-image': `pixel_values` float32 [batch,3,224,224] ->
  `image_embeds` float32 [batch,D], exactly CLIP.encode_image (VisionTransformer.forward: conv1,
  class/positional embedding, ln_pre, transformer, ln_post on the CLS token, @ proj).
* 'laion-aesthetic-vit-l14': `image_embeds` float32 [batch,D] -> `score` float32 [batch,1], the
  nn.Linear(D, 1) head (the caller L2-normalises the embeddings first, as VBench does).

`load_clip_package` loads the whole official `clip` package (clip.load, clip.tokenize, build_model)
for the scripts that run a VBench compute_<dim> unmodified (tools/parity/appearance_style_golden.py),
and `export_text_tower` writes the 'clip-vit-b32-text' contract: `input_ids` int64 [batch,77] ->
`text_embeds` float32 [batch,D] (CLIP.encode_text) and `logit_scale` float32 [] (exp of the parameter).

Nothing of CLIP or VBench is copied into this project: the official files are read at run time
(`git show COMMIT:path` from a bare mirror, or straight from a checkout) and executed.

Stand-ins, only for what Debian's python3 lacks:
* `clip` (the package VBench's modules import at the top): a module whose `load` refuses to run;
  the parity scripts pass the models in directly, as compute_<dim> would after clip.load.
* tqdm: identity iterator (tools/parity/shims/tqdm.py).
* decord: VBench's load_video reads .mp4 with `decord.VideoReader(path, num_threads=1)` and takes
  every frame (RGB uint8). `parity_common.CV2VideoReader` reads ALL frames with cv2.VideoCapture (OpenCV
  4.6: FFmpeg + swscale to BGR24) and converts BGR->RGB; load_video then makes the float32
  (T,3,H,W) tensor exactly as with decord. genbench's decoder (src/media/video-decode.ts) is
  byte-identical to OpenCV 4.6 (tests/golden/decode-vs-opencv.json), so these are exactly the
  frames the TypeScript side sees. Whether real decord returns the same bytes is the separate
  decoder question of spec section 0.3.
"""
import importlib
import importlib.util
import os
import sys
import types

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parity_common as pc  # noqa: E402

VBENCH_COMMIT = pc.VBENCH_COMMIT
CLIP_COMMIT = "d05afc436d78f1c48dc0dbf8e5980a9d471f35f6"
VBENCH_FILES = ["vbench/background_consistency.py", "vbench/aesthetic_quality.py", "vbench/utils.py",
                "vbench/distributed.py"]
CLIP_FILES = ["clip/model.py"]
DEFAULT_VBENCH = pc.DEFAULT_VBENCH
DEFAULT_CLIP = [os.environ.get("CLIP_SRC", ""), "/work/.mirror/openai+CLIP/repo"]


# ---------------------------------------------------------------- official CLIP model code

def load_clip_model_module(source, commit=CLIP_COMMIT):
    """openai/CLIP clip/model.py as a module (it needs only torch and numpy)."""
    root = pc.materialise(source, CLIP_FILES, commit, "clip/model.py")
    return pc.load_file("official_clip_model", os.path.join(root, "clip/model.py"))


def image_encoder(model_mod, visual):
    """An object with the official CLIP.encode_image (`self.visual(image.type(self.dtype))`, the
    dtype being conv1's) and .eval(), holding only the image tower: the official functions are
    bound to a module that has just `visual`."""

    class ImageTower(nn.Module):
        dtype = model_mod.CLIP.dtype
        encode_image = model_mod.CLIP.encode_image

        def __init__(self, v):
            super().__init__()
            self.visual = v

    return ImageTower(visual)


CLIP_PACKAGE_FILES = ["clip/__init__.py", "clip/clip.py", "clip/model.py", "clip/simple_tokenizer.py",
                      "clip/bpe_simple_vocab_16e6.txt.gz"]
DEFAULT_PYDEPS = [os.environ.get("PARITY_PYDEPS", ""), os.path.join(pc.ROOT, ".scratch", "clip", "pydeps")]


def _ascii_ftfy():
    """ftfy stand-in for texts that ftfy.fix_text returns unchanged: printable ASCII without '&'
    (no HTML entity to unescape, no control character, no mojibake, NFC-invariant); anything else
    is refused, so the stand-in can never silently differ from ftfy."""
    m = types.ModuleType("ftfy")

    def fix_text(text, *a, **k):
        if not all(0x20 <= ord(c) < 0x7F for c in text) or "&" in text:
            raise RuntimeError(f"the ftfy stand-in only takes printable ASCII without '&': {text!r}; pass --pydeps")
        return text

    m.fix_text = fix_text
    m.STAND_IN = True
    return m


def use_ftfy(pydeps=None):
    """Import the real ftfy (from the first existing pydeps folder: an unpacked ftfy wheel) or
    install the ASCII stand-in; returns 'ftfy X.Y.Z' or 'ascii stand-in'."""
    for d in [pydeps, *DEFAULT_PYDEPS]:
        if d and os.path.isdir(d) and d not in sys.path:
            sys.path.insert(0, d)
            break
    try:
        import ftfy
        return f"ftfy {getattr(ftfy, '__version__', '?')}"
    except ImportError:
        sys.modules["ftfy"] = _ascii_ftfy()
        return "ascii stand-in (tools/parity/official_clip.py _ascii_ftfy)"


def load_clip_package(source, pydeps=None, commit=CLIP_COMMIT):
    """The OFFICIAL openai/CLIP package as `clip` (its __init__.py runs: clip.load, clip.tokenize,
    clip.model.build_model...), files read from the mirror/checkout at `commit`. Needs regex (Debian
    python3-regex), packaging, torchvision; tqdm and ftfy come from the stand-ins when missing
    (`use_ftfy`). Returns (clip module, ftfy note)."""
    root = pc.materialise(source, CLIP_PACKAGE_FILES, commit, "clip/clip.py", prefix="clip-official-", what="CLIP ")
    pc.ensure_tqdm()
    note = use_ftfy(pydeps)
    spec = importlib.util.spec_from_file_location("clip", os.path.join(root, "clip", "__init__.py"),
                                                  submodule_search_locations=[os.path.join(root, "clip")])
    mod = importlib.util.module_from_spec(spec)
    sys.modules["clip"] = mod
    spec.loader.exec_module(mod)
    return mod, note


# ---------------------------------------------------------------- official VBench modules

def _clip_stub():
    m = types.ModuleType("clip")

    def load(*a, **k):
        raise RuntimeError("clip.load is not available here: pass the model in")

    m.load = load
    return m


def load_vbench_modules(source, commit=VBENCH_COMMIT):
    """(vbench.background_consistency, vbench.aesthetic_quality, vbench.utils), official files."""
    root = pc.materialise(source, VBENCH_FILES, commit, "vbench/background_consistency.py")
    # tqdm and decord stand-ins; the real vbench/distributed.py is used.
    pc.install_vbench(root, stub_distributed=False)
    sys.modules.setdefault("clip", _clip_stub())
    bc = importlib.import_module("vbench.background_consistency")
    aq = importlib.import_module("vbench.aesthetic_quality")
    return bc, aq, importlib.import_module("vbench.utils")


# ---------------------------------------------------------------- ONNX contracts

class ContractImageTower(nn.Module):
    """pixel_values -> image_embeds: the official encode_image of a CLIP image tower (fp32)."""

    def __init__(self, tower):
        super().__init__()
        self.tower = tower

    def forward(self, pixel_values):
        return self.tower.encode_image(pixel_values).to(torch.float32)


def export_image_tower(tower, out_path, opset=17, sample_batch=3):
    """Export to `pixel_values` [batch,3,R,R] -> `image_embeds` [batch,D], dynamic batch."""
    r = int(tower.visual.input_resolution)
    wrapper = ContractImageTower(tower).eval()
    sample = torch.zeros(sample_batch, 3, r, r)
    with torch.no_grad():
        torch.onnx.export(wrapper, (sample,), out_path, input_names=["pixel_values"], output_names=["image_embeds"],
                          dynamic_axes={"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}},
                          opset_version=opset, do_constant_folding=True)
    return _checked_sha(out_path)


def export_linear_head(head, out_path, opset=17):
    """Export nn.Linear(D, 1) to `image_embeds` [batch,D] -> `score` [batch,1], dynamic batch."""
    head = head.eval()
    sample = torch.zeros(3, head.in_features)
    with torch.no_grad():
        torch.onnx.export(head, (sample,), out_path, input_names=["image_embeds"], output_names=["score"],
                          dynamic_axes={"image_embeds": {0: "batch"}, "score": {0: "batch"}},
                          opset_version=opset, do_constant_folding=True)
    return _checked_sha(out_path)


def _checked_sha(path):
    import onnx
    onnx.checker.check_model(onnx.load(path))
    return pc.sha256_file(path)



class ContractTextTower(nn.Module):
    """input_ids -> (text_embeds, logit_scale): the official CLIP.encode_text of openai/CLIP
    clip/model.py (token + positional embedding, causal transformer, ln_final, the row at
    argmax(input_ids) = the end token, @ text_projection; not normalised) and exp(CLIP.logit_scale),
    the factor CLIP.forward puts on the cosine similarities (fp32)."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids):
        return self.model.encode_text(input_ids).to(torch.float32), self.model.logit_scale.exp().to(torch.float32)


def export_text_tower(model, out_path, opset=17, sample_batch=3):
    """Export an openai/CLIP model's text side to `input_ids` int64 [batch,C] -> `text_embeds`
    float32 [batch,D], `logit_scale` float32 [] (C = model.context_length, dynamic batch)."""
    wrapper = ContractTextTower(model).eval()
    sample = torch.zeros(sample_batch, model.context_length, dtype=torch.long)
    sample[:, 0] = 49406
    sample[:, 1:4] = torch.tensor([320, 1125, 539])
    sample[:, 4] = 49407
    with torch.no_grad():
        torch.onnx.export(wrapper, (sample,), out_path, input_names=["input_ids"], output_names=["text_embeds", "logit_scale"],
                          dynamic_axes={"input_ids": {0: "batch"}, "text_embeds": {0: "batch"}},
                          opset_version=opset, do_constant_folding=True)
    return _checked_sha(out_path)
