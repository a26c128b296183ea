"""The OFFICIAL ViCLIP of VBench 45e79ec (vbench/third_party/ViCLIP: viclip.py, viclip_vision.py,
viclip_text.py, simple_tokenizer.py), as temporal_style and overall_consistency build it, loaded
without installing anything (tools/parity/official_vbench_semantic.py; timm/einops from
tools/parity/timm_einops_standins.py), and its two towers exported to the genbench ONNX contracts:

* 'viclip-l14-video': `pixel_values` float32 [batch, 8, 3, 224, 224] (the frames as VBench stacks
  them: T, C, H, W after clip_transform) -> `video_embeds` float32 [batch, D] =
  ViCLIP.encode_vision(x, test=True) (permute to B,C,T,H,W; Conv3d patches; class/positional/
  temporal embeddings; frame 0's class token; patch tokens spatial-major, time-minor; transformer;
  ln_post; token 0 @ proj), not normalised. D = 768 for ViCLIP-L/14.
* 'viclip-l14-text': `input_ids` int64 [batch, 32] -> `text_embeds` float32 [batch, D] =
  ViCLIP.text_encoder(ids) (CLIP text transformer, context 32, causal mask, ln_final, row at
  argmax(ids) = the end token, @ text_projection), not normalised; ids as CLIP_TEXT.tokenize(text,
  context_length=32) makes them (truncate=True: the first 32 ids, the 32nd replaced by the end id).

For the export the vision transformer's gradient checkpointing switch (ViCLIP builds it with
checkpoint_num=24: every block goes through torch.utils.checkpoint, which only matters for
gradients) is set to 0 on the exported instance; the arithmetic is the same.

`reduced(cfg)` swaps the two builder functions viclip.py calls (clip_joint_l14, clip_text_l14) for
ones that build the SAME official classes (viclip_vision.VisionTransformer, viclip_text.CLIP_TEXT)
with the same non-size arguments and smaller widths/depths, so that ViCLIP(...) — its __init__,
strict checkpoint loading, encode_vision/encode_text — runs unmodified on a reduced model.
"""
import contextlib
import importlib
import os
import shutil
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official_clip as oc  # noqa: E402
import official_vbench_semantic as ovs  # noqa: E402
import parity_common as pc  # noqa: E402
import timm_einops_standins as standins  # noqa: E402

FILES = ["vbench/temporal_style.py", "vbench/overall_consistency.py", "vbench/third_party/__init__.py",
         "vbench/third_party/ViCLIP/__init__.py", "vbench/third_party/ViCLIP/viclip.py",
         "vbench/third_party/ViCLIP/viclip_vision.py", "vbench/third_party/ViCLIP/viclip_text.py",
         "vbench/third_party/ViCLIP/simple_tokenizer.py"]
BPE_NAME = "bpe_simple_vocab_16e6.txt.gz"
CONTEXT = 32
FRAMES = 8


def prepare_cache(cache, clip_source=None):
    """<cache>/ViCLIP/bpe_simple_vocab_16e6.txt.gz from the pinned openai/CLIP mirror (the file
    VBench's default_bpe would wget from openai/CLIP main), so that importing
    vbench/third_party/ViCLIP/simple_tokenizer.py downloads nothing. Returns its sha256."""
    os.makedirs(os.path.join(cache, "ViCLIP"), exist_ok=True)
    src = pc.materialise(pc.pick_source(clip_source, oc.DEFAULT_CLIP, "CLIP"), ["clip/" + BPE_NAME], oc.CLIP_COMMIT,
                         "clip/clip.py", what="CLIP ")
    dst = os.path.join(cache, "ViCLIP", BPE_NAME)
    shutil.copyfile(os.path.join(src, "clip", BPE_NAME), dst)
    return pc.sha256_file(dst)


def load(vbench_source, cache, pydeps=None, clip_source=None):
    """(vbench package, tree root, viclip module) with the stand-ins installed and the cache prepared."""
    standins.install()
    oc.use_ftfy(pydeps)
    prepare_cache(cache, clip_source)
    vb, root = ovs.load_vbench(vbench_source, FILES, cache)
    viclip = importlib.import_module("vbench.third_party.ViCLIP.viclip")
    return vb, root, viclip


