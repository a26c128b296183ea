#!/usr/bin/python3
"""Golden outputs of the resize/crop/normalize transforms the official evaluation code uses.

Runs Debian's Pillow 9 and torchvision 0.14 (torch 1.13, CPU) on the project's test photos
(tools/fixtures/test-images.ts: procedural JPEGs and grey/RGBA/palette PNGs of varied sizes, written
by that script first; the tests make the same files) and writes, per image and case, the output
shape, the sha256 of its raw little-endian bytes, and a few sampled values ("decoded" is Pillow's
convert("RGB") of the file, which the tests compare first). Nothing else is committed: the arrays
are re-derived by the tests.

Regenerate (after changing the generator or the kernels' reference versions):
  /usr/bin/python3 tools/parity/resize_golden.py [--images DIR] [--out tests/golden/resize.json]
--images reads the photos from DIR instead of generating them into a temp dir.
"""
import argparse
import hashlib
import json
import os
import sys

import numpy as np
import PIL
import torch
import torchvision
from PIL import Image
from torchvision import transforms as T
from torchvision.transforms import InterpolationMode as IM

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parity_common as pc  # noqa: E402

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
IMNET_MEAN = (0.485, 0.456, 0.406)
IMNET_STD = (0.229, 0.224, 0.225)
SAMPLES = 12


def describe(arr):
    arr = np.ascontiguousarray(arr)
    flat = arr.reshape(-1)
    picks = np.linspace(0, flat.size - 1, SAMPLES).round().astype(np.int64)
    return {
        "shape": list(arr.shape),
        "dtype": str(arr.dtype),
        "sha256": hashlib.sha256(arr.astype(arr.dtype.newbyteorder("<")).tobytes()).hexdigest(),
        "sample_index": picks.tolist(),
        "sample": [float(v) for v in flat[picks]],
        "sum": float(flat.astype(np.float64).sum()),
    }


def pil_cases(img):
    w, h = img.size
    return {
        "pil_bicubic_short224": np.asarray(T.Resize(224, IM.BICUBIC)(img)),
        "pil_bilinear_short224": np.asarray(T.Resize(224, IM.BILINEAR)(img)),
        "pil_bicubic_up": np.asarray(img.resize((round(w * 1.37), round(h * 1.21)), Image.BICUBIC)),
        "pil_bilinear_odd": np.asarray(img.resize((w // 3 + 1, h // 2 + 3), Image.BILINEAR)),
        "pil_bicubic_shrink7": np.asarray(img.resize((max(1, w // 7), max(1, h // 7)), Image.BICUBIC)),
        "clip_image_transform": T.Compose([T.Resize(224, IM.BICUBIC), T.CenterCrop(224), T.ToTensor(),
                                           T.Normalize(CLIP_MEAN, CLIP_STD)])(img).numpy(),
        "dino_image_transform": T.Compose([T.Resize(224), T.ToTensor(), T.Normalize(IMNET_MEAN, IMNET_STD)])(img).numpy(),
    }


def tensor_cases(img):
    u8 = torch.from_numpy(np.asarray(img).copy()).permute(2, 0, 1).contiguous()
    x = u8.float()
    h, w = x.shape[1:]
    up = (round(h * 1.29), round(w * 1.43))
    odd = (h // 3 + 1, w // 2 + 3)
    out = {}
    for mode, im in (("bilinear", IM.BILINEAR), ("bicubic", IM.BICUBIC)):
        for aa in (False, True):
            tag = "_aa" if aa else ""
            out[f"t_{mode}{tag}_short224"] = T.Resize(224, im, antialias=aa)(x).numpy()
            out[f"t_{mode}{tag}_up"] = T.Resize(up, im, antialias=aa)(x).numpy()
            out[f"t_{mode}{tag}_odd"] = T.Resize(odd, im, antialias=aa)(x).numpy()
            out[f"t_{mode}{tag}_uint8_short224"] = T.Resize(224, im, antialias=aa)(u8).numpy()
    out["clip_tensor_float"] = T.Compose([T.Resize(224, IM.BICUBIC, antialias=False), T.CenterCrop(224),
                                          T.Lambda(lambda t: t.float().div(255.0)),
                                          T.Normalize(CLIP_MEAN, CLIP_STD)])(x).numpy()
    out["clip_tensor_uint8"] = T.Compose([T.Resize(224, IM.BICUBIC, antialias=False), T.CenterCrop(224),
                                          T.Lambda(lambda t: t.float().div(255.0)),
                                          T.Normalize(CLIP_MEAN, CLIP_STD)])(u8).numpy()
    out["dino_tensor_float"] = T.Compose([T.Resize(224, antialias=False),
                                          T.Lambda(lambda t: t.float().div(255.0)),
                                          T.Normalize(IMNET_MEAN, IMNET_STD)])(x).numpy()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--images", help="folder of test images (default: generate them with tools/fixtures/test-images.ts)")
    ap.add_argument("--out", default=os.path.join(pc.ROOT, "tests", "golden", "resize.json"))
    a = ap.parse_args()
    media, out_path = a.images or pc.make_test_images()[0], a.out
    torch.set_num_threads(1)
    result = {
        "generator": "tools/parity/resize_golden.py",
        "images_from": "tools/fixtures/test-images.ts",
        "versions": {"pillow": PIL.__version__, "torch": torch.__version__, "torchvision": torchvision.__version__,
                     "numpy": np.__version__},
        "images": {},
    }
    for name in sorted(os.listdir(media)):
        if not name.lower().endswith((".jpg", ".png")):
            continue
        img = Image.open(os.path.join(media, name)).convert("RGB")
        entry = {"decoded": describe(np.asarray(img))}
        for key, arr in {**pil_cases(img), **tensor_cases(img)}.items():
            entry[key] = describe(arr)
        result["images"][name] = entry
        print(name, len(entry), "cases", file=sys.stderr)
    # One line per case keeps the file small and its diffs readable.
    lines = ["{", f' "generator": {json.dumps(result["generator"])},', f' "images_from": {json.dumps(result["images_from"])},',
             f' "versions": {json.dumps(result["versions"])},', ' "images": {']
    names = list(result["images"])
    for i, name in enumerate(names):
        cases = result["images"][name]
        lines.append(f"  {json.dumps(name)}: {{")
        keys = list(cases)
        for j, key in enumerate(keys):
            lines.append(f"   {json.dumps(key)}: {json.dumps(cases[key])}" + ("," if j < len(keys) - 1 else ""))
        lines.append("  }" + ("," if i < len(names) - 1 else ""))
    lines += [" }", "}"]
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
