#!/usr/bin/python3
"""Golden values for GenEval's CLIP colour classification (src/suites/geneval/color-classifier.ts) and the
tiny CLIP text-tower fixture.

The OFFICIAL code runs unchanged: GenEval's evaluation/evaluate_images.py (`ImageCrops`,
`color_classification`, git show af4902f), clip_benchmark 1.4.0's metrics/zeroshot_classification.py
(`zero_shot_classifier`, `run_classification`) and open_clip 2.20.0 (model, tokenizer, eval transform).
Only what the script would otherwise download or cannot import here is replaced:

* the CLIP model that `open_clip.create_model_and_transforms("ViT-L-14", pretrained="openai")` returns is a
  REDUCED random-weight instance of the official open_clip 2.20.0 `CLIP` class (QuickGELU, fp32):
  - image tower = exactly the weights of tests/fixtures/models/clip-l14-tiny.onnx (VisionTransformer 224 px,
    patch 14, width 48, 2 layers, 2 heads, output 24; rebuilt with the recipe of
    tools/parity/clip_consistency_aesthetic_golden.py and loaded into open_clip's VisionTransformer);
  - text tower = open_clip's text transformer, context 77, vocabulary 49408 (all CLIP ids stay valid),
    width 8, 2 layers, 2 heads, projection 8 -> 24, re-drawn from seed TEXT_SEED with larger scales
    (`init_text`) so that the colour predictions are not all the same;
  the transform is open_clip's own `image_transform(224, is_train=False)` with the OpenAI mean/std (what
  create_model_and_transforms returns third) and the tokenizer open_clip's `tokenize`;
* mmdet: the stand-in of tools/parity/geneval_standins.py (never called: the objects are crafted);
* sklearn (imported at the top of zeroshot_classification.py, unused by the two functions): a stub;
* tqdm: tools/parity/shims/tqdm.py; ftfy: --pydeps (see tools/parity/official_open_clip.py).

amp: clip_benchmark runs both functions under `torch.cuda.amp.autocast()`. On this CPU-only machine that
context DISABLES itself (torch 1.13 warns "CUDA is not available. Disabling"), so these goldens are the fp32
path; the script asserts autocast is off. genbench therefore checks them with `logits: 'fp32'`; the CUDA
run's fp16 logits are its default `'fp16'` setting (the fp32 products rounded to fp16).

The DataLoader is the official one (batch 16, 4 workers). `torch.cuda.is_available` is reported True only
while evaluate_images.py is imported (it asserts CUDA); DEVICE is then set to "cpu".

Inputs: the project's test photos (tools/fixtures/test-images.ts, run first by this script; the test makes
the same files): JPEG 4:2:0, grey, RGBA and palette PNGs, and a JPEG with EXIF orientation 6 (Pillow's decode
equals genbench's, see tests/media/image-io.test.ts), and one PNG with EXIF orientation 6 written here
(tests/fixtures/images/exif-orientation-6.png), each with crafted objects: masks of ellipses,
rings (holes), two blobs, thin strips, tiny and near-full boxes, and one box that is not the mask's tight box
(with .5 coordinates: PIL rounds crop boxes half-to-even). Masks are stored run-length encoded (row-major,
alternating runs of False and True, starting with False). Class names are stored as indices into GenEval's
object_names.txt (read from ../shared/data/upstream by the test). Per case the golden keeps the sha256 of the
file and of its decoded pixels (exif_transpose + convert("RGB")); the test checks the pixels.

Regenerate:
  /usr/bin/python3 tools/parity/geneval_color_golden.py [--geneval M] [--clip-benchmark M] [--open-clip M]
      [--clip M] [--pydeps DIR] [--test-images DIR]

Writes tests/golden/geneval-color.json and tests/fixtures/models/clip-l14-text-tiny.onnx (+ the EXIF PNG);
checked by tests/geneval/color-classifier.test.ts.
"""
import argparse
import hashlib
import math
import os
import sys
import time
import types

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import clip_consistency_aesthetic_golden as ccg  # noqa: E402
import geneval_standins as st  # noqa: E402
import official_clip as oc  # noqa: E402
import official_open_clip as ooc  # noqa: E402
import parity_common as pc  # noqa: E402

