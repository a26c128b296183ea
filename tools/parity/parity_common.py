"""Helpers shared by the parity scripts (tools/parity/*.py, tools/parity/shims_musiq/, tools/export/).

One version of each piece that the official-code loaders and the golden scripts need:

* reading the official sources: `git`, `pick_source` (the first existing source among an argument
  and its defaults), `source_commit` (HEAD of a checkout or of a bare mirror), `extract_files`
  (`git show REV:path` from a bare mirror into a temp dir, removed when the process exits or when
  the `isolated_imports` block that made it ends) and `materialise` (a checkout, checked to be at
  the pinned commit, or the extracted files);
* `isolated_imports`: a block after which sys.modules and sys.path are as before it, minus what the
  block loaded from official sources or stand-ins (the exporters run in one, so that several can
  run in one process: their `vbench`, `utils`, `decord`... stand-ins would collide otherwise);
* loading them without installing anything: `load_file` (a .py file as a named module),
  `package` (a namespace-like package object, so that no official __init__.py runs),
  `install_vbench` (the `vbench` package of a VBench tree with the stand-ins below);
* stand-ins for what Debian's python3 lacks:
  - tqdm: `ensure_tqdm` (tools/parity/shims/tqdm.py, an identity iterator, when tqdm is missing;
    `use_shims` puts the whole tools/parity/shims/ folder, tqdm and the refusing decord, on
    sys.path);
  - decord: `CV2VideoReader` / `decord_module` (frames read with cv2.VideoCapture, see below);
  - vbench.distributed: `distributed_module` (the single-process path, world size 1, rank 0);
* small utilities: `sha256_file`, `check_input` (the deterministic model-check input), `Recorder`,
  `make_sample_videos`, `make_test_images`, `write_json`.

The decord stand-in: VBench's load_video reads .mp4 with `decord.VideoReader(path, num_threads=1)`
and takes `get_batch(range(len(vr))).asnumpy()` (RGB uint8). decord is not packaged by Debian, so
`CV2VideoReader` reads the frames with cv2.VideoCapture (OpenCV 4.6: FFmpeg + swscale to BGR24) and
converts BGR->RGB; all of them, or only the first `limit`. genbench's decoder
(src/media/video-decode.ts) is byte-identical to OpenCV 4.6 (tests/golden/decode-vs-opencv.json),
so these are exactly the frames the TypeScript side sees. Whether real decord (an avfilter `scale`
graph to rgb24) returns the very same bytes is the separate decoder question of spec section 0.3.
"""
import atexit
import contextlib
import hashlib
import importlib.util
import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import tempfile
import types

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SHIMS = os.path.join(HERE, "shims")

# The pinned VBench commit every parity script runs, and where its source is looked for.
VBENCH_COMMIT = "45e79ec14e69a2187202c675d2dbce1a71843d53"
DEFAULT_VBENCH = [os.environ.get("VBENCH_SRC", ""), "/work/.mirror/Vchitect+VBench/repo"]


# ---------------------------------------------------------------- official sources (git)

def git(args, cwd=None):
    """stdout (bytes) of `git ARGS`, run in `cwd`; raises CalledProcessError on failure."""
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True).stdout


def pick_source(arg, defaults, what, hint="a git mirror or checkout"):
    """The first of `arg` and `defaults` that exists; exits with 'no WHAT source: pass HINT'."""
    for s in [arg, *defaults]:
        if s and os.path.exists(s):
            return s
    sys.exit(f"no {what} source: pass {hint}")


def pick_vbench(arg):
    """`pick_source` for a --vbench argument (default: $VBENCH_SRC or the mirror under /work/.mirror)."""
    return pick_source(arg, DEFAULT_VBENCH, "VBench", "--vbench (a git mirror or checkout of Vchitect/VBench)")


