#!/usr/bin/python3
"""GenEval end to end with the OFFICIAL evaluator on the project's test photos: the golden of
tests/geneval/end-to-end.test.ts, and the official side of bench/geneval.ts.

1. A sample folder in the official layout (NNNNN = the prompt's line in evaluation_metadata.jsonl,
   metadata.jsonl = that line verbatim, samples/0000j.png) holding the test photos of
   tools/fixtures/test-images.ts (run first by this script; the test makes the same files; Pillow's
   decode converted to RGB, so L, RGBA and palette photos take the R=G=B / alpha-dropped / palette
   pixels, saved as PNG: lossless), the same photos mirrored left-right, two pictures side by side
   (`hcat:A+B`, both cut to the shorter one's top rows), and a few synthetic
   pictures given by integer formulas (`synthetic`, re-drawn by the TypeScript test). The
   prompts (PROMPTS) cover the six tags and were picked, with `--probe`, among those whose classes
   the tiny detector reports on these pictures, so that some images pass and some fail.
2. GenEval's evaluation/evaluate_images.py (git show af4902f; unchanged, loaded as a module with
   CUDA reported available while it is imported, then DEVICE = "cpu", then what its
   `__main__` block does: parse_args, load_models, the five option globals, main(args)) with
   - mmdet: a stand-in whose `init_detector` returns the tiny torch Mask2Former of
     tools/parity/mask2former_golden.py (tools/export/mask2former_net.py config tiny, seed 15:
     the weights of tests/fixtures/models/mask2former-tiny.onnx, checked by re-exporting and
     comparing the file's sha256), and whose `inference_detector(model, filepath)` is what mmdet
     2.x does for GenEval's config: cv2 decode (IMREAD_COLOR), the test pipeline
     (mmdet_preprocess_golden.preprocess), the network, MaskFormerFusionHead's instance
     post-processing (softmax, "no object" dropped, top 100 query x class with
     `topk(sorted=False)`, masks upsampled through the padded and resized sizes, binary = logit > 0,
     mask score, score = prob x mask score, boxes = mask2bbox), returned as mmdet's
     `(bbox_results, mask_results)`: 80 float32 arrays N x 5 and 80 lists of bool H x W masks;
   - open_clip / clip_benchmark: the tiny CLIP of tools/parity/geneval_color_golden.py (the
     official open_clip 2.20 CLIP class with the weights of clip-l14-tiny.onnx and
     clip-l14-text-tiny.onnx) and the official clip_benchmark 1.4.0 functions; amp disables
     itself on this CPU machine, so the colour logits are fp32 (genbench: `logits: 'fp32'`).
3. GenEval's evaluation/summary_scores.py on the results.jsonl it wrote.

Writes tests/golden/geneval-end-to-end.json: per image its source, the sha256 of its RGB pixels,
the official row (correct, reason, details, metadata, tag; the prompt text masked as
{{geneval-prompt:i}}, the file name relative to the folder), and margins that explain a flip:
the detection score closest to its threshold (over every detection of the image), the mask
logit closest to 0 among the objects the evaluator kept, the smallest top-1 / top-2 gap of
the CLIP colour logits, and how much any detection score changes when the decoder's
attention-mask threshold moves by +-1e-4 (see Detector.score_sensitivity), and per kept
detection the score slack of its near-zero mask logits (|logit| <= 1e-3; see `postprocess`); then the summary text: of the results.jsonl main() wrote (folders in
os.listdir order) and of the same rows in folder/image order (what genbench writes).

Regenerate (the upstream prompt files are read from ../shared/data/upstream/geneval, or --upstream):
  /usr/bin/python3 tools/parity/geneval_end_to_end_golden.py [--probe] [--pydeps DIR] [--test-images DIR]
After a change of the test photos, run --probe and re-pick PROMPTS so that all six tags are covered
with passing and failing images.

With --bench DIR --config full: times the official evaluation loop (main()) on the folder DIR
with a full-size random-weight Mask2Former (tools/export/mask2former.py --random-weights
--config full --seed SEED) and the tiny CLIP, and prints a JSON line of timings (bench/geneval.ts
reads it).
"""
import argparse
import contextlib
import hashlib
import io
import json
import os
import runpy
import shutil
import sys
import tempfile
import time
import types

