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
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parity_common as pc  # noqa: E402

COMMIT = pc.VBENCH_COMMIT
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


def official_tree(source, commit=COMMIT):
    """A directory holding the official files at `commit`, from a bare mirror or a checkout."""
    return pc.materialise(source, OFFICIAL_FILES, commit, "vbench", prefix="vbench-raft-official-", what="VBench ")


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
    pc.use_shims()
    if "easydict" not in sys.modules:
        ed = types.ModuleType("easydict")
        ed.EasyDict = EasyDict
        sys.modules["easydict"] = ed
    # Namespace-like package objects, so that no official __init__.py outside RAFT/core runs.
    for name, rel in [("vbench", "vbench"), ("vbench.third_party", "vbench/third_party"),
                      ("vbench.third_party.RAFT", "vbench/third_party/RAFT")]:
        pc.package(name, os.path.join(root, rel), replace=False)


def load(source=None, commit=COMMIT):
    """Returns a namespace with the official modules: raft (RAFT class), padder (InputPadder),
    dynamic_degree, and static_filter (the top-level script, as a module)."""
    root = official_tree(pc.pick_vbench(source), commit)
    _install_packages(root)
    raft = importlib.import_module("vbench.third_party.RAFT.core.raft")
    utils = importlib.import_module("vbench.third_party.RAFT.core.utils_core.utils")
    dd = importlib.import_module("vbench.dynamic_degree")
    sf = pc.load_file("official_static_filter", os.path.join(root, "static_filter.py"))
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
    return pc.sha256_file(out)
