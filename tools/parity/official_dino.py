"""Load the OFFICIAL DINO ViT (facebookresearch/dino vision_transformer.py) and the OFFICIAL VBench
subject_consistency module (vbench/subject_consistency.py with its vbench/utils.py) from git
mirrors or checkouts, and export a DINO ViT to the genbench ONNX contract.

Nothing of DINO or VBench is copied into this project: the official files are read at run time
(`git show COMMIT:path` from a bare mirror, or straight from a checkout) and executed.

Stand-ins (only for what Debian's python3 lacks):
* tqdm: an identity iterator (tools/parity/shims/tqdm.py).
* decord: VBench's load_video reads .mp4 files with `decord.VideoReader(path, num_threads=1)` and
  takes every frame (`get_batch(range(len(vr))).asnumpy()`, RGB uint8). decord is not packaged by
  Debian, so `parity_common.CV2VideoReader` stands in for it: it reads ALL frames with
  cv2.VideoCapture (OpenCV 4.6, FFmpeg + swscale to BGR24) and converts BGR->RGB. genbench's
  decoder is byte-identical to OpenCV 4.6, so these are exactly the frames our TypeScript
  implementation sees; whether real decord (an avfilter `scale` graph to rgb24) returns the very
  same bytes is the decoder parity question of spec section 0.3, which is outside this golden.
* vbench.distributed: world size 1, rank 0 (the single-GPU path of the official code;
  `parity_common.distributed_module`).

The ONNX contract (`pixel_values` float32 [1,3,H,W], dynamic H and W -> `features` float32 [1,D],
the CLS token after the final LayerNorm) is produced by `ContractViT`, which runs the official
modules (patch_embed, blocks, norm, cls_token, pos_embed) of a VisionTransformer and expresses
only `interpolate_pos_encoding` in a traceable form. The bicubic resize of the 14x14 pos-embed
grid (PyTorch bicubic, A = -0.75, align_corners=False, scale_factor (floor(H/16)+0.1)/14 rows and
(floor(W/16)+0.1)/14 columns, output floor(H/16) x floor(W/16)) is written as two interpolation
matrices built in the graph from the runtime shape (Range, Floor, Clip, Equal, Mul, Add) and two
MatMuls: pos = R_rows @ grid @ R_cols^T. The factor is replaced by 1, which makes R exactly the
identity, when the official code keeps the pos-embed unchanged (H == W and 14x14 patches).
An ONNX Resize (cubic) cannot be used: onnxruntime returns its input unchanged whenever the output
shape equals the input shape, ignoring the scales, so e.g. 224x231 (a 14x14 grid that the
official code still interpolates with scale 14.1/14) would come out wrong.
"""
import importlib
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parity_common as pc  # noqa: E402

VBENCH_COMMIT = pc.VBENCH_COMMIT
VBENCH_FILES = ["vbench/subject_consistency.py", "vbench/utils.py", "vbench/distributed.py"]
DINO_FILES = ["vision_transformer.py", "utils.py"]
DEFAULT_VBENCH = pc.DEFAULT_VBENCH
DEFAULT_DINO = [os.environ.get("DINO_SRC", ""), "/work/.mirror/facebookresearch+dino/repo"]


def load_subject_consistency(source, commit=VBENCH_COMMIT):
    """The official vbench.subject_consistency module (and its real vbench.utils)."""
    root = pc.materialise(source, VBENCH_FILES, commit, "vbench")
    pc.install_vbench(root)  # tqdm, decord (all frames via cv2) and vbench.distributed stand-ins
    return importlib.import_module("vbench.subject_consistency")


def load_dino_vits(source, commit=None):
    """The official dino vision_transformer module (imported as a top-level `vision_transformer`,
    as hubconf.py does)."""
    root = pc.materialise(source, DINO_FILES, commit, "vision_transformer.py")
    sys.path.insert(0, root)
    return importlib.import_module("vision_transformer")


# ---------------------------------------------------------------- ONNX contract