# The official reason "found X and Y target" joins a Python set: fix the hash seed (reproducible golden).
if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from PIL import Image  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "export"))
import mask2former as exporter  # noqa: E402
import parity_common as pc  # noqa: E402
from mmdet_preprocess_golden import preprocess  # noqa: E402

GENEVAL_COMMIT = "af4902f24d3ca90ebbb446dd9891a59e0f82725f"
MEDIA = None  # the folder of generated test photos (set by main)
UPSTREAM = os.path.abspath(os.path.join(pc.ROOT, "..", "shared", "data", "upstream", "geneval"))
DETECTOR_SEED = 15  # tools/parity/mask2former_golden.py SEED
TOP_K = 100
NEAR_ZERO = 1e-3  # tools/parity/mask2former_golden.py AMBIGUOUS
ATTENTION_SHIFT = 1e-4  # the size of ONNX Runtime's logit differences from torch (mask2former_golden.py uses 2e-5)
NUM_CLASSES = 80
OUT = os.path.join(pc.ROOT, "tests", "golden", "geneval-end-to-end.json")
TINY_ONNX = os.path.join(pc.ROOT, "tests", "fixtures", "models", "mask2former-tiny.onnx")
PHOTOS = ["fruit-bowl-512x512.jpg", "fur-texture-512x512.jpg", "court-grey-640x480.png", "court-grey-moved-640x480.png",
          "wings-493x356.jpg", "chick-rgba-512x512.png", "market-512x480.jpg", "room-512x384.jpg", "field-548x342.jpg",
          "orange-512x512.jpg", "poster-palette-301x219.png", "panorama-1000x61.png"]
SYNTHETIC = ["gradient", "blocks", "checker"]
# The evaluator's options for this run (its --options): counting_threshold lowered from 0.9, which
# no detection of the random-weight tiny detector reaches (its scores stay below ~0.6), so that
# counting images pass and fail on real counts; everything else at the official defaults.
OPTIONS = ["counting_threshold=0.4"]

# prompt index (line of evaluation_metadata.jsonl) -> the images of its folder, in sample order.
# An image is "photo:NAME", "flip:NAME" (mirrored left-right), "synthetic:NAME" or "hcat:A+B" (images A and B
# side by side, cut to the shorter one's top rows). The position pass (bottle right of train) needs such a
# composition: on no photo, mirrored or not, does the random-weight detector put the top bottle right of the top
# train (the only position prompt whose two classes it reports on several photos); this one was found by
# running the detector on compositions and applying GenEval's relative-position rule.
PROMPTS = {
    24: ["synthetic:gradient", "synthetic:blocks"],                                      # single_object
    66: ["photo:fruit-bowl-512x512.jpg"],                                                # single_object
    86: ["photo:fur-texture-512x512.jpg", "photo:fruit-bowl-512x512.jpg"],               # two_object
    187: ["photo:room-512x384.jpg", "photo:fur-texture-512x512.jpg"],                    # counting
    302: ["photo:court-grey-640x480.png", "photo:court-grey-moved-640x480.png"],         # colors
    309: ["photo:market-512x480.jpg"],                                                   # colors
    365: ["photo:court-grey-640x480.png", "flip:court-grey-moved-640x480.png",           # position
          "hcat:flip:panorama-1000x61.png+flip:court-grey-640x480.png"],
    461: ["photo:court-grey-moved-640x480.png", "flip:court-grey-640x480.png"],          # color_attr
    523: ["photo:room-512x384.jpg"],                                                     # color_attr
}


# ---------------------------------------------------------------- images

def synthetic(name):
    """384 x 512 RGB pictures from integer formulas (tests/geneval/end-to-end.test.ts draws the same)."""
    h, w = 384, 512
    y, x = np.mgrid[0:h, 0:w]
    img = np.zeros((h, w, 3), dtype=np.uint8)
    if name == "gradient":
        img[..., 0] = x * 255 // (w - 1)
        img[..., 1] = y * 255 // (h - 1)
        img[..., 2] = (x + y) % 256
    elif name == "blocks":
        img[:] = 153
        img[40:200, 60:220] = (200, 30, 40)
        img[180:340, 300:470] = (30, 60, 200)
        img[250:330, 40:180] = (240, 220, 40)
    elif name == "checker":
        on = (((x >> 5) + (y >> 5)) & 1).astype(bool)
        img[on] = (230, 200, 40)
        img[~on] = (20, 30, 90)
    else:
        raise ValueError(name)
    return img


