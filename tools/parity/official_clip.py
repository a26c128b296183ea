"""Load the OFFICIAL OpenAI CLIP model code (openai/CLIP clip/model.py) and the OFFICIAL VBench
background_consistency / aesthetic_quality modules (with their real vbench/utils.py and
vbench/distributed.py) from git mirrors or checkouts, and export CLIP image towers and the LAION
aesthetic head to the genbench ONNX contracts (src/runtime/model-specs.ts):

* 'clip-vit-b32-image', 'clip-vit-l14-image': `pixel_values` float32 [batch,3,224,224] ->
  `image_embeds` float32 [batch,D], exactly CLIP.encode_image (VisionTransformer.forward: conv1,
  class/positional embedding, ln_pre, transformer, ln_post on the CLS token, @ proj).
* 'laion-aesthetic-vit-l14': `image_embeds` float32 [batch,D] -> `score` float32 [batch,1], the
  nn.Linear(D, 1) head (the caller L2-normalises the embeddings first, as VBench does).

Nothing of CLIP or VBench is copied into this project: the official files are read at run time
(`git show COMMIT:path` from a bare mirror, or straight from a checkout) and executed.

Stand-ins, only for what Debian's python3 lacks:
* `clip` (the package VBench's modules import at the top): a module whose `load` refuses to run;
  the parity scripts pass the models in directly, as compute_<dim> would after clip.load.
* tqdm: identity iterator (tools/parity/shims/tqdm.py).
* decord: VBench's load_video reads .mp4 with `decord.VideoReader(path, num_threads=1)` and takes
  every frame (RGB uint8). `CV2VideoReader` below reads ALL frames with cv2.VideoCapture (OpenCV
  4.6: FFmpeg + swscale to BGR24) and converts BGR->RGB; load_video then makes the float32
  (T,3,H,W) tensor exactly as with decord. genbench's decoder (src/media/video-decode.ts) is
  byte-identical to OpenCV 4.6 (tests/golden/decode-vs-opencv.json), so these are exactly the
  frames the TypeScript side sees. Whether real decord returns the same bytes is the separate
  decoder question of spec section 0.3.
"""
import hashlib
import importlib
import importlib.util
import os
import subprocess
import sys
import tempfile
import types

import numpy as np
import torch
import torch.nn as nn

VBENCH_COMMIT = "45e79ec14e69a2187202c675d2dbce1a71843d53"
CLIP_COMMIT = "d05afc436d78f1c48dc0dbf8e5980a9d471f35f6"
VBENCH_FILES = ["vbench/background_consistency.py", "vbench/aesthetic_quality.py", "vbench/utils.py",
                "vbench/distributed.py"]
CLIP_FILES = ["clip/model.py"]
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_VBENCH = [os.environ.get("VBENCH_SRC", ""), "/work/.mirror/Vchitect+VBench/repo"]
DEFAULT_CLIP = [os.environ.get("CLIP_SRC", ""), "/work/.mirror/openai+CLIP/repo"]


def _git(args, cwd=None):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True).stdout


def pick(arg, defaults, what):
    for s in [arg, *defaults]:
        if s and os.path.exists(s):
            return s
    sys.exit(f"no {what} source: pass a git mirror or checkout")


def source_commit(source):
    try:
        if os.path.exists(os.path.join(source, ".git")) or not os.path.exists(os.path.join(source, "HEAD")):
            return _git(["rev-parse", "HEAD"], cwd=source).decode().strip()
        return _git(["--git-dir", source, "rev-parse", "HEAD"]).decode().strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None


def materialise(source, files, commit, probe):
    """A directory holding `files` at `commit`: the checkout itself (checked to be at `commit`) or
    a temp dir filled with `git show commit:path` from a bare mirror."""
    if os.path.exists(os.path.join(source, probe)):
        head = source_commit(source)
        if head is not None and head != commit:
            sys.exit(f"{source} is at {head}, not the pinned commit {commit}")
        return source
    out = tempfile.mkdtemp(prefix="official-")
    for rel in files:
        data = _git(["--git-dir", source, "show", f"{commit}:{rel}"])
        os.makedirs(os.path.dirname(os.path.join(out, rel)), exist_ok=True)
        with open(os.path.join(out, rel), "wb") as f:
            f.write(data)
    return out


# ---------------------------------------------------------------- official CLIP model code

def load_clip_model_module(source, commit=CLIP_COMMIT):
    """openai/CLIP clip/model.py as a module (it needs only torch and numpy)."""
    root = materialise(source, CLIP_FILES, commit, "clip/model.py")
    spec = importlib.util.spec_from_file_location("official_clip_model", os.path.join(root, "clip/model.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


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


# ---------------------------------------------------------------- official VBench modules

class _Batch:
    def __init__(self, arr):
        self._arr = arr

    def asnumpy(self):
        return self._arr


class CV2VideoReader:
    """decord.VideoReader stand-in: every frame read with cv2.VideoCapture, BGR->RGB, uint8."""

    def __init__(self, path, width=None, height=None, num_threads=0, ctx=None):
        import cv2
        if width or height:
            raise RuntimeError("the decord stand-in does not resize (VBench's quality dims never ask it to)")
        cap = cv2.VideoCapture(path)
        frames = []
        while cap.isOpened():
            ok, frame = cap.read()
            if not ok:
                break
            frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
        cap.release()
        if not frames:
            raise RuntimeError(f"no frame could be read from {path}")
        self._frames = np.stack(frames)

    def __len__(self):
        return len(self._frames)

    def get_batch(self, indices):
        return _Batch(self._frames[list(indices)])


def _decord_module():
    m = types.ModuleType("decord")
    m.VideoReader = CV2VideoReader
    m.cpu = lambda *a, **k: None
    m.bridge = types.SimpleNamespace(set_bridge=lambda *a, **k: None)
    return m


def _clip_stub():
    m = types.ModuleType("clip")

    def load(*a, **k):
        raise RuntimeError("clip.load is not available here: pass the model in")

    m.load = load
    return m


def load_vbench_modules(source, commit=VBENCH_COMMIT):
    """(vbench.background_consistency, vbench.aesthetic_quality, vbench.utils), official files."""
    root = materialise(source, VBENCH_FILES, commit, "vbench/background_consistency.py")
    sys.path.insert(0, os.path.join(HERE, "shims"))  # tqdm stand-in
    try:
        import tqdm  # noqa: F401
    except ImportError:
        pass
    sys.modules["decord"] = _decord_module()
    sys.modules.setdefault("clip", _clip_stub())
    pkg = types.ModuleType("vbench")
    pkg.__path__ = [os.path.join(root, "vbench")]
    sys.modules["vbench"] = pkg
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
    return sha256_file(path)


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check_input(shape):
    """Deterministic input: value ((i*7919) % 1000)/1000 - 0.5 at flat index i (float64 -> float32)."""
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.int64)
    return torch.from_numpy((((i * 7919) % 1000) / 1000.0 - 0.5).astype(np.float32).reshape(shape))