GENEVAL_COMMIT = "af4902f24d3ca90ebbb446dd9891a59e0f82725f"
CLIP_BENCHMARK_TAG = "v1.4.0"
CLIP_BENCHMARK_COMMIT = "dbe30ee08707b54bbf072a55cadf2d240843a869"
DEFAULT_GENEVAL = [os.environ.get("GENEVAL_SRC", ""), "/work/.mirror/djghosh13+geneval/repo"]
DEFAULT_CLIP_BENCHMARK = [os.environ.get("CLIP_BENCHMARK_SRC", ""), "/work/.mirror/LAION-AI+CLIP_benchmark/repo"]
UPSTREAM = os.path.abspath(os.path.join(pc.ROOT, "..", "shared", "data", "upstream", "geneval"))
TEXT_SEED = 7
TEXT_CFG = dict(context_length=77, vocab_size=49408, width=8, heads=2, layers=2)
VISION_CFG = dict(layers=2, width=48, head_width=24, patch_size=14, image_size=224)
EMBED_DIM = 24
TEXT_FIXTURE = "clip-l14-text-tiny.onnx"
EXIF_IMAGE = "exif-orientation-6.png"
TEXT_INIT_NOTE = ("torch.manual_seed(TEXT_SEED) before the official CLIP constructor; then, continuing the stream, every "
                  "text parameter in named_parameters() order: token_embedding N(0,1), positional_embedding N(0,0.5^2), "
                  "text_projection N(0,1/width), other matrices N(0, 2^2/fan_in), LayerNorm weights 1+N(0,0.1^2), "
                  "biases N(0,0.1^2)")


def init_text(clip):
    vision = {n for n, _ in clip.visual.named_parameters(prefix="visual")}
    with torch.no_grad():
        for name, p in clip.named_parameters():
            if name in vision or name == "logit_scale":
                continue
            if name == "token_embedding.weight":
                p.copy_(torch.randn_like(p))
            elif name == "positional_embedding":
                p.copy_(0.5 * torch.randn_like(p))
            elif name == "text_projection":
                p.copy_(torch.randn_like(p) / math.sqrt(p.shape[0]))
            else:
                pc.init_rest(name, p, 2.0)


def build_tiny_clip(model_mod, openai_mod):
    tower = ccg.build_tower(openai_mod, ccg.TOWERS["l14-tiny"])
    torch.manual_seed(TEXT_SEED)
    clip = model_mod.CLIP(EMBED_DIM, vision_cfg=VISION_CFG, text_cfg=TEXT_CFG, quick_gelu=True, cast_dtype=None)
    init_text(clip)
    clip.visual.load_state_dict(tower.visual.state_dict())
    clip.float().eval()
    with torch.no_grad():
        x = torch.randn(2, 3, 224, 224, generator=torch.Generator().manual_seed(0))
        d = (clip.encode_image(x) - tower.encode_image(x)).abs().max().item()
    assert d < 1e-5, f"open_clip and openai image towers differ by {d}"
    return clip, d


# ---------------------------------------------------------------- crafted masks

def tight_box(mask):
    ys, xs = np.nonzero(mask)
    return [float(xs.min()), float(ys.min()), float(xs.max() + 1), float(ys.max() + 1)]


def ellipse(h, w, cx, cy, rx, ry, hole=0.0):
    y, x = np.mgrid[0:h, 0:w]
    r = ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2
    return (r <= 1.0) & (r >= hole * hole)


def rect(h, w, x0, y0, x1, y1):
    m = np.zeros((h, w), dtype=bool)
    m[y0:y1, x0:x1] = True
    return m


def rle(mask):
    flat = mask.reshape(-1)
    runs, cur, n = [], False, 0
    for v in flat:
        if bool(v) == cur:
            n += 1
        else:
            runs.append(n)
            cur, n = bool(v), 1
    runs.append(n)
    return runs