@contextlib.contextmanager
def reduced(viclip, cfg):
    """ViCLIP(...) builds the official tower classes with cfg's sizes while the block runs.
    cfg: vision_width, vision_layers, vision_heads, embed_dim, text_width, text_heads, text_layers."""
    vision_mod = sys.modules["vbench.third_party.ViCLIP.viclip_vision"]
    text_mod = sys.modules["vbench.third_party.ViCLIP.viclip_text"]

    def joint(pretrained=False, input_resolution=224, kernel_size=1, center=True, num_frames=8, drop_path=0.,
              checkpoint_num=0, dropout=0.):
        assert not pretrained
        model = vision_mod.VisionTransformer(
            input_resolution=input_resolution, patch_size=14, width=cfg["vision_width"], layers=cfg["vision_layers"],
            heads=cfg["vision_heads"], output_dim=cfg["embed_dim"], kernel_size=kernel_size, num_frames=num_frames,
            drop_path=drop_path, checkpoint_num=checkpoint_num, dropout=dropout)
        return model.eval()

    def text(embed_dim=768, context_length=77, vocab_size=49408, transformer_width=768, transformer_heads=12,
             transformer_layers=12, checkpoint_num=0, pretrained=True):
        assert not pretrained
        model = text_mod.CLIP_TEXT(cfg["embed_dim"], context_length, vocab_size, cfg["text_width"], cfg["text_heads"],
                                   cfg["text_layers"], checkpoint_num)
        return model.eval()

    saved = viclip.clip_joint_l14, viclip.clip_text_l14
    viclip.clip_joint_l14, viclip.clip_text_l14 = joint, text
    try:
        yield
    finally:
        viclip.clip_joint_l14, viclip.clip_text_l14 = saved


def load_checkpoint(viclip, path):
    """ViCLIP as compute_temporal_style builds it: ViCLIP(tokenizer=SimpleTokenizer(<cache bpe>),
    pretrain=path) (strict load of path's ['model']). Caller chooses full size or `reduced`."""
    tok_mod = sys.modules["vbench.third_party.ViCLIP.simple_tokenizer"]
    cache = sys.modules["vbench.utils"].CACHE_DIR
    tokenizer = tok_mod.SimpleTokenizer(os.path.join(cache, "ViCLIP", BPE_NAME))
    return viclip.ViCLIP(tokenizer=tokenizer, pretrain=path)


class ContractVideo(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, pixel_values):
        return self.model.encode_vision(pixel_values, test=True).to(torch.float32)


class ContractText(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids):
        return self.model.text_encoder(input_ids).to(torch.float32)


@contextlib.contextmanager
def no_checkpointing(model):
    t = model.vision_encoder.transformer
    saved = t.checkpoint_num
    t.checkpoint_num = 0
    try:
        yield
    finally:
        t.checkpoint_num = saved


def export_video(model, out_path, opset=17):
    wrapper = ContractVideo(model).eval()
    sample = torch.zeros(2, FRAMES, 3, 224, 224)
    with no_checkpointing(model), torch.no_grad():
        torch.onnx.export(wrapper, (sample,), out_path, input_names=["pixel_values"], output_names=["video_embeds"],
                          dynamic_axes={"pixel_values": {0: "batch"}, "video_embeds": {0: "batch"}},
                          opset_version=opset, do_constant_folding=True)
    return oc._checked_sha(out_path)


def export_text(model, out_path, opset=17):
    wrapper = ContractText(model).eval()
    sample = torch.zeros(3, CONTEXT, dtype=torch.long)
    sample[:, 0] = 49406
    sample[:, 1:4] = torch.tensor([320, 1125, 539])
    sample[:, 4] = 49407
    with torch.no_grad():
        torch.onnx.export(wrapper, (sample,), out_path, input_names=["input_ids"], output_names=["text_embeds"],
                          dynamic_axes={"input_ids": {0: "batch"}, "text_embeds": {0: "batch"}},
                          opset_version=opset, do_constant_folding=True)
    return oc._checked_sha(out_path)
