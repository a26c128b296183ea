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
import contextlib
import importlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
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


# ---------------------------------------------------------------- shared by the semantic golden scripts

def make_videos(work, cuts, generated, media_dir=None):
    """{video id: {path, sha256, made}} made in `work`: `media-cut:FILE` for each (FILE, media stand-in,
    frames) of `cuts` (the first frames re-encoded with the pinned static ffmpeg, bit-exact flags), and
    `generated:FILE` for each tools/fixtures/make-sample-videos.ts recipe file in `generated`."""
    import clip_consistency_aesthetic_golden as ccg
    os.makedirs(work, exist_ok=True)
    videos = {}
    media = pc.media_stand_ins(media_dir)
    for file, source, frames in cuts:
        src = media[source][0]
        out = os.path.join(work, file)
        args = ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", "{in}", "-frames:v", str(frames),
                "-vsync", "passthrough", "-an", "-threads", "1", "-c:v", "libx264", "-preset", "medium",
                "-pix_fmt", "yuv420p", *ccg.DETERMINISTIC, "{out}"]
        subprocess.run([ccg.FFMPEG, *[a.replace("{in}", src).replace("{out}", out) for a in args]], check=True)
        videos[f"media-cut:{file}"] = {"path": out, "sha256": pc.sha256_file(out),
                                       "made": {"source": source, "source_made_by": "tools/fixtures/media-stand-ins.ts",
                                                "source_sha256": media[source][1],
                                                "ffmpeg": "node_modules/@ffmpeg-installer/linux-x64/ffmpeg",
                                                "ffmpeg_args": args}}
    shas = pc.make_sample_videos(work)
    for f in generated:
        videos[f"generated:{f}"] = {"path": os.path.join(work, f), "sha256": shas[f],
                                    "made": {"recipe": "tools/fixtures/make-sample-videos.ts SAMPLE_VIDEO_RECIPES", "file": f}}
    return videos


def fresh_dir(path):
    """`path` emptied (removed if there, made again); returns it."""
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def evaluate_timed(vbench_mod, root, videos_dir, work, dimensions):
    """`evaluate` into <work>/official-output with the official code's prints in
    <work>/official-stdout.txt; returns (eval results, seconds it took)."""
    out_dir = os.path.join(work, "official-output")
    t0 = time.perf_counter()
    with open(os.path.join(work, "official-stdout.txt"), "w") as log, contextlib.redirect_stdout(log):
        results, _ = evaluate(vbench_mod, root, videos_dir, out_dir, dimensions)
    return results, time.perf_counter() - t0


def require_export_match(diffs, refs, full):
    """Exit unless every max |onnxruntime-node - torch| in `diffs` is within 1e-4 (--full: 1e-4 relative to
    the largest value of the torch output `refs[name]`, as deep random towers give large outputs); NaN fails."""
    import numpy as np
    tol = {k: 1e-4 * (max(1.0, float(np.abs(r).max())) if full else 1.0) for k, r in refs.items()}
    if not all(d <= tol[k] for k, d in diffs.items()):
        sys.exit("the exported graphs do not match the torch model" if len(diffs) > 1
                 else "the exported graph does not match the torch model")
