"""Run the OFFICIAL VBench (pinned commit) semantic dimensions the way a user does: the real
vbench/__init__.py (`VBench(...).evaluate(...)`: init_submodules, build_full_info_json, the
dimension's compute_<dim>, save_json), vbench/utils.py, vbench/distributed.py and the dimension
files, read from a git mirror or checkout. Nothing of VBench is copied into this project.

Only what Debian's python3 lacks is replaced (parity_common):
* decord: `pc.decord_module()` (frames read with cv2.VideoCapture, BGR->RGB; the torch bridge that
  read_frames_decord_by_fps switches on returns torch.uint8 tensors, as decord's does);
* tqdm: the identity stand-in (tools/parity/shims/tqdm.py);
* `clip`: the official openai/CLIP package (`official_clip.load_clip_package`), or, for dimension
  files that only import it, a module whose load refuses to run.
Further stand-ins (timm, einops) are added by the scripts that need them, before `evaluate`.

`evaluate` needs the checkpoints where init_submodules looks for them: VBENCH_CACHE_DIR is set to a
folder the caller fills (`cache_dir`), before vbench/utils.py is imported (it reads the variable at
import time), and `local=True` so that no file is downloaded (every path init_submodules checks
exists, so it runs no wget).
"""
import importlib
import importlib.util
import json
import os
import sys
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parity_common as pc  # noqa: E402

VBENCH_COMMIT = pc.VBENCH_COMMIT
CORE_FILES = ["vbench/__init__.py", "vbench/utils.py", "vbench/distributed.py", "vbench/VBench_full_info.json"]


def load_vbench(source, files, cache_dir, commit=VBENCH_COMMIT):
    """The official `vbench` package (its __init__.py runs) holding CORE_FILES + `files`, with
    VBENCH_CACHE_DIR=cache_dir. Returns (vbench module, root of the tree)."""
    root = pc.materialise(source, CORE_FILES + list(files), commit, "vbench/__init__.py", prefix="vbench-official-",
                          what="VBench ")
    os.environ["VBENCH_CACHE_DIR"] = cache_dir
    pc.ensure_tqdm()
    sys.modules["decord"] = pc.decord_module()
    if "clip" not in sys.modules:
        sys.modules["clip"] = _clip_refusing()
    spec = importlib.util.spec_from_file_location("vbench", os.path.join(root, "vbench", "__init__.py"),
                                                  submodule_search_locations=[os.path.join(root, "vbench")])
    mod = importlib.util.module_from_spec(spec)
    sys.modules["vbench"] = mod
    spec.loader.exec_module(mod)
    assert mod.utils.CACHE_DIR == cache_dir
    return mod, root


def _clip_refusing():
    m = types.ModuleType("clip")

    def load(*a, **k):
        raise RuntimeError("clip.load is not available here")

    m.load = load
    return m


def full_info(root):
    """vbench/VBench_full_info.json of the tree (a list of entries)."""
    with open(os.path.join(root, "vbench", "VBench_full_info.json")) as f:
        return json.load(f)


def evaluate(vbench_mod, root, videos_dir, out_dir, dimensions, name="golden", mode="vbench_standard", **kwargs):
    """VBench('cpu', <tree>/vbench/VBench_full_info.json, out_dir).evaluate(videos_dir, name,
    dimension_list=dimensions, local=True, mode=mode, **kwargs); returns the parsed
    `<name>_eval_results.json` and `<name>_full_info.json` the official code wrote."""
    bench = vbench_mod.VBench("cpu", os.path.join(root, "vbench", "VBench_full_info.json"), out_dir)
    bench.evaluate(videos_dir, name, dimension_list=list(dimensions), local=True, mode=mode, **kwargs)
    with open(os.path.join(out_dir, f"{name}_eval_results.json")) as f:
        results = json.load(f)
    with open(os.path.join(out_dir, f"{name}_full_info.json")) as f:
        info = json.load(f)
    return results, info
