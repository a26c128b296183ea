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
vbench/utils.py, vbench/distributed.py at the pinned commit); the single-process
`vbench.distributed`, `tqdm` and decord stand-ins are those of tools/parity/parity_common.py.
"""
import importlib
import os
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tools/parity
import parity_common as pc  # noqa: E402

PYIQA_FILES = [
    "pyiqa/archs/musiq_arch.py",
    "pyiqa/archs/arch_util.py",
    "pyiqa/archs/constants.py",
    "pyiqa/data/multiscale_trans_util.py",
    "pyiqa/matlab_utils/padding.py",
]
DEFAULT_PYIQA = [os.environ.get("PYIQA_SRC", ""), "/work/.mirror/chaofengc+IQA-PyTorch/repo"]
VBENCH_COMMIT = pc.VBENCH_COMMIT
VBENCH_FILES = ["vbench/imaging_quality.py", "vbench/utils.py", "vbench/distributed.py"]
DEFAULT_VBENCH = pc.DEFAULT_VBENCH


def materialise_vbench(source, commit=VBENCH_COMMIT):
    """A directory holding VBENCH_FILES at `commit`: a checkout at that commit, or files from a mirror."""
    return pc.materialise(source, VBENCH_FILES, commit, "vbench/imaging_quality.py", prefix="official-vbench-")


def materialise_pyiqa(source, commit=None):
    """A directory holding PYIQA_FILES: the checkout itself, or files written from a bare mirror
    (at `commit`, HEAD when None; a checkout given a commit must be at it)."""
    return pc.materialise(source, PYIQA_FILES, commit, "pyiqa/archs/musiq_arch.py", prefix="official-pyiqa-")


def load_musiq_arch(source, commit=None):
    """The official `pyiqa.archs.musiq_arch` module."""
    root = materialise_pyiqa(source, commit)
    if "huggingface_hub" not in sys.modules:
        hf = types.ModuleType("huggingface_hub")
        hf.hf_hub_url = lambda repo_id, filename, **kw: f"https://huggingface.co/{repo_id}/resolve/main/{filename}"
        sys.modules["huggingface_hub"] = hf
    pc.package("pyiqa", os.path.join(root, "pyiqa"))
    pc.package("pyiqa.archs", os.path.join(root, "pyiqa", "archs"))
    pc.package("pyiqa.data", os.path.join(root, "pyiqa", "data"))
    pc.package("pyiqa.utils")
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
    mu = pc.package("pyiqa.matlab_utils", os.path.join(root, "pyiqa", "matlab_utils"))
    padding = pc.load_file("pyiqa.matlab_utils.padding", os.path.join(root, "pyiqa", "matlab_utils", "padding.py"))
    for k in ("ExactPadding2d", "exact_padding_2d", "symm_pad"):
        setattr(mu, k, getattr(padding, k))
    return importlib.import_module("pyiqa.archs.musiq_arch")