def bicubic_matrix(n_out, scale, n_in):
    """[n_out, n_in] matrix R with R @ v == PyTorch's 1-D bicubic interpolation of v (A = -0.75,
    align_corners=False, explicit scale_factor `scale`, indices clamped to the edges), built only
    from traceable tensor ops so that n_out and scale may come from the runtime shape:
    src = (dst + 0.5) / scale - 0.5 (no clamp), i0 = floor(src), t = src - i0, taps i0-1..i0+2
    with weights c2(t+1), c1(t), c1(1-t), c2(2-t). With scale = 1 it is exactly the identity."""
    a = -0.75
    dst = torch.arange(n_out).to(torch.float32)
    src = (dst + 0.5) * (1.0 / scale) - 0.5
    i0 = torch.floor(src)
    t = src - i0

    def c1(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def c2(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a

    weights = (c2(t + 1), c1(t), c1(1 - t), c2(2 - t))
    cols = torch.arange(n_in).to(torch.float32).unsqueeze(0)
    r = torch.zeros(1, n_in)
    for k, w in enumerate(weights):
        idx = torch.clamp(i0 + float(k - 1), 0.0, float(n_in - 1)).unsqueeze(1)
        r = r + w.unsqueeze(1) * (idx == cols).to(torch.float32)
    return r


class ContractViT(nn.Module):
    """pixel_values [1,3,H,W] -> features [1,D]: the official VisionTransformer.forward, with only
    the pos-embed interpolation rewritten so that it follows the runtime H and W in ONNX."""

    def __init__(self, vit):
        super().__init__()
        self.vit = vit
        n = int(vit.pos_embed.shape[1]) - 1
        self.side = int(round(n ** 0.5))
        assert self.side * self.side == n
        self.dim = int(vit.pos_embed.shape[-1])

    def forward(self, pixel_values):
        vit, side, dim = self.vit, self.side, self.dim
        p = int(vit.patch_embed.patch_size)
        x = vit.patch_embed(pixel_values)
        cls = vit.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat((cls, x), dim=1)
        hw = torch._shape_as_tensor(pixel_values)[2:4]            # int64 [H, W]
        grid = torch.div(hw, p, rounding_mode="floor")             # [H//16, W//16]
        factors = (grid.to(torch.float32) + 0.1) / float(side)
        keep = (hw[0] == hw[1]) & (grid[0] == side)                # npatch == N and H == W
        factors = torch.where(keep, torch.ones_like(factors), factors)
        rows = bicubic_matrix(grid[0], factors[0], side)          # [H//16, 14]
        cols = bicubic_matrix(grid[1], factors[1], side)          # [W//16, 14]
        patch_pos = vit.pos_embed[0, 1:].reshape(side, side, dim).permute(2, 0, 1)  # [D, 14, 14]
        patch_pos = torch.matmul(torch.matmul(rows, patch_pos), cols.transpose(0, 1))  # [D, h, w]
        patch_pos = patch_pos.permute(1, 2, 0).reshape(1, -1, dim)
        pos = torch.cat((vit.pos_embed[:, :1], patch_pos), dim=1)
        x = vit.pos_drop(x + pos)
        for blk in vit.blocks:
            x = blk(x)
        x = vit.norm(x)
        return x[:, 0]


def export_contract(vit, out_path, sample_hw=(224, 398), opset=17):
    """Export `vit` to the contract; returns the file's sha256."""
    vit.eval()
    wrapper = ContractViT(vit).eval()
    sample = torch.zeros(1, 3, *sample_hw)
    with torch.no_grad():
        torch.onnx.export(
            wrapper, (sample,), out_path, input_names=["pixel_values"], output_names=["features"],
            dynamic_axes={"pixel_values": {2: "height", 3: "width"}}, opset_version=opset,
            do_constant_folding=True)
    import onnx
    model = onnx.load(out_path)
    onnx.checker.check_model(model)
    return pc.sha256_file(out_path)
