"""Load VBench's OFFICIAL RAFT code (vbench/third_party/RAFT/core), vbench/dynamic_degree.py and the
top-level static_filter.py from a VBench git mirror (read with `git show COMMIT:path`) or a
checkout, without installing VBench and without running vbench/__init__.py. Nothing of VBench is
copied into this project: the files are written to a temporary directory and executed from there.

Stand-ins (only for imports the RAFT/dynamic-degree path never really uses):
  * easydict: a dict with attribute access (dynamic_degree.py builds its args with it; RAFT reads
    `args.small`, tests `'dropout' in args` and sets `args.corr_levels`, all of which a dict
    subclass supports);
  * tqdm and decord: tools/parity/shims/ (decord is imported by vbench/utils.py at module level).
"""
import importlib
import os
import subprocess
import sys
import tempfile
import types

COMMIT = "45e79ec14e69a2187202c675d2dbce1a71843d53"
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SOURCES = [os.environ.get("VBENCH_SRC", ""), "/work/.mirror/Vchitect+VBench/repo"]
RAFT_CORE = "vbench/third_party/RAFT/core"
OFFICIAL_FILES = [
    "vbench/dynamic_degree.py",
    "vbench/utils.py",
    "vbench/distributed.py",
    "vbench/VBench_full_info.json",
    "static_filter.py",
    f"{RAFT_CORE}/__init__.py",
    f"{RAFT_CORE}/raft.py",
    f"{RAFT_CORE}/corr.py",
    f"{RAFT_CORE}/update.py",
    f"{RAFT_CORE}/extractor.py",
    f"{RAFT_CORE}/utils_core/__init__.py",
    f"{RAFT_CORE}/utils_core/utils.py",
]


def _git(args, cwd=None):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True).stdout


def pick_source(arg):
    for s in [arg, *DEFAULT_SOURCES]:
        if s and os.path.exists(s):
            return s
    sys.exit("no VBench source: pass --vbench (a git mirror or checkout of Vchitect/VBench)")


def official_tree(source, commit=COMMIT):
    """A directory holding the official files at `commit`, from a bare mirror or a checkout."""
    if os.path.isdir(os.path.join(source, "vbench")):
        try:
            head = _git(["rev-parse", "HEAD"], cwd=source).decode().strip()
        except (subprocess.CalledProcessError, FileNotFoundError):
            head = None
        if head is not None and head != commit:
            sys.exit(f"{source} is at {head}, not the pinned VBench commit {commit}")
        return source
    out = tempfile.mkdtemp(prefix="vbench-raft-official-")
    for rel in OFFICIAL_FILES:
        data = _git(["--git-dir", source, "show", f"{commit}:{rel}"])
        os.makedirs(os.path.dirname(os.path.join(out, rel)), exist_ok=True)
        with open(os.path.join(out, rel), "wb") as f:
            f.write(data)
    return out


class EasyDict(dict):
    """Stand-in for easydict.EasyDict: keys readable and writable as attributes."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError as e:
            raise AttributeError(name) from e

    def __setattr__(self, name, value):
        self[name] = value


def _install_packages(root):
    sys.path.insert(0, os.path.join(HERE, "shims"))
    if "easydict" not in sys.modules:
        ed = types.ModuleType("easydict")
        ed.EasyDict = EasyDict
        sys.modules["easydict"] = ed
    # Namespace-like package objects, so that no official __init__.py outside RAFT/core runs.
    for name, rel in [("vbench", "vbench"), ("vbench.third_party", "vbench/third_party"),
                      ("vbench.third_party.RAFT", "vbench/third_party/RAFT")]:
        if name not in sys.modules:
            pkg = types.ModuleType(name)
            pkg.__path__ = [os.path.join(root, rel)]
            sys.modules[name] = pkg


def load(source=None, commit=COMMIT):
    """Returns a namespace with the official modules: raft (RAFT class), padder (InputPadder),
    dynamic_degree, and static_filter (the top-level script, as a module)."""
    root = official_tree(pick_source(source), commit)
    _install_packages(root)
    raft = importlib.import_module("vbench.third_party.RAFT.core.raft")
    utils = importlib.import_module("vbench.third_party.RAFT.core.utils_core.utils")
    dd = importlib.import_module("vbench.dynamic_degree")
    spec = importlib.util.spec_from_file_location("official_static_filter", os.path.join(root, "static_filter.py"))
    sf = importlib.util.module_from_spec(spec)
    sys.modules["official_static_filter"] = sf
    spec.loader.exec_module(sf)
    return types.SimpleNamespace(root=root, raft=raft, RAFT=raft.RAFT, InputPadder=utils.InputPadder,
                                 dynamic_degree=dd, static_filter=sf)


class ContractRAFT:
    """The genbench `raft-things` contract around an official RAFT module: (image1, image2) float32
    [B,3,H,W] RGB 0..255 (H, W multiples of 8) -> flow_up of RAFT(iters=20, test_mode=True)."""

    @staticmethod
    def wrap(model, iters=20):
        import torch

        class _W(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.model = model

            def forward(self, image1, image2):
                return self.model(image1, image2, iters=iters, test_mode=True)[1]

        return _W().eval()


def export_contract(model, out, opset=17, sample_hw=(64, 96)):
    """Export `model` (an official RAFT, eval mode) to the contract with dynamic batch/height/width.
    Returns the sha256 of the written file."""
    import hashlib

    import torch

    w = ContractRAFT.wrap(model)
    h, wd = sample_hw
    g = torch.Generator().manual_seed(0)
    a = torch.rand(1, 3, h, wd, generator=g) * 255
    b = torch.rand(1, 3, h, wd, generator=g) * 255
    axes = {0: "batch", 2: "height", 3: "width"}
    with torch.no_grad():
        torch.onnx.export(w, (a, b), out, input_names=["image1", "image2"], output_names=["flow"],
                          dynamic_axes={"image1": axes, "image2": axes, "flow": axes},
                          opset_version=opset, do_constant_folding=True)
    with open(out, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()
