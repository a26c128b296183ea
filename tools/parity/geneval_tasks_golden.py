#!/usr/bin/python3
"""Golden values for GenEval's per-image rule checks and its summary (model-free).

Runs the OFFICIAL evaluation/evaluate_images.py (as `__main__`, CLI and all, from `git show
af4902f:...` of a geneval mirror; nothing of it is copied here) on a folder of crafted prompts/images,
with its detector and CLIP colour classifier replaced by the stand-ins of tools/parity/geneval_standins.py:
the "detector" returns crafted per-class float32 box/score arrays and box-shaped masks, the "CLIP" returns a
crafted colour per object. Then runs the official evaluation/summary_scores.py on the results.jsonl it wrote.
Writes tests/golden/geneval-tasks.json: for every run (a set of --options), every prompt folder, every image:
the inputs, the official `correct` / `reason` / `details`, the colour-classifier calls, and the official
summary (stdout and the rows in results.jsonl order).

Usage: /usr/bin/python3 tools/parity/geneval_tasks_golden.py [GENEVAL_MIRROR]
(default mirror: /work/.mirror/djghosh13+geneval/repo; needs numpy, Pillow and pandas — Debian's python3 with
python3-pandas 1.5.3 = the pinned pandas; numpy 1.24 follows the same NumPy 1.x scalar promotion rules as the
pinned 1.23.1).
"""
import contextlib
import io
import json
import os
import runpy
import sys
import tempfile

# The official reason "found X and Y target" joins a Python set (order = string hashes): fix the hash seed so
# that the golden file is reproducible (the TypeScript test accepts either order of the relations).
if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from PIL import Image  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import geneval_standins as st  # noqa: E402
from parity_common import ROOT, extract_files, mask_upstream_text, sha256_file, write_json  # noqa: E402

COMMIT = "af4902f24d3ca90ebbb446dd9891a59e0f82725f"
MIRROR = sys.argv[1] if len(sys.argv) > 1 else "/work/.mirror/djghosh13+geneval/repo"
OUT = os.path.join(ROOT, "tests", "golden", "geneval-tasks.json")

SRC = extract_files(MIRROR, ["evaluation/evaluate_images.py", "evaluation/summary_scores.py",
                             "evaluation/object_names.txt", "prompts/evaluation_metadata.jsonl"], COMMIT,
                    prefix="geneval-official-")
with open(os.path.join(SRC, "evaluation", "object_names.txt")) as f:
    CLASSNAMES = [line.strip() for line in f]
assert len(CLASSNAMES) == 80
# Upstream prompt text must not sit in the golden: where a crafted metadata reuses a benchmark
# prompt, the golden says {{geneval-prompt:i}} (line i of evaluation_metadata.jsonl).
with open(os.path.join(SRC, "prompts", "evaluation_metadata.jsonl")) as f:
    UPSTREAM_PROMPTS = [json.loads(line)["prompt"] for line in f if line.strip()]

F32_03 = float(np.float32(0.3))
F32_09 = float(np.float32(0.9))
ABOVE_03 = float(np.nextafter(np.float32(0.3), np.float32(1)))
ABOVE_09 = float(np.nextafter(np.float32(0.9), np.float32(1)))


def det(cls, box, score, color=None):
    d = {"class": cls, "box": [float(np.float32(v)) for v in box], "score": float(np.float32(score))}
    if color is not None:
        d["color"] = color
    return d


def md(tag, include, exclude=None, prompt=None):
    m = {"tag": tag, "include": include}
    if exclude is not None:
        m["exclude"] = exclude
    m["prompt"] = prompt or f"crafted {tag}"
    return m


def inc(cls, count=1, color=None, position=None):
    d = {"class": cls, "count": count}
    if color is not None:
        d["color"] = color
    if position is not None:
        d["position"] = list(position)
    return d


def img(name, dets, size=(64, 48)):
    return {"case": name, "size": list(size), "detections": dets}


