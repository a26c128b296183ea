#!/usr/bin/python3
"""Goldens of `genbench selftest` (src/selftest/golden.json), made by the official libraries.

- resize: torchvision 0.14 / torch 1.13 (CPU, one thread), Pillow 9 and OpenCV 4.6 (cv2.resize
  INTER_LINEAR, as mmcv.imrescale calls it) on a small deterministic image whose pixels are a
  formula of (x, y, channel) that src/selftest/input.ts computes the same way. Every output is
  stored in full (little-endian bytes, base64) so the selftest can report max |Δ|.
- video: the ffmpeg given on the command line (the bundled @ffmpeg-installer build) renders a
  lavfi test pattern into a lossless FFV1 file tagged BT.709; OpenCV's cv2.VideoCapture decodes
  it (what VBench's readers see). The RGB frames are stored in full.

Usage: /usr/bin/python3 tools/parity/selftest_golden.py node_modules/@ffmpeg-installer/linux-x64/ffmpeg src/selftest/golden.json
"""
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import cv2
import numpy as np
import PIL
import torch
import torchvision
from PIL import Image
from torchvision import transforms as T
from torchvision.transforms import InterpolationMode as IM

WIDTH, HEIGHT = 29, 21
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)

# Keep in step with src/selftest/video.ts.
LAVFI = "testsrc2=size=32x24:rate=5:duration=0.8"
ENCODE = ["-pix_fmt", "yuv420p", "-c:v", "ffv1", "-colorspace", "bt709", "-color_primaries", "bt709",
          "-color_trc", "bt709", "-f", "matroska"]


def pattern():
    """src/selftest/input.ts selftestImage(): HEIGHT × WIDTH × 3 uint8."""
    y, x, c = np.meshgrid(np.arange(HEIGHT), np.arange(WIDTH), np.arange(3), indexing="ij")
    v = x * 37 + y * 91 + c * 53 + np.bitwise_xor(x * y * 7, y * 13 + c * 29)
    return (v % 256).astype(np.uint8)


def blob(arr):
    arr = np.ascontiguousarray(arr)
    raw = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
    return {"dtype": str(arr.dtype), "shape": list(arr.shape), "sha256": hashlib.sha256(raw).hexdigest(),
            "data": base64.b64encode(raw).decode("ascii")}


def resize_cases(img):
    x = torch.from_numpy(img.copy()).permute(2, 0, 1).contiguous().float()
    bgr = np.ascontiguousarray(img[:, :, ::-1])
    pil = Image.fromarray(img)
    torch_tf = "torchvision %s transforms.Resize on a float C×H×W tensor" % torchvision.__version__
    cases = {}

    def torch_case(name, mode, size, antialias, out, **extra):
        # tolerance: what the project claims for the kernel (tests/media/resize.test.ts): the
        # antialiased kernels are within a few float32 ulps of torch's; the others bit-identical.
        cases[name] = {"library": torch_tf, "op": "torch", "mode": mode, "size": list(size),
                       "antialias": antialias, "tolerance": 1e-4 if antialias else 0, **extra, **blob(out.numpy())}

    torch_case("torch_bilinear_down", "bilinear", (13, 17), False, T.Resize([13, 17], IM.BILINEAR, antialias=False)(x))
    torch_case("torch_bicubic_up", "bicubic", (31, 44), False, T.Resize([31, 44], IM.BICUBIC, antialias=False)(x))
    # clip_transform's tensor path: Resize(short side, bicubic), CenterCrop, /255, Normalize.
    resized = T.Resize(16, IM.BICUBIC, antialias=False)(x)
    h, w = resized.shape[1:]
    top, left = int(round((h - 16) / 2.0)), int(round((w - 16) / 2.0))
    clip = T.Normalize(CLIP_MEAN, CLIP_STD)(T.CenterCrop(16)(resized).div(255.0))
    torch_case("torch_bicubic_crop_normalize", "bicubic", (h, w), False, clip, window=[top, left, 16, 16],
               post={"kind": "normalize", "mean": CLIP_MEAN, "std": CLIP_STD}, source="uint8")
    torch_case("torch_bilinear_antialias_down", "bilinear", (9, 12), True, T.Resize([9, 12], IM.BILINEAR, antialias=True)(x))
    for name, filt, size in (("pil_bicubic_down", Image.BICUBIC, (17, 13)), ("pil_bilinear_up", Image.BILINEAR, (40, 30))):
        cases[name] = {"library": "Pillow %s Image.resize" % PIL.__version__, "op": "pil",
                       "mode": "bicubic" if filt == Image.BICUBIC else "bilinear", "size": [size[1], size[0]], "tolerance": 0,
                       **blob(np.asarray(pil.resize(size, filt)))}
    for name, size in (("opencv_linear_down", (17, 11)), ("opencv_linear_up", (45, 33))):
        cases[name] = {"library": "OpenCV %s cv2.resize INTER_LINEAR (BGR)" % cv2.__version__, "op": "opencv",
                       "mode": "bilinear", "size": [size[1], size[0]], "tolerance": 0,
                       **blob(cv2.resize(bgr, size, interpolation=cv2.INTER_LINEAR))}
    return cases


def video_case(ffmpeg):
    with tempfile.TemporaryDirectory(prefix="genbench-selftest-golden-") as tmp:
        path = os.path.join(tmp, "pattern.mkv")
        subprocess.run([ffmpeg, "-v", "error", "-nostdin", "-f", "lavfi", "-i", LAVFI, *ENCODE, "-y", path], check=True)
        cap = cv2.VideoCapture(path)
        fps = cap.get(cv2.CAP_PROP_FPS)
        frames = []
        while True:
            ok, frame = cap.read()
            if not ok:
                break
            frames.append(frame[:, :, ::-1])
        cap.release()
    arr = np.stack(frames)
    version = subprocess.run([ffmpeg, "-hide_banner", "-version"], capture_output=True, text=True).stdout.split("\n")[0]
    return {"lavfi": LAVFI, "encode": ENCODE, "made_by": version, "decoded_by": "OpenCV %s cv2.VideoCapture" % cv2.__version__,
            "fps": fps, "frames": len(frames), "width": int(arr.shape[2]), "height": int(arr.shape[1]),
            "frame_sha256": [hashlib.sha256(np.ascontiguousarray(f).tobytes()).hexdigest() for f in frames], **blob(arr)}


def main():
    ffmpeg, out_path = sys.argv[1], sys.argv[2]
    torch.set_num_threads(1)
    img = pattern()
    result = {
        "generator": "tools/parity/selftest_golden.py",
        "versions": {"torch": torch.__version__, "torchvision": torchvision.__version__, "pillow": PIL.__version__,
                     "opencv": cv2.__version__, "numpy": np.__version__},
        "image": {"width": WIDTH, "height": HEIGHT, **blob(img)},
        "resize": resize_cases(img),
        "video": video_case(ffmpeg),
    }
    with open(out_path, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