def objects_for(h, w, kinds):
    out = []
    for kind in kinds:
        name, args = kind[0], kind[1:]
        box = None
        if name == "ellipse":
            m = ellipse(h, w, *args)
        elif name == "ring":
            m = ellipse(h, w, *args[:4], hole=args[4])
        elif name == "rect":
            m = rect(h, w, *args)
        elif name == "two-blobs":
            m = ellipse(h, w, *args[0]) | ellipse(h, w, *args[1])
        elif name == "loose-box":  # a mask with a given (non-tight, .5) box
            m = ellipse(h, w, *args[0])
            box = [float(np.float32(v)) for v in args[1]]
        elif name == "full":
            m = np.ones((h, w), dtype=bool)
            m[: h // 7, : w // 5] = False
        else:
            raise ValueError(name)
        assert m.any()
        out.append({"kind": name, "box": box or tight_box(m), "mask": m})
    return out


def cases(classnames, exif_path, media):
    ci = {n: i for i, n in enumerate(classnames)}
    C = []

    def case(name, image, path, cls, kinds, source):
        img = Image.open(path)
        w, h = img.size if source != "exif" else img.size[::-1]
        C.append({"case": name, "image": image, "path": path, "class": ci[cls], "objects": objects_for(h, w, kinds)})

    def gen(name):
        return "generated:" + name, os.path.join(media, name)

    case("fruit-bowl-ellipse-and-ring", *gen("fruit-bowl-512x512.jpg"), "apple",
         [("ellipse", 256, 270, 200, 190), ("ring", 250, 260, 120, 110, 0.6), ("rect", 20, 30, 25, 37)], "media")
    case("market-five-objects", *gen("market-512x480.jpg"), "banana",
         [("ellipse", 120, 110, 90, 70), ("ellipse", 380, 330, 100, 120), ("two-blobs", (100, 380, 40, 50), (420, 90, 50, 40)),
          ("rect", 200, 200, 320, 236), ("full",)], "media")
    case("fur-thin-strips", *gen("fur-texture-512x512.jpg"), "teddy bear",
         [("rect", 10, 40, 13, 300), ("rect", 100, 250, 500, 254), ("ring", 256, 200, 180, 90, 0.3)], "media")
    case("wings-loose-box", *gen("wings-493x356.jpg"), "bird",
         [("loose-box", (246, 178, 120, 90), (120.5, 85.5, 371.5, 270.5)), ("ellipse", 246, 178, 246, 178)], "media")
    case("court-grey", *gen("court-grey-640x480.png"), "sports ball",
         [("ellipse", 320, 240, 100, 100), ("rect", 0, 0, 640, 480)], "media")
    case("chick-rgba", *gen("chick-rgba-512x512.png"), "bird",
         [("ellipse", 256, 256, 150, 200), ("ring", 300, 200, 60, 60, 0.5)], "media")
    small = [("rect", 4 + 30 * (i % 6), 4 + 30 * (i // 6), 4 + 30 * (i % 6) + 5 + i, 4 + 30 * (i // 6) + 7) for i in range(17)]
    case("field-seventeen-small", *gen("field-548x342.jpg"), "person", small, "media")
    case("poster-palette", *gen("poster-palette-301x219.png"), "kite",
         [("ellipse", 150, 110, 80, 60), ("ring", 220, 60, 50, 40, 0.5), ("rect", 0, 200, 301, 203)], "media")
    case("exif-rotated", "fixture:" + EXIF_IMAGE, exif_path, "car",
         [("ellipse", 24, 40, 20, 30), ("rect", 2, 50, 46, 62)], "exif")
    # stored 320 x 200 with orientation 6: upright 200 x 320, masks in upright coordinates
    case("exif-rotated-jpeg", *gen("rotated-exif6-320x200.jpg"), "umbrella",
         [("ellipse", 100, 160, 60, 90), ("rect", 10, 250, 190, 254), ("loose-box", (60, 60, 30, 40), (29.5, 19.5, 91.5, 100.5))], "exif")
    return C


def write_exif_png(path):
    """A 64x48 pattern PNG (stored landscape) with EXIF Orientation 6: exif_transpose turns it to 48x64."""
    y, x = np.mgrid[0:48, 0:64]
    rgb = np.stack([(x * 4) % 256, (y * 5) % 256, ((x + y) * 3) % 256], axis=-1).astype(np.uint8)
    rgb[5:20, 10:40] = (200, 30, 40)
    rgb[25:45, 30:60] = (20, 60, 210)
    img = Image.fromarray(rgb, "RGB")
    exif = Image.Exif()
    exif[0x0112] = 6
    img.save(path, exif=exif.tobytes(), optimize=False)


# ---------------------------------------------------------------- the official modules

def load_evaluate_images(g_root):
    """evaluate_images.py as a module: it asserts CUDA at import, so torch.cuda.is_available says yes while it
    is imported; DEVICE is then set to "cpu"."""
    real = torch.cuda.is_available
    torch.cuda.is_available = lambda: True
    try:
        ev = pc.load_file("geneval_evaluate_images", os.path.join(g_root, "evaluation", "evaluate_images.py"))
    finally:
        torch.cuda.is_available = real
    ev.DEVICE = "cpu"
    return ev


def load_official(geneval_src, cb_src, clip, transform, tokenize):
    pc.ensure_tqdm()
    fake = os.path.join(pc.ROOT, ".scratch", "fake-mmdet")
    sys.modules.update(st._mmdet(fake))
    oc_pkg = sys.modules["open_clip"]
    oc_pkg.create_model_and_transforms = lambda arch, pretrained=None, device=None, **kw: (clip, None, transform)
    oc_pkg.get_tokenizer = lambda arch: tokenize
    sk = types.ModuleType("sklearn")
    skm = types.ModuleType("sklearn.metrics")

    def unused(*a, **k):
        raise RuntimeError("sklearn is not available here (not used by the colour classification)")

    skm.classification_report = skm.balanced_accuracy_score = unused
    sk.metrics = skm
    sys.modules.update({"sklearn": sk, "sklearn.metrics": skm})
    cb_root = pc.materialise(cb_src, ["clip_benchmark/metrics/zeroshot_classification.py"], CLIP_BENCHMARK_COMMIT,
                             "clip_benchmark/metrics/zeroshot_classification.py", prefix="clip-benchmark-", what="clip_benchmark ")
    pc.package("clip_benchmark", os.path.join(cb_root, "clip_benchmark"))
    pc.package("clip_benchmark.metrics", os.path.join(cb_root, "clip_benchmark", "metrics"))
    g_root = pc.materialise(geneval_src, ["evaluation/evaluate_images.py"], GENEVAL_COMMIT, "evaluation/evaluate_images.py",
                            prefix="geneval-official-", what="GenEval ")
    ev = load_evaluate_images(g_root)
    ev.args = types.SimpleNamespace(options={})
    ev.clip_model, ev.transform, ev.tokenizer = clip, transform, tokenize
    return ev


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--geneval")
    ap.add_argument("--clip-benchmark")
    ap.add_argument("--open-clip")
    ap.add_argument("--clip", help="openai/CLIP mirror (for the image tower of clip-l14-tiny.onnx)")
    ap.add_argument("--pydeps")
    ap.add_argument("--out", default=os.path.join(pc.ROOT, "tests", "golden", "geneval-color.json"))
    ap.add_argument("--models", default=os.path.join(pc.ROOT, "tests", "fixtures", "models"))
    ap.add_argument("--images", default=os.path.join(pc.ROOT, "tests", "fixtures", "images"))
    ap.add_argument("--test-images", help="folder of test images (default: generate them with tools/fixtures/test-images.ts)")
    a = ap.parse_args()
    t0 = time.time()
    torch.set_num_threads(1)
    oc_src = ooc.pick_open_clip(a.open_clip)
    tok_mod = ooc.load_tokenizer_module(oc_src, a.pydeps)
    model_mod, transform_mod = ooc.load_model_modules(oc_src)
    openai_mod = oc.load_clip_model_module(pc.pick_source(a.clip, oc.DEFAULT_CLIP, "CLIP"))
    clip, tower_diff = build_tiny_clip(model_mod, openai_mod)
    consts = sys.modules["open_clip.constants"]
    transform = transform_mod.image_transform(224, is_train=False, mean=consts.OPENAI_DATASET_MEAN, std=consts.OPENAI_DATASET_STD)
    ev = load_official(pc.pick_source(a.geneval, DEFAULT_GENEVAL, "GenEval"),
                       pc.pick_source(a.clip_benchmark, DEFAULT_CLIP_BENCHMARK, "clip_benchmark"), clip, transform, tok_mod.tokenize)
    with torch.cuda.amp.autocast():
        assert not torch.is_autocast_enabled(), "autocast must be off on this CPU-only machine"

    # record what the official functions compute
    calls = {"clf": [], "logits": [], "embeds": [], "pixels": []}
    zsc = ev.zsc
    orig_clf, orig_run = zsc.zero_shot_classifier, zsc.run_classification

    def clf_wrapper(*args, **kw):
        w = orig_clf(*args, **kw)
        calls["clf"].append(w.clone())
        return w

    def run_wrapper(model, classifier, dataloader, device, **kw):
        pred, true = orig_run(model, classifier, dataloader, device, **kw)
        calls["logits"].append(pred.clone())
        with torch.no_grad():
            batches = [x for x, _ in dataloader]
            calls["embeds"].append(torch.cat([model.encode_image(x) for x in batches]))
            calls["pixels"].append([hashlib.sha256(np.ascontiguousarray(r.numpy(), dtype=np.float32).tobytes()).hexdigest()
                                    for x in batches for r in x])
        return pred, true

    zsc.zero_shot_classifier, zsc.run_classification = clf_wrapper, run_wrapper

    with open(os.path.join(UPSTREAM, "evaluation", "object_names.txt")) as f:
        classnames = [line.strip() for line in f]
    os.makedirs(a.images, exist_ok=True)
    exif_path = os.path.join(a.images, EXIF_IMAGE)
    write_exif_png(exif_path)
    out_cases = []
    classifiers = {}
    media = a.test_images or pc.make_test_images()[0]
    for c in cases(classnames, exif_path, media):
        from PIL import ImageOps
        image = ImageOps.exif_transpose(Image.open(c["path"]))
        objs = [(np.asarray(o["box"] + [0.99], dtype=np.float32), o["mask"]) for o in c["objects"]]
        n_clf = len(calls["clf"])
        colors = ev.color_classification(image, objs, classnames[c["class"]])
        if len(calls["clf"]) > n_clf:
            classifiers[c["class"]] = calls["clf"][-1]
        logits = calls["logits"][-1]
        embeds = calls["embeds"][-1]
        out_cases.append({
            "case": c["case"], "image": c["image"], "imageSha256": pc.sha256_file(c["path"]),
            "imagePixelSha256": hashlib.sha256(np.asarray(image.convert("RGB")).tobytes()).hexdigest(),
            "size": list(image.size), "class": c["class"],
            "objects": [{"kind": o["kind"], "box": o["box"], "maskRle": rle(o["mask"])} for o in c["objects"]],
            "colors": colors,
            "logits": logits.tolist(),
            "imageEmbeds": embeds.tolist(),
            "pixelSha256": calls["pixels"][-1],
        })
        print(c["case"], colors, file=sys.stderr)

    # the text tower: ONNX fixture + torch outputs on the colour prompts of one class and a few others
    os.makedirs(a.models, exist_ok=True)
    onnx_path = os.path.join(a.models, TEXT_FIXTURE)
    sha = ooc.export_text_tower(clip, onnx_path)
    texts = [f"a photo of a {c} object" for c in ev.COLORS] + ["", "a photo of a red-colored dog", " ".join(["dog"] * 80)]
    ids = tok_mod.tokenize(texts)
    with torch.no_grad():
        text_embeds = clip.encode_text(ids)
    all_colors = [c for case in out_cases for c in case["colors"]]
    golden = {
        "about": "official GenEval color_classification (ImageCrops + clip_benchmark zero_shot_classifier/run_classification) "
                 "with a tiny open_clip CLIP; amp disabled (CPU): fp32 logits",
        "source": {"geneval": GENEVAL_COMMIT, "clip_benchmark": CLIP_BENCHMARK_TAG, "clip_benchmark_commit": CLIP_BENCHMARK_COMMIT,
                   "open_clip": ooc.OPEN_CLIP_TAG, "open_clip_commit": ooc.OPEN_CLIP_COMMIT, "torch": torch.__version__,
                   "pillow": Image.__version__, "amp": "torch.cuda.amp.autocast() disabled itself (no CUDA): fp32"},
        "model": {"imageTower": "clip-l14-tiny.onnx", "textTower": TEXT_FIXTURE, "textTowerSha256": sha,
                  "textCfg": TEXT_CFG, "visionCfg": VISION_CFG, "embedDim": EMBED_DIM, "textSeed": TEXT_SEED,
                  "textInit": TEXT_INIT_NOTE, "openaiVsOpenClipImageTower": tower_diff},
        "colors": list(ev.COLORS),
        "colorHistogram": {c: all_colors.count(c) for c in ev.COLORS if c in all_colors},
        "classifiers": {str(k): v.tolist() for k, v in classifiers.items()},
        "cases": out_cases,
        "textTower": {"texts": texts, "inputIds": ids.tolist(), "textEmbeds": text_embeds.tolist()},
    }
    pc.write_json(a.out, golden)
    print(f"{len(out_cases)} cases, colours {golden['colorHistogram']}; {TEXT_FIXTURE} {os.path.getsize(onnx_path)} bytes "
          f"sha256 {sha}; {time.time() - t0:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