def grid(cls, n, score, w=6, h=6, color=None, start=0):
    """n non-overlapping boxes of class cls (row-major in a 64x48 image), all with `score`."""
    out = []
    for i in range(start, start + n):
        x, y = (i % 8) * 8, (i // 8) * 8
        out.append(det(cls, [x, y, x + w, y + h], score, color))
    return out


# ---------------------------------------------------------------- prompts of the default-options run

P = []  # (metadata, [images])

# single_object
P.append((md("single_object", [inc("dog")], prompt="a photo of a dog"), [
    img("so-pass", [det("dog", [10, 10, 30, 40], 0.95)]),
    img("so-none", []),
    img("so-under-threshold", [det("dog", [10, 10, 30, 40], 0.25)]),
    img("so-score-f32(0.3)-not-above", [det("dog", [10, 10, 30, 40], F32_03)]),
    img("so-score-next-f32-above-0.3", [det("dog", [10, 10, 30, 40], ABOVE_03)]),
    img("so-other-class-only", [det("cat", [10, 10, 30, 40], 0.99)]),
    img("so-empty-box-zero-size", [det("dog", [0, 0, 0, 0], 0.5)]),
]))
# two_object
P.append((md("two_object", [inc("bench"), inc("sports ball")], prompt="a photo of a bench and a sports ball"), [
    img("two-pass", [det("sports ball", [2, 2, 10, 10], 0.7), det("bench", [20, 5, 60, 40], 0.8)]),
    img("two-second-missing", [det("bench", [20, 5, 60, 40], 0.8), det("sports ball", [2, 2, 10, 10], 0.2)]),
    img("two-first-missing", [det("sports ball", [2, 2, 10, 10], 0.31)]),
    img("two-both-missing", [det("bird", [2, 2, 10, 10], 0.9)]),
]))
# counting: 3 clocks, exclude 4
CNT = md("counting", [inc("clock", 3)], [{"class": "clock", "count": 4}], prompt="a photo of three clocks")
P.append((CNT, [
    img("cnt-exact", grid("clock", 3, 0.95) + grid("clock", 2, 0.85, start=3)),
    img("cnt-under", grid("clock", 2, 0.95) + grid("clock", 3, 0.5, start=2)),
    img("cnt-over-by-one", grid("clock", 4, 0.93)),
    img("cnt-over-by-two", grid("clock", 5, 0.97)),
    img("cnt-none", []),
    img("cnt-score-f32(0.9)-not-counted", grid("clock", 3, 0.95) + [det("clock", [40, 40, 46, 46], F32_09)]),
    img("cnt-score-next-f32-above-0.9", grid("clock", 3, 0.95) + [det("clock", [40, 40, 46, 46], ABOVE_09)]),
    img("cnt-two-under-one-at-0.3", grid("clock", 2, 0.95) + [det("clock", [40, 40, 46, 46], 0.5)]),
    img("cnt-max-objects-18-capped-16", [det("clock", [(i % 8) * 8, (i // 8) * 8, (i % 8) * 8 + 6, (i // 8) * 8 + 6],
                                          0.91 + 0.004 * i) for i in range(18)]),
    img("cnt-overlapping-duplicates-nms-off", [det("clock", [5, 5, 20, 20], 0.99), det("clock", [5, 5, 20, 20], 0.98),
                                               det("clock", [6, 5, 20, 20], 0.97), det("clock", [30, 5, 45, 20], 0.96)]),
    img("cnt-other-class-ignored", grid("clock", 3, 0.95) + grid("vase", 3, 0.95, start=3)),
]))
# colors
COL = md("colors", [inc("fire hydrant", color="blue")], prompt="a photo of a blue fire hydrant")
P.append((COL, [
    img("col-pass", [det("fire hydrant", [4, 4, 30, 40], 0.9, "blue")]),
    img("col-wrong", [det("fire hydrant", [4, 4, 30, 40], 0.9, "red")]),
    img("col-top1-wrong-second-right", [det("fire hydrant", [40, 4, 60, 40], 0.6, "blue"),
                                        det("fire hydrant", [4, 4, 30, 40], 0.9, "white")]),
    img("col-top1-right-second-wrong", [det("fire hydrant", [40, 4, 60, 40], 0.6, "red"),
                                        det("fire hydrant", [4, 4, 30, 40], 0.9, "blue")]),
    img("col-missing", [det("fire hydrant", [4, 4, 30, 40], 0.2, "blue")]),
    img("col-tie-scores-higher-index-first", [det("fire hydrant", [4, 4, 30, 40], 0.75, "blue"),
                                              det("fire hydrant", [40, 4, 60, 40], 0.75, "black")]),
]))
# colours with count > 1 (crafted; the schema allows it): the reason tail lists colours in COLORS order
P.append((md("colors", [inc("cup", 3, color="blue")], prompt="crafted: three blue cups"), [
    img("col3-pass", grid("cup", 3, 0.9, color="blue")),
    img("col3-mixed", [det("cup", [0, 0, 6, 6], 0.9, "white"), det("cup", [8, 0, 14, 6], 0.8, "red"),
                       det("cup", [16, 0, 22, 6], 0.7, "white"), det("cup", [24, 0, 30, 6], 0.6, "blue")]),
    img("col3-two-blue", [det("cup", [0, 0, 6, 6], 0.9, "blue"), det("cup", [8, 0, 14, 6], 0.8, "pink"),
                          det("cup", [16, 0, 22, 6], 0.7, "blue")]),
    img("col3-only-two-found", grid("cup", 2, 0.9, color="blue")),
]))


def pos_md(rel):
    return md("position", [inc("teddy bear"), inc("dog", position=(rel, 0))], prompt=f"a photo of a dog {rel} a teddy bear")


B = [20, 16, 30, 26]  # reference (teddy bear) box
POS = {
    "left of": [2, 16, 12, 26], "right of": [40, 16, 50, 26], "above": [20, 0, 30, 8], "below": [20, 36, 30, 46],
    "diag": [2, 0, 12, 8], "overlap": [21, 17, 31, 27],
}
for rel in ["left of", "right of", "above", "below"]:
    P.append((pos_md(rel), [
        img(f"pos-{rel}-pass", [det("teddy bear", B, 0.9), det("dog", POS[rel], 0.8)]),
        img(f"pos-{rel}-wrong-side", [det("teddy bear", B, 0.9),
                                      det("dog", POS[{"left of": "right of", "right of": "left of",
                                                      "above": "below", "below": "above"}[rel]], 0.8)]),
        img(f"pos-{rel}-overlapping-no-relation", [det("teddy bear", B, 0.9), det("dog", POS["overlap"], 0.8)]),
    ]))
P.append((pos_md("left of"), [
    img("pos-diag-two-relations-pass", [det("teddy bear", B, 0.9), det("dog", POS["diag"], 0.8)]),
    # dx exactly 0.5 in float32: offset 4, dims 10+10, 0.1*20 = 2 -> revised 2 / 4 = 0.5, not < -0.5
    img("pos-dx-exactly-half-no-relation", [det("teddy bear", [10, 10, 20, 20], 0.9), det("dog", [6, 10, 16, 20], 0.8)]),
    img("pos-dx-just-over-half", [det("teddy bear", [10, 10, 20, 20], 0.9), det("dog", [5.9375, 10, 15.9375, 20], 0.8)]),
    # revised offset below 1e-3 on both axes -> empty set
    img("pos-revised-below-1e-3", [det("teddy bear", [10, 10, 20, 20], 0.9), det("dog", [7.9995, 10, 17.9995, 20], 0.8)]),
    img("pos-reference-missing", [det("dog", POS["left of"], 0.8)]),
    img("pos-subject-missing", [det("teddy bear", B, 0.9)]),
    img("pos-both-missing", []),
    img("pos-top1-used-only", [det("teddy bear", B, 0.9), det("teddy bear", [52, 16, 62, 26], 0.5),
                               det("dog", POS["left of"], 0.8), det("dog", POS["right of"], 0.7)]),
]))
P.append((pos_md("below"), [
    img("pos-diag-two-relations-fail", [det("teddy bear", B, 0.9), det("dog", POS["diag"], 0.8)]),
]))
# position with counts 2 (crafted): nested loop over found x target, first failing pair breaks
P.append((md("position", [inc("teddy bear", 2), inc("dog", 2, position=("left of", 0))], prompt="crafted: two dogs left of two teddy bears"), [
    img("pos2-pass", [det("teddy bear", [40, 4, 50, 14], 0.9), det("teddy bear", [40, 30, 50, 40], 0.85),
                      det("dog", [2, 4, 12, 14], 0.8), det("dog", [2, 30, 12, 40], 0.75)]),
    img("pos2-second-dog-fails", [det("teddy bear", [40, 4, 50, 14], 0.9), det("teddy bear", [40, 30, 50, 40], 0.85),
                                  det("dog", [2, 4, 12, 14], 0.8), det("dog", [52, 30, 62, 40], 0.75)]),
    img("pos2-one-target-only", [det("teddy bear", [40, 4, 50, 14], 0.9),
                                 det("dog", [2, 4, 12, 14], 0.8), det("dog", [2, 30, 12, 40], 0.75)]),
]))
# color_attr
CA = md("color_attr", [inc("wine glass", color="purple"), inc("apple", color="black")],
        prompt="a photo of a purple wine glass and a black apple")
P.append((CA, [
    img("ca-pass", [det("wine glass", [2, 2, 20, 40], 0.8, "purple"), det("apple", [30, 20, 50, 40], 0.7, "black")]),
    img("ca-first-wrong", [det("wine glass", [2, 2, 20, 40], 0.8, "black"), det("apple", [30, 20, 50, 40], 0.7, "black")]),
    img("ca-second-wrong", [det("wine glass", [2, 2, 20, 40], 0.8, "purple"), det("apple", [30, 20, 50, 40], 0.7, "red")]),
    img("ca-both-swapped", [det("wine glass", [2, 2, 20, 40], 0.8, "black"), det("apple", [30, 20, 50, 40], 0.7, "purple")]),
    img("ca-first-missing-second-wrong", [det("apple", [30, 20, 50, 40], 0.7, "green")]),
    img("ca-both-missing", [det("wine glass", [2, 2, 20, 40], 0.29, "purple")]),
]))
# colour and position in one clause (crafted; never both in the official file, but the code handles it)
P.append((md("color_attr", [inc("cat", color="orange"), inc("dog", color="brown", position=("right of", 0))],
             prompt="crafted: a brown dog right of an orange cat"), [
    img("cp-pass", [det("cat", [2, 10, 12, 20], 0.9, "orange"), det("dog", [40, 10, 50, 20], 0.8, "brown")]),
    img("cp-colour-fails-position-skipped", [det("cat", [2, 10, 12, 20], 0.9, "orange"),
                                             det("dog", [2, 30, 12, 40], 0.8, "yellow")]),
    img("cp-colour-ok-position-fails", [det("cat", [40, 10, 50, 20], 0.9, "orange"), det("dog", [2, 10, 12, 20], 0.8, "brown")]),
    img("cp-target-colour-fails-no-target", [det("cat", [2, 10, 12, 20], 0.9, "red"), det("dog", [40, 10, 50, 20], 0.8, "brown")]),
]))
# exclude on another class (crafted) and a tag outside the six
P.append((md("two_object", [inc("car"), inc("bus")], [{"class": "truck", "count": 1}, {"class": "train", "count": 2}],
             prompt="crafted: a car and a bus, no truck"), [
    img("ex-pass", [det("car", [0, 0, 10, 10], 0.9), det("bus", [20, 0, 40, 20], 0.9), det("train", [0, 30, 10, 40], 0.9)]),
    img("ex-truck-present", [det("car", [0, 0, 10, 10], 0.9), det("bus", [20, 0, 40, 20], 0.9), det("truck", [0, 30, 10, 40], 0.5)]),
    img("ex-missing-and-excluded", [det("car", [0, 0, 10, 10], 0.9), det("truck", [0, 30, 10, 40], 0.5),
                                    det("train", [20, 30, 30, 40], 0.5), det("train", [40, 30, 50, 40], 0.4)]),
]))

# ---------------------------------------------------------------- other option sets

NMS_P = [
    (md("counting", [inc("clock", 2)], [{"class": "clock", "count": 3}], prompt="a photo of two clocks"), [
        # IoU (inclusive pixels): [0,0,9,9] vs [0,0,9,4] = 50/100 = 0.5 -> suppressed (>= 0.5)
        img("nms-iou-exactly-half-suppressed", [det("clock", [0, 0, 9, 9], 0.99), det("clock", [0, 0, 9, 4], 0.98),
                                                det("clock", [30, 0, 39, 9], 0.97)]),
        # [0,0,9,9] vs [0,0,9,3]: 40/100 -> kept
        img("nms-iou-below-kept", [det("clock", [0, 0, 9, 9], 0.99), det("clock", [0, 0, 9, 3], 0.98),
                                   det("clock", [30, 0, 39, 9], 0.97)]),
        img("nms-chain", [det("clock", [0, 0, 9, 9], 0.99), det("clock", [5, 0, 14, 9], 0.98),
                          det("clock", [10, 0, 19, 9], 0.97), det("clock", [1, 0, 10, 9], 0.96)]),
        img("nms-fractional-boxes", [det("clock", [0.5, 0.25, 9.75, 9.5], 0.99), det("clock", [0.5, 0.25, 9.75, 4.6], 0.98),
                                     det("clock", [30, 0, 39, 9], 0.97)]),
    ]),
]
OPT_P = [
    (md("single_object", [inc("dog")], prompt="a photo of a dog"), [
        img("opt-threshold-0.5-fail", [det("dog", [10, 10, 30, 40], 0.45)]),
        img("opt-threshold-0.5-pass", [det("dog", [10, 10, 30, 40], 0.55)]),
    ]),
    (md("counting", [inc("clock", 2)], [{"class": "clock", "count": 3}], prompt="a photo of two clocks"), [
        img("opt-counting-0.6-max-objects-3", grid("clock", 5, 0.65)),
        img("opt-counting-0.6-two", grid("clock", 2, 0.65) + grid("clock", 2, 0.55, start=2)),
    ]),
    (pos_md("left of"), [
        # offset 6, dims 10+10: 0.25*20 = 5 -> revised 1 / 6 < 0.5 -> no relation with position_threshold 0.25
        img("opt-position-threshold-0.25", [det("teddy bear", [10, 10, 20, 20], 0.9), det("dog", [4, 10, 14, 20], 0.8)]),
    ]),
]

RUNS = [
    ("defaults", [], P),
    ("max_overlap=0.5", ["max_overlap=0.5"], NMS_P),
    ("threshold=0.5 counting_threshold=0.6 max_objects=3 position_threshold=0.25",
     ["threshold=0.5", "counting_threshold=0.6", "max_objects=3", "position_threshold=0.25"], OPT_P),
]


def mask_of(box, size):
    w, h = size
    m = np.zeros((h, w), dtype=bool)
    x1, y1, x2, y2 = [int(round(v)) for v in box]
    m[max(y1, 0):max(y2, 0), max(x1, 0):max(x2, 0)] = True
    return m


def run(options, prompts, work):
    imagedir = os.path.join(work, "images")
    st.DETECTIONS.clear()
    colors_by_path = {}
    cases = {}
    for pi, (meta, images) in enumerate(prompts):
        folder = f"{pi:0>5}"
        os.makedirs(os.path.join(imagedir, folder, "samples"))
        with open(os.path.join(imagedir, folder, "metadata.jsonl"), "w") as f:
            json.dump(meta, f)
        for ii, im in enumerate(images):
            path = os.path.join(imagedir, folder, "samples", f"{ii:05}.png")
            w, h = im["size"]
            Image.new("RGB", (w, h), (10 * ii % 255, 100, 200)).save(path)
            bbox = [np.zeros((0, 5), dtype=np.float32) for _ in CLASSNAMES]
            segm = [[] for _ in CLASSNAMES]
            colors = colors_by_path[path] = {}
            for d in im["detections"]:
                c = CLASSNAMES.index(d["class"])
                row = np.array(d["box"] + [d["score"]], dtype=np.float32)
                bbox[c] = np.concatenate([bbox[c], row[None]], axis=0)
                segm[c].append(mask_of(d["box"], im["size"]))
                if "color" in d:
                    assert st.box_key(row) not in colors
                    colors[st.box_key(row)] = d["color"]
            st.DETECTIONS[path] = (bbox, segm)
            cases[path] = (folder, ii, im)
    outfile = os.path.join(work, "results.jsonl")
    argv = [os.path.join(SRC, "evaluation", "evaluate_images.py"), imagedir, "--outfile", outfile,
            "--model-path", os.path.join(work, "models")]
    if options:
        argv += ["--options", *options]
    st.COLOR_CALLS.clear()
    calls_by_path = {}
    real_inference = sys.modules["mmdet.apis"].inference_detector

    def inference(model, filepath):
        calls_by_path[filepath] = len(st.COLOR_CALLS)
        st.COLOR_OF.clear()
        st.COLOR_OF.update(colors_by_path[filepath])  # the crafted CLIP answers for this image's objects
        return real_inference(model, filepath)

    sys.modules["mmdet.apis"].inference_detector = inference
    sys.argv = argv
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        runpy.run_path(argv[0], run_name="__main__")
    sys.modules["mmdet.apis"].inference_detector = real_inference
    # colour calls per image: the slice of COLOR_CALLS made while that image was evaluated
    order = sorted(calls_by_path, key=lambda p: calls_by_path[p])
    color_calls = {}
    for i, p in enumerate(order):
        end = calls_by_path[order[i + 1]] if i + 1 < len(order) else len(st.COLOR_CALLS)
        color_calls[p] = [{"templateClass": t.replace("a photo of a {c} ", ""), "boxes": b}
                          for t, b in st.COLOR_CALLS[calls_by_path[p]:end]]
    with open(outfile) as f:
        text = f.read()
    rows = [json.loads(line) for line in text.splitlines()]
    by_folder = {}
    for r in rows:
        folder, ii, im = cases[r["filename"]]
        entry = dict(im)
        entry["name"] = f"{ii:05}.png"
        entry["expected"] = {"correct": r["correct"], "reason": r["reason"], "details": json.loads(r["details"])}
        entry["colorCalls"] = color_calls[r["filename"]]
        by_folder.setdefault(folder, []).append((ii, entry))
    out_prompts = []
    for pi, (meta, images) in enumerate(prompts):
        folder = f"{pi:0>5}"
        out_prompts.append({"folder": folder, "metadata": meta,
                            "images": [e for _, e in sorted(by_folder[folder], key=lambda t: t[0])]})
    # official summary on this results.jsonl
    sys.argv = [os.path.join(SRC, "evaluation", "summary_scores.py"), outfile]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        runpy.run_path(sys.argv[0], run_name="__main__")
    summary_rows = [{"folder": cases[r["filename"]][0], "image": f"{cases[r['filename']][1]:05}.png",
                     "tag": r["tag"], "correct": r["correct"], "metadata": r["metadata"]} for r in rows]
    return {"prompts": out_prompts, "summaryRows": summary_rows, "summaryStdout": buf.getvalue()}


def summary_table(name, seed, spec, images_per_prompt):
    """A results.jsonl written as the official main() writes it (pandas to_json records/lines), with
    `spec` = [(tag, n_images, k_correct)] (tags interleaved in the given order), then the official
    summary_scores.py on it."""
    import random
    rng = random.Random(seed)
    rows = []
    for tag, n, k in spec:
        flags = [True] * k + [False] * (n - k)
        rng.shuffle(flags)
        for i, c in enumerate(flags):
            ipp = images_per_prompt if isinstance(images_per_prompt, int) else images_per_prompt(i)
            meta = {"tag": tag, "prompt": f"p{i // ipp}"}
            rows.append({"filename": f"x/{tag}/{i}.png", "tag": tag, "prompt": meta["prompt"], "correct": c,
                         "reason": "" if c else "r", "metadata": json.dumps(meta), "details": "{}"})
    rng.shuffle(rows)
    with tempfile.TemporaryDirectory(prefix="geneval-summary-") as work:
        path = os.path.join(work, "results.jsonl")
        with open(path, "w") as fp:
            pd.DataFrame(rows).to_json(fp, orient="records", lines=True)
        with open(path) as fp:
            read = [json.loads(line) for line in fp.read().splitlines()]
        sys.argv = [os.path.join(SRC, "evaluation", "summary_scores.py"), path]
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            runpy.run_path(sys.argv[0], run_name="__main__")
    metas = list(dict.fromkeys(r["metadata"] for r in read))
    index = {m: i for i, m in enumerate(metas)}
    # compact: one "tag<TAB>0|1<TAB>index into metadata" string per results.jsonl row, in file order
    return {"name": name, "metadata": metas,
            "rows": [f"{r['tag']}\t{int(r['correct'])}\t{index[r['metadata']]}" for r in read],
            "stdout": buf.getvalue()}


SUMMARY_TABLES = [
    ("official-denominators-with-.2%-ties", 1,
     [("single_object", 320, 314), ("two_object", 396, 150), ("counting", 320, 2), ("colors", 376, 301),
      ("position", 400, 41), ("color_attr", 400, 27)], 4),
    ("readme-sd15-like", 2,
     [("single_object", 320, 310), ("two_object", 396, 150), ("counting", 320, 112), ("colors", 376, 286),
      ("position", 400, 16), ("color_attr", 400, 24)], 4),
    ("uneven-prompts-all-wrong-tag", 3,
     [("counting", 7, 3), ("position", 5, 0), ("colors", 13, 13), ("two_object", 1, 1)], lambda i: 1 + i % 3),
    ("one-tag", 4, [("single_object", 3, 1)], 1),
    ("k-over-320-ties", 5, [("t%d" % k, 320, k) for k in (1, 2, 6, 10, 13, 45, 157, 319)], 4),
]


def main():
    st.install(os.path.join(tempfile.gettempdir(), "fake-mmdet"))
    tables = [summary_table(*t) for t in SUMMARY_TABLES]
    out_runs = []
    for name, options, prompts in RUNS:
        with tempfile.TemporaryDirectory(prefix="geneval-golden-") as work:
            r = run(options, prompts, work)
        out_runs.append({"name": name, "options": dict(o.split("=", 1) for o in options), **r})
    write_json(OUT, mask_upstream_text({
        "source": f"djghosh13/geneval@{COMMIT} evaluation/evaluate_images.py + evaluation/summary_scores.py "
                  "(run as __main__ with tools/parity/geneval_standins.py for mmdet/open_clip/clip_benchmark/torch)",
        "generator": "tools/parity/geneval_tasks_golden.py",
        "numpy": np.__version__, "pandas": pd.__version__,
        "classNames": {"file": "evaluation/object_names.txt", "count": len(CLASSNAMES),
                       "sha256": sha256_file(os.path.join(SRC, "evaluation", "object_names.txt")),
                       "note": "the tests read the names from the pinned object_names.txt (GENBENCH_TEST_PROMPTS_DIR or the prompt cache; else genbench's built-in copy with the same sha256)"},
        "runs": out_runs,
        "summaryTables": tables,
    }, UPSTREAM_PROMPTS, "geneval-prompt"))
    n = sum(len(p["images"]) for r in out_runs for p in r["prompts"])
    print(f"wrote {OUT}: {len(out_runs)} runs, {n} images")


if __name__ == "__main__":
    main()