def source_commit(source):
    """HEAD of a checkout or of a bare mirror; None when it cannot be read."""
    try:
        if os.path.exists(os.path.join(source, ".git")) or not os.path.exists(os.path.join(source, "HEAD")):
            return git(["rev-parse", "HEAD"], cwd=source).decode().strip()
        return git(["--git-dir", source, "rev-parse", "HEAD"]).decode().strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None


# Temp dirs made by extract_files, removed at exit (or at the end of the isolated_imports block
# that made them): the official code may read its files (configs, vocabularies) until then.
_EXTRACTED = []


def _remove_extracted(since=0):
    while len(_EXTRACTED) > since:
        shutil.rmtree(_EXTRACTED.pop(), ignore_errors=True)


atexit.register(_remove_extracted)


def extract_files(mirror, files, rev, prefix="official-"):
    """A new temp dir (named PREFIX...) holding `files` as `git show REV:path` of a bare mirror;
    removed when the process exits (or when the enclosing `isolated_imports` block ends)."""
    out = tempfile.mkdtemp(prefix=prefix)
    _EXTRACTED.append(out)
    for rel in files:
        data = git(["--git-dir", mirror, "show", f"{rev}:{rel}"])
        os.makedirs(os.path.dirname(os.path.join(out, rel)), exist_ok=True)
        with open(os.path.join(out, rel), "wb") as f:
            f.write(data)
    return out


def materialise(source, files, commit, probe, prefix="official-", what=""):
    """A directory holding `files` at `commit` (HEAD when commit is None): `source` itself when it
    is a checkout (it has `probe`), which must then be at `commit` (exit otherwise; not checked
    when commit is None or its HEAD cannot be read), or a temp dir filled from a bare mirror.
    `what` names the project in the exit message ('VBench ' -> 'the pinned VBench commit')."""
    if os.path.exists(os.path.join(source, probe)):
        head = source_commit(source)
        if commit is not None and head is not None and head != commit:
            sys.exit(f"{source} is at {head}, not the pinned {what}commit {commit}")
        return source
    return extract_files(source, files, commit or "HEAD", prefix)


# ---------------------------------------------------------------- loading without installing

