"""The OFFICIAL UMT video classifier of VBench 45e79ec (vbench/human_action.py,
vbench/third_party/umt/**), as human_action builds it, loaded without installing anything
(tools/parity/official_vbench_semantic.py; timm from tools/parity/timm_einops_standins.py), and
exported to the genbench ONNX contract:

* 'umt-vit-l16-k400': `pixel_values` float32 [batch, 3, 16, 224, 224] (C, T, H, W: ClipToTensor's
  layout after Resize(256, bilinear), CenterCrop(224), /255, ImageNet mean/std) -> `logits` float32
  [batch, 400] = the model's forward (Conv3d tubelet 1x16x16 -> 16x14x14 tokens ordered (t, h, w),
  + pos_embed, blocks, mean over tokens, fc_norm, head). VBench applies sigmoid (not softmax) to
  these, takes the top 5 and keeps round(p, 4) >= 0.85.

human_action builds the model with timm's create_model("vit_large_patch16_224", ...), which resolves
to VBench's own registered entry (modeling_finetune.py), and loads the checkpoint with
`model.load_state_dict(torch.load(path), strict=False)` — silent about missing keys; the exporter
asserts there are none.

`reduced(cfg)` replaces that registry entry while a block runs with one that builds the SAME
official VisionTransformer class with the same fixed arguments (patch 16, mlp_ratio 4, qkv_bias,
LayerNorm eps 1e-6) and smaller embed_dim / depth / num_heads, so that human_action() runs
unmodified on a reduced model.
"""
import contextlib
import functools
import importlib
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official_vbench_semantic as ovs  # noqa: E402
import parity_common as pc  # noqa: E402
import timm_einops_standins as standins  # noqa: E402

UMT = "vbench/third_party/umt/"
FILES = ["vbench/human_action.py", "vbench/third_party/__init__.py"] + [UMT + f for f in (
    "__init__.py", "functional.py", "kinetics_400_categories.txt", "datasets/__init__.py", "datasets/build.py",
    "datasets/kinetics.py", "datasets/kinetics_sparse.py", "datasets/mae.py", "datasets/masking_generator.py",
    "datasets/mixup.py", "datasets/rand_augment.py", "datasets/random_erasing.py", "datasets/ssv2.py",
    "datasets/transforms.py", "datasets/video_transforms.py", "datasets/volume_transforms.py", "models/__init__.py",
    "models/clip.py", "models/modeling_finetune.py", "models/modeling_pretrain.py", "models/modeling_pretrain_umt.py")]
CKPT_REL = "umt_model/l16_ptk710_ftk710_ftk400_f16_res224.pth"
ENTRY = "vit_large_patch16_224"
FRAMES = 16
# The keyword arguments vbench/human_action.py passes to create_model (its lines 46-62).
CREATE_KWARGS = dict(pretrained=False, num_classes=400, all_frames=16, tubelet_size=1, use_learnable_pos_emb=False,
                     fc_drop_rate=0., drop_rate=0., drop_path_rate=0.2, attn_drop_rate=0., drop_block_rate=None,
                     use_checkpoint=False, checkpoint_num=16, use_mean_pooling=True, init_scale=0.001)


def load(vbench_source, cache):
    """(vbench package, tree root, vbench.human_action) with the stand-ins installed."""
    standins.install()
    vb, root = ovs.load_vbench(vbench_source, FILES, cache)
    ha = importlib.import_module("vbench.human_action")
    assert ENTRY in standins.REGISTRY
    return vb, root, ha


@contextlib.contextmanager
def reduced(cfg):
    """create_model(ENTRY, ...) builds the official VisionTransformer with cfg's embed_dim, depth, num_heads."""
    mf = sys.modules["vbench.third_party.umt.models.modeling_finetune"]
    official = standins.REGISTRY[ENTRY]

    def entry(pretrained=False, **kwargs):
        kwargs.pop("pretrained_cfg", None)
        kwargs.pop("pretrained_cfg_overlay", None)
        model = mf.VisionTransformer(patch_size=16, embed_dim=cfg["embed_dim"], depth=cfg["depth"],
                                     num_heads=cfg["num_heads"], mlp_ratio=4, qkv_bias=True,
                                     norm_layer=functools.partial(nn.LayerNorm, eps=1e-6), **kwargs)
        model.default_cfg = mf._cfg()
        return model

    standins.REGISTRY[ENTRY] = entry
    try:
        yield
    finally:
        standins.REGISTRY[ENTRY] = official


def create(verbose=False):
    """The model as human_action creates it (before loading weights)."""
    create_model = sys.modules["timm.models"].create_model
    if verbose:
        return create_model(ENTRY, **CREATE_KWARGS)
    import contextlib as cl
    import io
    with cl.redirect_stdout(io.StringIO()):  # the constructor prints its position-embedding choices
        return create_model(ENTRY, **CREATE_KWARGS)


def load_checkpoint(path):
    """human_action's loading: create_model, load_state_dict(torch.load(path), strict=False), eval;
    returns (model, missing keys, unexpected keys)."""
    model = create()
    message = model.load_state_dict(torch.load(path, map_location="cpu"), strict=False)
    model.eval()
    return model, list(message.missing_keys), list(message.unexpected_keys)


def data_transform(ha):
    """The transform human_action builds (its lines 63-68), from the official classes."""
    return ha.Compose([ha.Resize(256, interpolation="bilinear"), ha.CenterCrop(size=(224, 224)), ha.ClipToTensor(),
                       ha.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])


def labels(ha):
    """{index string: label} as human_action.build_dict reads kinetics_400_categories.txt."""
    return ha.build_dict()


class Contract(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, pixel_values):
        return self.model(pixel_values).to(torch.float32)


def export(model, out_path, opset=17):
    wrapper = Contract(model).eval()
    sample = torch.zeros(2, 3, FRAMES, 224, 224)
    with torch.no_grad():
        torch.onnx.export(wrapper, (sample,), out_path, input_names=["pixel_values"], output_names=["logits"],
                          dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}},
                          opset_version=opset, do_constant_folding=True)
    import onnx
    onnx.checker.check_model(onnx.load(out_path))
    return pc.sha256_file(out_path)
