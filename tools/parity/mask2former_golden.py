#!/usr/bin/python3
"""Tiny Mask2Former fixture and its golden (tests/geneval/mask2former-onnx.test.ts).

1. Builds the `tiny` configuration of tools/export/mask2former_net.py (GenEval's detector network:
   same operators and structure, narrower and shallower, 100 queries, 81 logits) with seeded
   random weights that are exact in float16, and exports it with tools/export/mask2former.py's
   export path (dynamic height/width, weights stored as float16) to
   tests/fixtures/models/mask2former-tiny.onnx.
2. For a few test photos (IMAGES, made by tools/fixtures/test-images.ts, which this script runs
   first; the test makes the same files), preprocessed as mmdet's test pipeline does (tools/parity/mmdet_preprocess_golden.py,
   the cv2 calls mmcv makes), runs the torch network and records: the input's sha256, the
   geometry, sums and sampled values of cls_logits and mask_logits, and the instance results of
   mmdet's post-processing (spec geneval.md section 2.3) written here in Python with torch:
   masks upsampled to the padded size, cropped, upsampled to the original size (bilinear,
   align_corners=False); softmax, "no object" dropped, top 100 of the query x class scores;
   binary = logit > 0; mask score; score = prob * mask score; tight box (exclusive right/bottom).
   Per kept (query, label): class prob, mask score, score, box, mask area, and the number of
   near-zero logits (|logit| <= 1e-3) with the boxes they allow (see AMBIGUOUS).
   Also the margins that tell how robust the comparison is: the smallest |mask logit| at the
   original size among kept queries (a binary-mask flip needs an error that large), how much the
   outputs change when the decoder's attention-mask threshold moves by +-2e-5 (see SEED), and the
   gap between the 100th and 101st class probabilities.

Regenerate:
  /usr/bin/python3 tools/parity/mask2former_golden.py [--images DIR] [--names NAME...]
           [--onnx tests/fixtures/models/mask2former-tiny.onnx] [--out tests/golden/mask2former-tiny.json]
--images reads the photos from DIR instead of generating them; --names tries other photos (their
margins are printed: pick ones whose output_change_for_that_shift is 0).
"""
import argparse
import hashlib
import os
import platform
import sys

import cv2
import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tools", "export"))
import mask2former as exporter  # noqa: E402
import mask2former_net as mn  # noqa: E402
import parity_common as pc  # noqa: E402
from mmdet_preprocess_golden import preprocess  # noqa: E402

# Seed and photos (picked with --names among the test photos) chosen so that moving the decoder's attention-mask threshold (sigmoid < 0.5) by a logit of
# +-2e-5 changes nothing on these photos: with random weights some queries attend to a handful of
# keys, and for most seeds a flip of one key there (a logit within ~1e-5 of 0, which another
# runtime can put on the other side) moves outputs by 1e-3..1. Recorded per image in "margins".
SEED = 15
THRESHOLD_SHIFT = 2e-5
IMAGES = ["fruit-bowl-512x512.jpg", "court-grey-moved-640x480.png", "panorama-1000x61.png"]
TRACE_HW = (224, 320)
CLS_STRIDE = 7
MASK_STRIDE = 997
TOP_K = 100
NUM_CLASSES = 80
# Mask logits within this of 0 at the original size are "near zero": another runtime (ORT, within
# 1e-4 of torch) may put them on the other side of the `> 0` threshold. Per instance the golden
# counts them and gives the boxes of `logit > +AMBIGUOUS` and `logit > -AMBIGUOUS`, the bounds
# within which a correct implementation's mask area and box must lie.
AMBIGUOUS = 1e-3


def tight_box(b):
    """mmdet mask2bbox of one binary mask: [x_min, y_min, x_max + 1, y_max + 1], zeros when empty."""
    xs = torch.where(b.any(0))[0]
    ys = torch.where(b.any(1))[0]
    return [0, 0, 0, 0] if len(xs) == 0 else [int(xs[0]), int(ys[0]), int(xs[-1]) + 1, int(ys[-1]) + 1]


def instances(cls_logits, mask_logits, img_hw, ori_hw):
    """mmdet 2.x MaskFormerFusionHead.instance_postprocess after MaskFormerHead/MaskFormer's
    upsampling, for one image; rows sorted by (label, query)."""
    ph, pw = mask_logits.shape[-2] * 4, mask_logits.shape[-1] * 4
    probs = torch.softmax(cls_logits[0], dim=-1)[:, :-1]
    flat = probs.flatten()
    top, idx = flat.topk(TOP_K, sorted=False)
    ordered = flat.sort(descending=True).values
    gap = float(ordered[TOP_K - 1] - ordered[TOP_K])
    labels = idx % NUM_CLASSES
    queries = idx // NUM_CLASSES
    keep = sorted(set(queries.tolist()))
    m = F.interpolate(mask_logits[:, keep], size=(ph, pw), mode="bilinear", align_corners=False)
    m = m[:, :, :img_hw[0], :img_hw[1]]
    m = F.interpolate(m, size=ori_hw, mode="bilinear", align_corners=False)[0]
    binary = m > 0
    mask_score = (m.sigmoid() * binary).flatten(1).sum(1) / (binary.flatten(1).sum(1) + 1e-6)
    per_query = {}
    for j, q in enumerate(keep):
        per_query[q] = {"mask_score": float(mask_score[j]), "box": tight_box(binary[j]), "mask_area": int(binary[j].sum()),
                        "near_zero": int((m[j].abs() <= AMBIGUOUS).sum()),
                        "box_strict": tight_box(m[j] > AMBIGUOUS), "box_loose": tight_box(m[j] > -AMBIGUOUS)}
    rows = []
    for p, lab, q in zip(top.tolist(), labels.tolist(), queries.tolist()):
        r = per_query[q]
        score = float(torch.tensor(p, dtype=torch.float32) * torch.tensor(r["mask_score"], dtype=torch.float32))
        rows.append({"query": q, "label": lab, "prob": p, "score": score, **r})
    rows.sort(key=lambda r: (r["label"], r["query"]))
    min_abs = float(m.abs().min())
    return rows, gap, min_abs