def picture(spec):
    kind, name = spec.split(":", 1)
    if kind == "hcat":
        # two pictures side by side, both cut to the shorter one's top rows (moves what the detector finds)
        left, right = (picture(s) for s in name.split("+"))
        h = min(left.shape[0], right.shape[0])
        return np.ascontiguousarray(np.concatenate([left[:h], right[:h]], axis=1))
    if kind == "synthetic":
        return synthetic(name)
    rgb = np.asarray(Image.open(os.path.join(MEDIA, name)).convert("RGB"))
    if kind == "flip":
        rgb = np.ascontiguousarray(rgb[:, ::-1])
    elif kind != "photo":
        raise ValueError(spec)
    return rgb


def pixel_sha256(rgb):
    return hashlib.sha256(np.ascontiguousarray(rgb, dtype=np.uint8).tobytes()).hexdigest()


def write_folder(root, prompts, metadata_lines):
    """The official layout; returns {relative image path: spec}."""
    files = {}
    for index, specs in prompts.items():
        folder = os.path.join(root, f"{index:05}")
        os.makedirs(os.path.join(folder, "samples"))
        with open(os.path.join(folder, "metadata.jsonl"), "w") as f:
            f.write(metadata_lines[index] + "\n")
        for j, spec in enumerate(specs):
            rel = f"{index:05}/samples/{j:05}.png"
            Image.fromarray(picture(spec), "RGB").save(os.path.join(root, rel))
            files[rel] = spec
    return files


# ---------------------------------------------------------------- detector (mmdet stand-in)

class Detector:
    """The torch Mask2Former and mmdet 2.x's inference_detector for it; remembers, per file, the
    mask logits at the original size of every returned query (for the margins)."""

    def __init__(self, model):
        self.model = model
        self.logits = {}  # filepath -> {(label, row in class): logits tensor H x W}
        self.rows = {}  # filepath -> bbox_results
        self.current = None  # the file being evaluated
        self.seconds = 0.0  # inference_detector calls
        self.measure_sensitivity = False
        self.sensitivity = {}  # filepath -> largest change of any query x class score for the attention shift
        self.network_seconds = 0.0  # the network's forward only

    def __call__(self, model, filepath):
        assert model is self.model
        self.current = filepath
        t0 = time.perf_counter()
        bgr = cv2.imread(filepath, cv2.IMREAD_COLOR)
        x, (nh, nw) = preprocess(bgr)
        with torch.no_grad():
            t1 = time.perf_counter()
            cls, mask = self.model(torch.from_numpy(x)[None])
            self.network_seconds += time.perf_counter() - t1
            out = postprocess(cls[0], mask[0], (nh, nw), bgr.shape[:2])
        bbox, segm, logits = out
        if self.measure_sensitivity:
            self.sensitivity[filepath] = self.score_sensitivity(x, (nh, nw), bgr.shape[:2], cls[0], mask[0])
        self.logits[filepath] = logits
        self.rows[filepath] = bbox
        self.seconds += time.perf_counter() - t0
        return bbox, segm


    def score_sensitivity(self, x, img_hw, ori_hw, cls, mask):
        """Largest change of any query x class detection score (prob x mask score) when the
        decoder's attention-mask threshold moves by +-ATTENTION_SHIFT (tools/parity/mask2former_golden.py:
        with random weights a few queries attend to keys whose mask logit is within ~1e-5 of 0, and
        another runtime may put such a key on the other side). 0 = nothing there moves."""
        base = score_matrix(cls, mask, img_hw, ori_hw)
        head = self.model.panoptic_head
        worst = 0.0
        try:
            for shift in (ATTENTION_SHIFT, -ATTENTION_SHIFT):
                head.threshold_shift = shift
                with torch.no_grad():
                    c, m = self.model(torch.from_numpy(x)[None])
                worst = max(worst, float((score_matrix(c[0], m[0], img_hw, ori_hw) - base).abs().max()))
        finally:
            head.threshold_shift = 0.0
        return worst


