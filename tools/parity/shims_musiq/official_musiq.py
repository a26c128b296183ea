"""Load the OFFICIAL pyiqa MUSIQ class (chaofengc/IQA-PyTorch pyiqa/archs/musiq_arch.py and the
files it really uses: pyiqa/archs/arch_util.py, pyiqa/archs/constants.py,
pyiqa/data/multiscale_trans_util.py, pyiqa/matlab_utils/padding.py) from a git mirror or a
checkout, without installing pyiqa. Nothing of pyiqa is copied here: the official files are read
at run time (`git show REV:path` from a bare mirror, or straight from a checkout) and executed.

Minimal stand-ins, only for what Debian's python3 lacks or what would pull in unrelated code:
* `pyiqa`, `pyiqa.archs`, `pyiqa.data`, `pyiqa.utils`: bare namespace packages (their real
  __init__ files import every architecture / dataset of pyiqa);
* `pyiqa.utils.registry.ARCH_REGISTRY`: a decorator that returns the class unchanged;
* `pyiqa.utils.download_util.load_file_from_url`: raises (we only load local files);
* `huggingface_hub.hf_hub_url`: builds the URL string (only used for `default_model_urls`);
* `pyiqa.matlab_utils`: exposes the real padding.py (`ExactPadding2d`, `exact_padding_2d`,
  `symm_pad`) without the resize / scfpyr modules its __init__ also imports.

It also materialises the OFFICIAL VBench files imaging_quality needs (vbench/imaging_quality.py,
vbench/utils.py, vbench/distributed.py at the pinned commit) and provides the single-process
`vbench.distributed` stand-in and a `tqdm` stand-in (identity iterator) when tqdm is missing.
"""
import importlib
import importlib.util
import os
import subprocess
import sys
import tempfile
import types

PYIQA_FILES = [
    "pyiqa/archs/musiq_arch.py",
    "pyiqa/archs/arch_util.py",
    "pyiqa/archs/constants.py",
    "pyiqa/data/multiscale_trans_util.py",
    "pyiqa/matlab_utils/padding.py",
]
DEFAULT_PYIQA = [os.environ.get("PYIQA_SRC", ""), "/work/.mirror/chaofengc+IQA-PyTorch/repo"]
VBENCH_COMMIT = "45e79ec14e69a2187202c675d2dbce1a71843d53"
VBENCH_FILES = ["vbench/imaging_quality.py", "vbench/utils.py", "vbench/distributed.py"]
DEFAULT_VBENCH = [os.environ.get("VBENCH_SRC", ""), "/work/.mirror/Vchitect+VBench/repo"]


def _git(args):
    return subprocess.run(["git", *args], check=True, capture_output=True).stdout


def pick(arg, defaults, what):
    for s in [arg, *defaults]:
        if s and os.path.exists(s):
            return s
    sys.exit(f"no {what} source: pass a git mirror or checkout")


def sha256_file(path):
    import hashlib
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def materialise_vbench(source, commit=VBENCH_COMMIT):
    """A directory holding VBENCH_FILES at `commit`: a checkout at that commit, or files from a mirror."""
    if os.path.exists(os.path.join(source, "vbench", "imaging_quality.py")):
        head = pyiqa_commit(source)
        if head is not None and head != commit:
            sys.exit(f"{source} is at {head}, not the pinned commit {commit}")
        return source
    out = tempfile.mkdtemp(prefix="official-vbench-")
    for rel in VBENCH_FILES:
        data = _git(["--git-dir", source, "show", f"{commit}:{rel}"])
        os.makedirs(os.path.dirname(os.path.join(out, rel)), exist_ok=True)
        with open(os.path.join(out, rel), "wb") as f:
            f.write(data)
    return out


def ensure_tqdm():
    """tqdm is not installed in Debian's python3 here; the official loops only need the iterable back."""
    try:
        import tqdm  # noqa: F401
    except ImportError:
        t = types.ModuleType("tqdm")
        t.tqdm = lambda iterable=None, *a, **k: iterable
        sys.modules["tqdm"] = t


def distributed_module():
    """vbench.distributed stand-in: the single-process path (world size 1, rank 0)."""
    m = types.ModuleType("vbench.distributed")
    m.get_world_size = lambda: 1
    m.get_rank = lambda: 0
    m.all_gather = lambda x: [x]
    m.barrier = lambda: None
    m.distribute_list_to_rank = lambda x: x
    m.gather_list_of_dict = lambda x: x
    m.print0 = print
    return m


def pyiqa_commit(source):
    """HEAD of a checkout or of a bare mirror (also used for the VBench source)."""
    try:
        if not os.path.exists(os.path.join(source, "HEAD")):
            return _git(["-C", source, "rev-parse", "HEAD"]).decode().strip()
        return _git(["--git-dir", source, "rev-parse", "HEAD"]).decode().strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None


def materialise_pyiqa(source, commit=None):
    """A directory holding PYIQA_FILES: the checkout itself, or files written from a bare mirror."""
    if os.path.exists(os.path.join(source, "pyiqa", "archs", "musiq_arch.py")):
        return source
    out = tempfile.mkdtemp(prefix="official-pyiqa-")
    rev = commit or "HEAD"
    for rel in PYIQA_FILES:
        data = _git(["--git-dir", source, "show", f"{rev}:{rel}"])
        os.makedirs(os.path.dirname(os.path.join(out, rel)), exist_ok=True)
        with open(os.path.join(out, rel), "wb") as f:
            f.write(data)
    return out


def _package(name, path=None):
    m = types.ModuleType(name)
    m.__path__ = [path] if path else []
    sys.modules[name] = m
    return m


def _load_file(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def load_musiq_arch(source, commit=None):
    """The official `pyiqa.archs.musiq_arch` module."""
    root = materialise_pyiqa(source, commit)
    if "huggingface_hub" not in sys.modules:
        hf = types.ModuleType("huggingface_hub")
        hf.hf_hub_url = lambda repo_id, filename, **kw: f"https://huggingface.co/{repo_id}/resolve/main/{filename}"
        sys.modules["huggingface_hub"] = hf
    _package("pyiqa", os.path.join(root, "pyiqa"))
    _package("pyiqa.archs", os.path.join(root, "pyiqa", "archs"))
    _package("pyiqa.data", os.path.join(root, "pyiqa", "data"))
    _package("pyiqa.utils")
    reg = types.ModuleType("pyiqa.utils.registry")

    class _Registry:
        def register(self, obj=None, **kw):
            return (lambda o: o) if obj is None else obj

    reg.ARCH_REGISTRY = _Registry()
    sys.modules["pyiqa.utils.registry"] = reg
    dl = types.ModuleType("pyiqa.utils.download_util")

    def load_file_from_url(url, *a, **k):
        raise RuntimeError(f"no downloads in the parity environment: {url}")

    dl.load_file_from_url = load_file_from_url
    sys.modules["pyiqa.utils.download_util"] = dl
    mu = _package("pyiqa.matlab_utils", os.path.join(root, "pyiqa", "matlab_utils"))
    padding = _load_file("pyiqa.matlab_utils.padding", os.path.join(root, "pyiqa", "matlab_utils", "padding.py"))
    for k in ("ExactPadding2d", "exact_padding_2d", "symm_pad"):
        setattr(mu, k, getattr(padding, k))
    return importlib.import_module("pyiqa.archs.musiq_arch")