def _library_dirs():
    paths = sysconfig.get_paths()
    dirs = {paths.get(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    try:
        dirs.update(site.getsitepackages())
    except AttributeError:  # virtualenvs of old Pythons
        pass
    dirs.add(site.getusersitepackages() if hasattr(site, "getusersitepackages") else None)
    return tuple(os.path.join(os.path.realpath(d), "") for d in dirs if d)


def _from_library(mod, libs):
    """Whether the module was imported from an installed library (stdlib or site-packages)."""
    f = getattr(mod, "__file__", None)
    return bool(f) and os.path.realpath(f).startswith(libs)


@contextlib.contextmanager
def isolated_imports():
    """Run a block (an exporter: load official code, build, export) and then put sys.modules and
    sys.path back as they were, so that the next block loads its own official files and stand-ins
    (`vbench` of another tree, a top-level `utils`, `decord`, `tqdm`, `clip`, ...). Removed after
    the block: the modules it added that were not imported from an installed library (the official
    sources, the stand-ins; with every submodule of such a top-level package); entries the block
    replaced get their old value back. Modules of installed libraries it imported (onnx,
    torch.onnx...) stay loaded: importing a C extension twice is not safe. Temp dirs extracted in
    the block are removed too."""
    saved_modules = dict(sys.modules)
    saved_path = list(sys.path)
    extracted = len(_EXTRACTED)
    try:
        yield
    finally:
        libs = _library_dirs()
        added = [n for n in list(sys.modules) if n not in saved_modules]
        # A top-level module with no file is a stand-in unless it is an extension's internal
        # registry (Cython's _cython_3_x...): those start with an underscore and stay.
        dropped_tops = {n for n in added if "." not in n and not _from_library(sys.modules[n], libs)
                        and (getattr(sys.modules[n], "__file__", None) or not n.startswith("_"))}
        for name in added:
            mod = sys.modules[name]
            top = name.split(".")[0]
            if top in dropped_tops or (getattr(mod, "__file__", None) and not _from_library(mod, libs)):
                del sys.modules[name]
        for name, mod in saved_modules.items():
            if sys.modules.get(name) is not mod:
                sys.modules[name] = mod
        sys.path[:] = saved_path
        importlib.invalidate_caches()
        _remove_extracted(extracted)


def load_file(name, path):
    """Execute the file `path` as the module `name` (registered in sys.modules first)."""
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def package(name, path=None, replace=True):
    """A bare package object `name` whose submodules are found in `path` (none when path is None),
    so that the real __init__.py does not run; an existing one is kept when replace is False."""
    if not replace and name in sys.modules:
        return sys.modules[name]
    m = types.ModuleType(name)
    m.__path__ = [path] if path else []
    sys.modules[name] = m
    return m


def use_shims():
    """tools/parity/shims/ first on sys.path: the tqdm stand-in and a decord that refuses to run
    (for official code that imports decord but never reads a video with it)."""
    sys.path.insert(0, SHIMS)


def ensure_tqdm():
    """`tqdm` is the stand-in tools/parity/shims/tqdm.py (an identity iterator: the official loops
    only need the iterable back) unless a real tqdm is already loaded or importable."""
    if "tqdm" in sys.modules:
        return
    try:
        import tqdm  # noqa: F401
    except ImportError:
        load_file("tqdm", os.path.join(SHIMS, "tqdm.py"))


def distributed_module():
    """vbench.distributed stand-in: the single-process path of the official code (world size 1,
    rank 0, gathers return their input)."""
    m = types.ModuleType("vbench.distributed")
    m.get_world_size = lambda: 1
    m.get_rank = lambda: 0
    m.all_gather = lambda x: [x]
    m.barrier = lambda: None
    m.distribute_list_to_rank = lambda x: x
    m.gather_list_of_dict = lambda x: x
    m.print0 = print
    return m


def install_vbench(root, frames_limit=None, stub_distributed=True):
    """Make `import vbench.X` load the official vbench/X.py of the tree `root` without running
    vbench/__init__.py: the tqdm stand-in, the cv2 decord stand-in (first `frames_limit` frames,
    all when None), a bare `vbench` package and, when stub_distributed, `distributed_module()`
    in place of vbench/distributed.py."""
    ensure_tqdm()
    sys.modules["decord"] = decord_module(frames_limit)
    package("vbench", os.path.join(root, "vbench"))
    if stub_distributed:
        sys.modules["vbench.distributed"] = distributed_module()


# ---------------------------------------------------------------- decord stand-in (cv2 backed)

def cv2_frames(path, limit=None):
    """The frames cv2.VideoCapture reads from `path` (all, or the first `limit`), BGR->RGB uint8."""
    import cv2
    cap = cv2.VideoCapture(path)
    frames = []
    while cap.isOpened() and (limit is None or len(frames) < limit):
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
    cap.release()
    return frames


class _Batch:
    def __init__(self, arr):
        self._arr = arr

    def asnumpy(self):
        return self._arr


class CV2VideoReader:
    """decord.VideoReader stand-in: the frames of `cv2_frames` (all, or the first `limit`)."""

    def __init__(self, path, width=None, height=None, num_threads=0, ctx=None, limit=None):
        if width or height:
            raise RuntimeError("the decord stand-in does not resize (VBench's quality dims never ask it to)")
        frames = cv2_frames(path, limit)
        if not frames:
            raise RuntimeError(f"no frame could be read from {path}")
        self._frames = np.stack(frames)

    def __len__(self):
        return len(self._frames)

    def get_batch(self, indices):
        return _Batch(self._frames[list(indices)])


def decord_module(frames_limit=None):
    """A `decord` module whose VideoReader is CV2VideoReader (keeping the first `frames_limit`
    frames when given); cpu() does nothing. Its bridge is decord's process-wide output switch:
    `bridge.set_bridge('native')` (the default) makes get_batch return an object with .asnumpy(),
    `set_bridge('torch')` (vbench/utils.py read_frames_decord_by_fps) a torch.uint8 tensor
    (T,H,W,3), as decord's torch bridge does. `get_avg_fps()` is OpenCV's CAP_PROP_FPS (VBench's
    'middle' frame choice never uses it)."""
    m = types.ModuleType("decord")
    state = {"bridge": "native"}

    class VideoReader(CV2VideoReader):
        def __init__(self, path, *args, **kwargs):
            if frames_limit is not None:
                kwargs.setdefault("limit", frames_limit)
            super().__init__(path, *args, **kwargs)
            self._path = path

        def get_batch(self, indices):
            batch = super().get_batch(indices)
            if state["bridge"] == "torch":
                import torch
                return torch.from_numpy(np.ascontiguousarray(batch.asnumpy()))
            return batch

        def get_avg_fps(self):
            import cv2
            cap = cv2.VideoCapture(self._path)
            fps = cap.get(cv2.CAP_PROP_FPS)
            cap.release()
            return fps

    def set_bridge(name):
        if name not in ("native", "torch"):
            raise RuntimeError(f"the decord stand-in has no '{name}' bridge")
        state["bridge"] = name

    m.VideoReader = VideoReader
    m.cpu = lambda *a, **k: None
    m.bridge = types.SimpleNamespace(set_bridge=set_bridge)
    return m


# ---------------------------------------------------------------- small utilities

def openai_clip_state_dict(path):
    """The state dict of an OpenAI CLIP checkpoint (ViT-*.pt): a TorchScript archive, or a plain pickled state dict."""
    import torch
    with open(path, "rb") as f:
        try:
            return torch.jit.load(f, map_location="cpu").eval().state_dict()
        except RuntimeError:
            f.seek(0)
            return torch.load(f, map_location="cpu")


def sha256_file(path):
    """Hex sha256 of a file's bytes."""
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check_input(shape, offset=0.0, scale=1.0, mult=7919):
    """Deterministic model-check input of `shape`: ((i*mult) % 1000)/1000 * scale + offset at flat
    index i, computed in float64, returned as a float32 torch tensor (scale 1 and offset 0 leave
    the float64 value unchanged)."""
    import torch
    i = np.arange(int(np.prod(shape)), dtype=np.int64)
    return torch.from_numpy((((i * mult) % 1000) / 1000.0 * scale + offset).astype(np.float32).reshape(shape))


def init_rest(name, p, gain):
    """The common part of the golden scripts' weight re-draws (inside torch.no_grad()), for a parameter
    no special rule took: a matrix N(0, gain^2/fan_in) with fan_in = numel of one output row, a bias
    N(0, 0.1^2), another vector named *weight (LayerNorm) 1 + N(0, 0.1^2); anything else is an error."""
    import math

    import torch
    if p.dim() >= 2:
        p.copy_(torch.randn_like(p) * (gain / math.sqrt(p[0].numel())))
    elif name.endswith("bias"):
        p.copy_(0.1 * torch.randn_like(p))
    elif name.endswith("weight"):
        p.copy_(1.0 + 0.1 * torch.randn_like(p))
    else:
        raise RuntimeError(f"unexpected parameter {name}")


def recorder(model, keep):
    """A transparent torch wrapper around `model` that appends (input shape, keep(output)) to
    `.calls` on every call. Constructed in training mode like any nn.Module; the wrapped model's
    flags are left as they are."""
    import torch.nn as nn

    class Recorder(nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model
            self.calls = []

        def forward(self, x):
            y = self.model(x)
            self.calls.append((tuple(x.shape), keep(y)))
            return y

    return Recorder()


def make_sample_videos(dir_):
    """Run tools/fixtures/make-sample-videos.ts DIR (node + tsx, the project's ffmpeg); returns
    {file name: sha256} from its listing."""
    out = subprocess.run(["node", "--import", "tsx", "tools/fixtures/make-sample-videos.ts", dir_],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    shas = {}
    for line in out.splitlines():
        sha, path = line.split("  ", 1)
        shas[os.path.basename(path)] = sha
    return shas


def media_stand_ins(dir_=None):
    """The project's media stand-in videos and stills (tools/fixtures/media-stand-ins.ts: node + tsx,
    the project's ffmpeg), made in DIR, or when DIR is None in the per-machine folder the TypeScript
    tests use. Returns {file name: (path, sha256)}."""
    argv = ["node", "--import", "tsx", "tools/fixtures/media-stand-ins.ts", *([dir_] if dir_ else [])]
    out = subprocess.run(argv, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    made = {}
    for line in out.splitlines():
        sha, path = line.split("  ", 1)
        made[os.path.basename(path)] = (path, sha)
    return made


def make_test_images(dir_=None, names=()):
    """Run tools/fixtures/test-images.ts DIR [NAMES] (node + tsx: the project's procedural test photos,
    the very files the TypeScript tests make); DIR defaults to a new temp dir, removed at exit.
    Returns (DIR, {file name: sha256 of the file})."""
    if not dir_:
        import atexit
        import shutil
        dir_ = tempfile.mkdtemp(prefix="genbench-test-images-")
        atexit.register(shutil.rmtree, dir_, True)
    out = subprocess.run(["node", "--import", "tsx", "tools/fixtures/test-images.ts", dir_, *names],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    shas = {}
    for line in out.splitlines():
        sha, path = line.split("  ", 1)
        shas[os.path.basename(path)] = sha
    return dir_, shas


def ort_run_node(onnx_path, feeds, threads=None):
    """Outputs {name: float32 ndarray} of onnxruntime-node (tools/parity/ort-run.ts: the runtime
    genbench uses; Debian's python3 has no onnxruntime) on `feeds` {name: ndarray}; int64 arrays
    go in as int64 tensors, everything else as float32."""
    with tempfile.TemporaryDirectory(prefix="genbench-ort-") as tmp:
        cmd = ["node", "--import", "tsx", os.path.join(ROOT, "tools/parity/ort-run.ts"), os.path.abspath(onnx_path), tmp]
        if threads:
            cmd += ["--threads", str(threads)]
        for i, (name, arr) in enumerate(feeds.items()):
            arr = np.asarray(arr)
            ext, dtype = (".i64", "<i8") if arr.dtype == np.int64 else (".f32", "<f4")
            path = os.path.join(tmp, f"in{i}{ext}")
            arr.astype(dtype).tofile(path)
            cmd.append(f"{name}={path}:{'x'.join(map(str, arr.shape)) or '1'}")
        subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(tmp, "outputs.json")) as f:
            meta = json.load(f)
        return {k: np.fromfile(os.path.join(tmp, f"{k}.f32"), dtype="<f4").reshape(dims)
                for k, dims in meta["outputs"].items()}


def write_json(path, data, allow_nan=True):
    """json.dump(data, indent=1) to `path`, with a final newline (the goldens' format)."""
    with open(path, "w") as f:
        json.dump(data, f, indent=1, allow_nan=allow_nan)
        f.write("\n")


def mask_upstream_text(data, texts, tag):
    """Replace every occurrence of the upstream texts (prompts) in the strings and keys of `data`
    by `{{tag:i}}`, i = the text's index in `texts`: the goldens must not carry upstream prompt
    text, which the tests read from the pinned prompt files (GENBENCH_TEST_PROMPTS_DIR or the prompt
    cache: tests/helpers/upstream-files.ts) and substitute back (tests/helpers/upstream-text.ts). Longest texts first, so a prompt inside a longer one is safe."""
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))

    def mask(s):
        for i in order:
            if texts[i] in s:
                s = s.replace(texts[i], "{{%s:%d}}" % (tag, i))
        return s

    def walk(x):
        if isinstance(x, str):
            return mask(x)
        if isinstance(x, dict):
            return {mask(k): walk(v) for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v) for v in x]
        return x

    return walk(data)