def upsampled(mask_logits, img_hw, ori_hw):
    ph, pw = mask_logits.shape[-2] * 4, mask_logits.shape[-1] * 4
    m = F.interpolate(mask_logits[None], size=(ph, pw), mode="bilinear", align_corners=False)
    m = m[:, :, :img_hw[0], :img_hw[1]]
    return F.interpolate(m, size=tuple(ori_hw), mode="bilinear", align_corners=False)[0]


def score_matrix(cls_logits, mask_logits, img_hw, ori_hw):
    """prob x mask score of every query x class (what top-100 picks from)."""
    m = upsampled(mask_logits, img_hw, ori_hw)
    binary = m > 0
    mask_scores = (m.sigmoid() * binary).flatten(1).sum(1) / (binary.flatten(1).sum(1) + 1e-6)
    return F.softmax(cls_logits, dim=-1)[:, :-1] * mask_scores[:, None]


def postprocess(cls_logits, mask_logits, img_hw, ori_hw):
    """MaskFormerFusionHead.instance_postprocess (mmdet 2.x) after MaskFormer's upsampling, then
    bbox2result / the per-class mask lists of MaskFormer.simple_test."""
    m = upsampled(mask_logits, img_hw, ori_hw)
    scores = F.softmax(cls_logits, dim=-1)[:, :-1]
    labels = torch.arange(NUM_CLASSES).unsqueeze(0).repeat(cls_logits.shape[0], 1).flatten(0, 1)
    top, idx = scores.flatten(0, 1).topk(TOP_K, sorted=False)
    labels = labels[idx]
    queries = idx // NUM_CLASSES
    mp = m[queries]
    binary = mp > 0
    mask_scores = (mp.sigmoid() * binary).flatten(1).sum(1) / (binary.flatten(1).sum(1) + 1e-6)
    det_scores = top * mask_scores
    boxes = torch.zeros((len(queries), 4), dtype=torch.float32)
    x_any, y_any = binary.any(1), binary.any(2)
    for i in range(len(queries)):
        xs, ys = torch.where(x_any[i])[0], torch.where(y_any[i])[0]
        if len(xs) > 0 and len(ys) > 0:
            boxes[i] = torch.tensor([xs[0], ys[0], xs[-1] + 1, ys[-1] + 1], dtype=torch.float32)
    dets = torch.cat([boxes, det_scores[:, None]], dim=-1).numpy()
    labels = labels.numpy()
    bbox = [dets[labels == c, :] for c in range(NUM_CLASSES)]
    segm = [[] for _ in range(NUM_CLASSES)]
    logits = {}
    for j, c in enumerate(labels.tolist()):
        area, near = int(binary[j].sum()), int((mp[j].abs() <= NEAR_ZERO).sum())
        # near-zero mask logits on the other side of 0 move the mask score (a mean of sigmoids over the
        # mask) by about near * |0.5 - mask score| / (area - near): the slack of tests/geneval/mask2former-onnx.test.ts
        slack = float(top[j]) * near * abs(0.5 - float(mask_scores[j])) / max(area - near, 1)
        logits[(c, len(segm[c]))] = (mp[j], slack)
        segm[c].append(binary[j].numpy())
    return bbox, segm, logits


def tiny_detector():
    model = exporter.build_model(config="tiny", seed=DETECTOR_SEED).eval()
    with tempfile.TemporaryDirectory(prefix="m2f-tiny-") as d:
        sha = exporter.export_onnx(model, os.path.join(d, "tiny.onnx"), 224, 320, fp16=True)
    assert sha == pc.sha256_file(TINY_ONNX), "the rebuilt tiny Mask2Former is not the weights of mask2former-tiny.onnx"
    return model


# ---------------------------------------------------------------- probe

def probe(classnames):
    det = Detector(tiny_detector())
    specs = [f"photo:{p}" for p in PHOTOS] + [f"flip:{p}" for p in PHOTOS] + [f"synthetic:{s}" for s in SYNTHETIC]
    with tempfile.TemporaryDirectory(prefix="geneval-probe-") as d:
        for spec in specs:
            path = os.path.join(d, spec.replace(":", "_") + ".png")
            Image.fromarray(picture(spec), "RGB").save(path)
            t0 = time.perf_counter()
            bbox, _ = det(det.model, path)
            found = []
            for c in range(NUM_CLASSES):
                s = bbox[c][:, 4]
                for r in bbox[c][np.argsort(s)[::-1]]:
                    if r[4] > 0.3:
                        found.append((round(float(r[4]), 3), classnames[c], [int(v) for v in r[:4]]))
            found.sort(reverse=True)
            print(f"{spec} ({time.perf_counter() - t0:.1f}s): {found}")


