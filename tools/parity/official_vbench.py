"""Load official VBench dimension modules from a VBench checkout at the pinned commit, without
installing VBench: the package's heavy or unavailable imports are replaced by small stand-ins.
Nothing of VBench is copied here; the official files are executed from the checkout."""
import importlib.util
import sys
import types


def _stub_distributed():
    m = types.ModuleType("vbench.distributed")
    m.get_world_size = lambda: 1
    m.get_rank = lambda: 0
    m.all_gather = lambda x: [x]
    m.barrier = lambda: None
    m.distribute_list_to_rank = lambda x: x
    m.gather_list_of_dict = lambda x: x
    m.print0 = print
    return m


def load_official_module(vbench_root, name):
    """Import vbench/<name>.py from the checkout as `vbench.<name>`."""
    if "tqdm" not in sys.modules:
        try:
            import tqdm  # noqa: F401
        except ImportError:
            t = types.ModuleType("tqdm")
            t.tqdm = lambda it=None, **kw: it
            sys.modules["tqdm"] = t
    if "vbench" not in sys.modules:
        pkg = types.ModuleType("vbench")
        pkg.__path__ = [vbench_root + "/vbench"]
        sys.modules["vbench"] = pkg
        sys.modules["vbench.distributed"] = _stub_distributed()
        utils = types.ModuleType("vbench.utils")
        utils.load_dimension_info = lambda *a, **k: ([], None)
        sys.modules["vbench.utils"] = utils
    spec = importlib.util.spec_from_file_location(f"vbench.{name}", f"{vbench_root}/vbench/{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[f"vbench.{name}"] = mod
    spec.loader.exec_module(mod)
    return mod