def threshold_sensitivity(model, x, ref):
    """Largest change of the outputs when the decoder's attention-mask threshold moves by
    +-THRESHOLD_SHIFT (a logit error that size in another runtime flips nothing that matters
    when this is 0)."""
    head = model.panoptic_head
    worst = 0.0
    try:
        for shift in (THRESHOLD_SHIFT, -THRESHOLD_SHIFT):
            head.threshold_shift = shift
            with torch.no_grad():
                out = model(x)
            worst = max(worst, *(float((o - r).abs().max()) for o, r in zip(out, ref)))
    finally:
        head.threshold_shift = 0.0
    return worst


def samples(arr, stride):
    """Every `stride`-th value of the flattened array, from index 0."""
    return [float(v) for v in arr.reshape(-1)[::stride]]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--images", help="folder of test images (default: generate them with tools/fixtures/test-images.ts)")
    ap.add_argument("--names", nargs="*", default=IMAGES, help="the test photos to record")
    ap.add_argument("--onnx", default=os.path.join(ROOT, "tests", "fixtures", "models", "mask2former-tiny.onnx"))
    ap.add_argument("--out", default=os.path.join(ROOT, "tests", "golden", "mask2former-tiny.json"))
    args = ap.parse_args()
    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))

    model = exporter.build_model(config="tiny", seed=SEED)
    sha = exporter.export_onnx(model, args.onnx, *TRACE_HW, fp16=True)
    images = {}
    media = args.images or pc.make_test_images(None, args.names)[0]
    for name in args.names:
        bgr = cv2.imread(os.path.join(media, name), cv2.IMREAD_COLOR)
        t, (nh, nw) = preprocess(bgr)
        x = torch.from_numpy(t)[None]
        with torch.no_grad():
            cls, mask = model(x)
        rows, gap, min_abs = instances(cls, mask, (nh, nw), bgr.shape[:2])
        c, mk = cls.numpy(), mask.numpy()
        nonempty = sum(1 for r in rows if r["mask_area"] > 0)
        exact = sum(1 for r in rows if r["near_zero"] == 0)
        images[name] = {
            "input_sha256": hashlib.sha256(t.tobytes()).hexdigest(),
            "geometry": {"padH": t.shape[1], "padW": t.shape[2], "imgH": nh, "imgW": nw, "oriH": bgr.shape[0], "oriW": bgr.shape[1]},
            "cls_logits": {"shape": list(c.shape), "sum": float(c.astype(np.float64).sum()),
                           "abs_sum": float(np.abs(c.astype(np.float64)).sum()), "sample_stride": CLS_STRIDE, "sample": samples(c, CLS_STRIDE)},
            "mask_logits": {"shape": list(mk.shape), "sum": float(mk.astype(np.float64).sum()),
                            "abs_sum": float(np.abs(mk.astype(np.float64)).sum()),
                            "positive_fraction": float((mk > 0).mean()), "sample_stride": MASK_STRIDE,
                            "sample": samples(mk, MASK_STRIDE)},
            "instances": rows,
            "margins": {"top_k_prob_gap": gap, "min_abs_mask_logit_at_original": min_abs,
                        "attention_threshold_shift": THRESHOLD_SHIFT,
                        "output_change_for_that_shift": threshold_sensitivity(model, x, (cls, mask))},
        }
        labels = {r["label"] for r in rows}
        print(f"{name}: {nh}x{nw} in {t.shape[1]}x{t.shape[2]}; {nonempty}/{len(rows)} non-empty masks, "
              f"{len(labels)} labels, {len({r['query'] for r in rows})} queries, {exact} without near-zero logits; margins {images[name]['margins']}",
              file=sys.stderr)
    golden = {
        "generator": "tools/parity/mask2former_golden.py",
        "network": "tools/export/mask2former_net.py config tiny " + str(mn.TINY),
        "seed": SEED,
        "images_from": "tools/fixtures/test-images.ts",
        "versions": {"python": platform.python_version(), "torch": torch.__version__, "opencv": cv2.__version__, "numpy": np.__version__},
        "model": {"file": os.path.relpath(args.onnx, ROOT), "sha256": sha, "bytes": os.path.getsize(args.onnx), "opset": exporter.OPSET,
                  "trace_hw": list(TRACE_HW)},
        "postprocess": "spec geneval.md section 2.3 (mmdet 2.x MaskFormerFusionHead.instance_postprocess), top 100, rows sorted by (label, query)",
        "ambiguous_logit": AMBIGUOUS,
        "images": images,
    }
    pc.write_json(args.out, golden)
    print(sha)


if __name__ == "__main__":
    main()