# ---------------------------------------------------------------- official run

def load_official(geneval_src, cb_src, detector, clip, transform, tokenize):
    """evaluate_images.py as a module, with the stand-ins in sys.modules."""
    import geneval_color_golden as gcg
    pc.ensure_tqdm()
    mmdet = types.ModuleType("mmdet")
    mmdet.__file__ = os.path.join(pc.ROOT, ".scratch", "fake-mmdet", "mmdet", "__init__.py")
    apis = types.ModuleType("mmdet.apis")
    apis.init_detector = lambda config, ckpt, device=None: detector.model
    apis.inference_detector = detector
    mmdet.apis = apis
    sys.modules.update({"mmdet": mmdet, "mmdet.apis": apis})
    oc_pkg = sys.modules["open_clip"]
    oc_pkg.create_model_and_transforms = lambda arch, pretrained=None, device=None, **kw: (clip, None, transform)
    oc_pkg.get_tokenizer = lambda arch: tokenize
    sk, skm = types.ModuleType("sklearn"), types.ModuleType("sklearn.metrics")

    def unused(*a, **k):
        raise RuntimeError("sklearn is not available here (not used by the colour classification)")

    skm.classification_report = skm.balanced_accuracy_score = unused
    sk.metrics = skm
    sys.modules.update({"sklearn": sk, "sklearn.metrics": skm})
    cb_root = pc.materialise(cb_src, ["clip_benchmark/metrics/zeroshot_classification.py"], gcg.CLIP_BENCHMARK_COMMIT,
                             "clip_benchmark/metrics/zeroshot_classification.py", prefix="clip-benchmark-", what="clip_benchmark ")
    pc.package("clip_benchmark", os.path.join(cb_root, "clip_benchmark"))
    pc.package("clip_benchmark.metrics", os.path.join(cb_root, "clip_benchmark", "metrics"))
    g_root = pc.materialise(geneval_src, ["evaluation/evaluate_images.py", "evaluation/summary_scores.py",
                                          "evaluation/object_names.txt"], GENEVAL_COMMIT,
                            "evaluation/evaluate_images.py", prefix="geneval-official-", what="GenEval ")
    ev = gcg.load_evaluate_images(g_root)
    return ev, g_root


def tiny_clip(args):
    """The tiny open_clip CLIP of geneval_color_golden.py, its eval transform and tokenizer."""
    import geneval_color_golden as gcg
    import official_clip as oc
    import official_open_clip as ooc
    oc_src = ooc.pick_open_clip(args.open_clip)
    tok_mod = ooc.load_tokenizer_module(oc_src, args.pydeps)
    model_mod, transform_mod = ooc.load_model_modules(oc_src)
    openai_mod = oc.load_clip_model_module(pc.pick_source(args.clip, oc.DEFAULT_CLIP, "CLIP"))
    clip, _ = gcg.build_tiny_clip(model_mod, openai_mod)
    consts = sys.modules["open_clip.constants"]
    transform = transform_mod.image_transform(224, is_train=False, mean=consts.OPENAI_DATASET_MEAN, std=consts.OPENAI_DATASET_STD)
    return clip, transform, tok_mod.tokenize


def run_official(ev, g_root, imagedir, outfile, options):
    """What evaluate_images.py's __main__ block does, with this argv; returns seconds of main()."""
    sys.argv = [os.path.join(g_root, "evaluation", "evaluate_images.py"), imagedir, "--outfile", outfile,
                "--model-path", os.path.join(pc.ROOT, ".scratch", "fake-mmdet"), "--options", *options]
    ev.args = ev.parse_args()
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        ev.object_detector, (ev.clip_model, ev.transform, ev.tokenizer), ev.classnames = ev.load_models(ev.args)
    ev.THRESHOLD = float(ev.args.options.get('threshold', 0.3))
    ev.COUNTING_THRESHOLD = float(ev.args.options.get('counting_threshold', 0.9))
    ev.MAX_OBJECTS = int(ev.args.options.get('max_objects', 16))
    ev.NMS_THRESHOLD = float(ev.args.options.get('max_overlap', 1.0))
    ev.POSITION_THRESHOLD = float(ev.args.options.get('position_threshold', 0.1))
    t0 = time.perf_counter()
    ev.main(ev.args)
    return time.perf_counter() - t0


