"""Load official VBench dimension modules from a VBench checkout at the pinned commit, without
installing VBench: the package's heavy or unavailable imports are replaced by small stand-ins.
Nothing of VBench is copied here; the official files are executed from the checkout."""
import os
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parity_common as pc  # noqa: E402


def load_official_module(vbench_root, name):
    """Import vbench/<name>.py from the checkout as `vbench.<name>`."""
    pc.ensure_tqdm()
    if "vbench" not in sys.modules:
        pc.package("vbench", vbench_root + "/vbench")
        sys.modules["vbench.distributed"] = pc.distributed_module()
        utils = types.ModuleType("vbench.utils")
        utils.load_dimension_info = lambda *a, **k: ([], None)
        sys.modules["vbench.utils"] = utils
    return pc.load_file(f"vbench.{name}", f"{vbench_root}/vbench/{name}.py")