def summary(g_root, outfile):
    sys.argv = [os.path.join(g_root, "evaluation", "summary_scores.py"), outfile]
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        runpy.run_path(sys.argv[0], run_name="__main__")
    return buf.getvalue()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--probe", action="store_true", help="print what the tiny detector finds on every candidate picture")
    ap.add_argument("--geneval")
    ap.add_argument("--clip-benchmark")
    ap.add_argument("--open-clip")
    ap.add_argument("--clip")
    ap.add_argument("--pydeps")
    ap.add_argument("--out", default=OUT)
    ap.add_argument("--bench", help="time the official loop on this sample folder (full-size models) and print JSON")
    ap.add_argument("--config", default="tiny", choices=["tiny", "full"], help="Mask2Former size (--bench)")
    ap.add_argument("--seed", type=int, default=0, help="random-weight seed of the full Mask2Former (--bench)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--options", nargs="*", default=OPTIONS)
    ap.add_argument("--test-images", help="folder of test images (default: generate them with tools/fixtures/test-images.ts)")
    ap.add_argument("--upstream", default=UPSTREAM, help="the upstream GenEval files (prompts/evaluation_metadata.jsonl, evaluation/object_names.txt)")
    a = ap.parse_args()
    global MEDIA
    MEDIA = a.test_images or pc.make_test_images()[0]
    torch.set_num_threads(a.threads)
    import geneval_color_golden as gcg
    with open(os.path.join(a.upstream, "evaluation", "object_names.txt")) as f:
        classnames = [line.strip() for line in f]
    if a.probe:
        probe(classnames)
        return
    if a.bench:
        model = exporter.build_model(config=a.config, seed=a.seed).eval() if a.config == "full" else tiny_detector()
    else:
        model = tiny_detector()
    detector = Detector(model)
    clip, transform, tokenize = tiny_clip(a)
    ev, g_root = load_official(pc.pick_source(a.geneval, gcg.DEFAULT_GENEVAL, "GenEval"),
                               pc.pick_source(a.clip_benchmark, gcg.DEFAULT_CLIP_BENCHMARK, "clip_benchmark"),
                               detector, clip, transform, tokenize)
    with torch.cuda.amp.autocast():
        assert not torch.is_autocast_enabled(), "autocast must be off on this CPU-only machine"
    if a.bench:
        with tempfile.TemporaryDirectory(prefix="geneval-bench-") as d:
            outfile = os.path.join(d, "results.jsonl")
            seconds = run_official(ev, g_root, a.bench, outfile, a.options)
            with open(outfile) as f:
                n = sum(1 for line in f if line.strip())
        print(json.dumps({"images": n, "seconds": seconds, "detector_seconds": detector.seconds,
                          "network_seconds": detector.network_seconds, "threads": a.threads,
                          "detector": a.config, "clip": "tiny"}))
        return

    # record the colour logits of every run_classification call (file being evaluated -> gaps)
    zsc = ev.zsc
    orig_run = zsc.run_classification
    gaps = {}

    def run_wrapper(model, classifier, dataloader, device, **kw):
        pred, true = orig_run(model, classifier, dataloader, device, **kw)
        top2 = torch.topk(pred.float(), 2, dim=1).values
        gaps.setdefault(detector.current, []).extend((top2[:, 0] - top2[:, 1]).tolist())
        return pred, true

    zsc.run_classification = run_wrapper
    detector.measure_sensitivity = True

    with open(os.path.join(a.upstream, "prompts", "evaluation_metadata.jsonl")) as f:
        metadata_lines = [line.rstrip("\n") for line in f if line.strip()]
    upstream_prompts = [json.loads(line)["prompt"] for line in metadata_lines]
    work = tempfile.mkdtemp(prefix="geneval-e2e-")
    try:
        imagedir = os.path.join(work, "images")
        files = write_folder(imagedir, PROMPTS, metadata_lines)
        outfile = os.path.join(work, "results.jsonl")
        run_official(ev, g_root, imagedir, outfile, a.options)
        text = summary(g_root, outfile)
        with open(outfile) as f:
            rows = [json.loads(line) for line in f.read().splitlines()]
        # main() lists folders in os.listdir order, and summary_scores.py prints the tasks in the order
        # they first appear; genbench writes its rows in folder/image order: the same rows in that order,
        # written as main() writes them, give the summary genbench must print.
        import pandas as pd
        rows.sort(key=lambda r: os.path.relpath(r["filename"], imagedir))
        sorted_file = os.path.join(work, "results-sorted.jsonl")
        with open(sorted_file, "w") as fp:
            pd.DataFrame(rows).to_json(fp, orient="records", lines=True)
        text_sorted = summary(g_root, sorted_file)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    opts = dict(o.split("=", 1) for o in a.options)
    thr = float(opts.get("threshold", 0.3))
    cthr = float(opts.get("counting_threshold", 0.9))
    out_images = []
    for r in rows:
        rel = os.path.relpath(r["filename"], imagedir)
        spec = files[rel]
        meta = json.loads(r["metadata"])
        t = cthr if meta["tag"] == "counting" else thr
        details = json.loads(r["details"])
        # margins: every detection's score vs its threshold; kept objects' mask logits; colour gaps
        full = r["filename"]
        score_margin = min(abs(float(row[4]) - t) for rows_c in detector.rows[full] for row in rows_c)
        kept_logits = []
        slack = {}
        for cname, boxes in details.items():
            c = classnames.index(cname)
            slack[cname] = []
            for b in boxes:
                k = _row_of(detector, full, c, b)
                lg, sl = detector.logits[full][(c, k)]
                kept_logits.append(float(lg.abs().min()))
                slack[cname].append(sl)
        out_images.append({
            "file": rel, "source": spec, "pixelSha256": pixel_sha256(picture(spec)),
            "expected": {"tag": r["tag"], "correct": r["correct"], "reason": r["reason"], "details": details,
                         "metadata": r["metadata"], "prompt": r["prompt"]},
            "margins": {"scoreToThreshold": score_margin,
                        "maskLogitNearestZero": min(kept_logits) if kept_logits else None,
                        "colorTop2Gap": min(gaps[full]) if gaps.get(full) else None,
                        "scoreChangeForAttentionShift": detector.sensitivity[full],
                        "scoreSlackForNearZeroMaskLogits": slack},
        })
        print(f"{rel} {spec:26s} {r['tag']:14s} {'OK ' if r['correct'] else 'BAD'} {r['reason']!r} "
              f"margins {out_images[-1]['margins']}", file=sys.stderr)
    golden = {
        "about": "official GenEval evaluate_images.py main() + summary_scores.py on photos in the official layout, "
                 "tiny torch Mask2Former (= mask2former-tiny.onnx) in an mmdet stand-in, tiny open_clip CLIP "
                 "(= clip-l14-tiny.onnx + clip-l14-text-tiny.onnx), fp32 colour logits (amp off on CPU)",
        "generator": "tools/parity/geneval_end_to_end_golden.py",
        "images_from": "tools/fixtures/test-images.ts",
        "source": {"geneval": GENEVAL_COMMIT, "clip_benchmark": gcg.CLIP_BENCHMARK_TAG, "torch": torch.__version__,
                   "opencv": cv2.__version__, "pillow": Image.__version__, "numpy": np.__version__},
        "options": a.options,
        "prompts": {f"{k:05}": v for k, v in PROMPTS.items()},
        "images": out_images,
        "summaryAsListed": text,
        "summary": text_sorted,
    }
    golden = pc.mask_upstream_text(golden, upstream_prompts, "geneval-prompt")
    pc.write_json(a.out, golden)
    n_ok = sum(1 for i in out_images if i["expected"]["correct"])
    print(f"{len(out_images)} images, {n_ok} correct\n{text_sorted}", file=sys.stderr)


def _row_of(detector, filepath, c, box):
    rows = detector.rows[filepath][c]
    for k, row in enumerate(rows):
        if [float(v) for v in row] == [float(v) for v in box]:
            return k
    raise KeyError((c, box))


if __name__ == "__main__":
    main()
