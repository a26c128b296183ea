"""Goldens for the NOVA networks built as ONNX graphs (src/generate/nova/networks/).

Builds the OFFICIAL diffnext modules (baaivision/NOVA at the pinned commit, read from the bare
mirror) at tiny configurations with seeded random weights (rounded to f16 and stored as F16, so
both sides run on exactly the same values), saves them under tests/fixtures/nova-tiny/
(transformer/, vae-kl/, vae-osp/, text_encoder/: config.json + safetensors), runs the official
code paths on fixed inputs and writes tests/golden/nova-networks.json:

* diffusion_head: DiffusionMLP.forward(x, timestep, z, pred_ids) (the full scattered output);
* temporal: Transformer3DModel.preprocess (TextEmbed + MotionEmbed) and generate_video driving the
  temporal encoder with its KV cache and the mixer over 3 latent frames (generate_frame replaced
  by a recorder that stores the spatial condition C_t and then writes a fixed latent frame);
* spatial: Transformer3DModel.generate_frame over three set-by-set steps with a fixed order
  (denoise replaced by a recorder that stores the spatial encoder output and returns a fixed sample);
* vae_kl / vae_osp: VaeImageProcessor.decode_latents with AutoencoderKL and AutoencoderKLOpenSora
  (one tile, and 9 latent frames through TilingMixin.tiled_decoder); summaries + sampled values;
* phi: PhiEncoderModel(input_ids).last_hidden_state.

Run with Debian's python (torch 1.13): `nice /usr/bin/python3 tools/parity/nova_networks_golden.py`.
Stand-ins for what torch 1.13 / Debian lack: scaled_dot_product_attention (reference maths),
torch.compile (identity), diffusers' ModelMixin/ConfigMixin/register_to_config and output classes,
transformers' PhiConfig/PreTrainedModel/ACT2FN/BaseModelOutput, and einops.repeat for the one
pattern phi.py's torch rotary fallback uses (flash-attn is absent, so that fallback runs).
"""
import inspect
import json
import math
import os
import struct
import sys
import types

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import parity_common as pc  # noqa: E402
from diffusers_standins import model_mixin_class  # noqa: E402

NOVA_COMMIT = "2cd254afdedae8670ccb492c28c53caa08f7b5a0"
DEFAULT_NOVA = [os.environ.get("NOVA_SRC", ""), "/work/.mirror/baaivision+NOVA/repo"]
FILES = [
    "diffnext/models/diffusion_mlp.py",
    "diffnext/models/embeddings.py",
    "diffnext/models/normalization.py",
    "diffnext/models/vision_transformer.py",
    "diffnext/models/flex_attention.py",
    "diffnext/models/guidance_scaler.py",
    "diffnext/models/transformers/transformer_3d.py",
    "diffnext/models/transformers/transformer_nova.py",
    "diffnext/utils/registry.py",
    "diffnext/models/autoencoders/autoencoder_kl.py",
    "diffnext/models/autoencoders/autoencoder_kl_opensora.py",
    "diffnext/models/autoencoders/modeling_utils.py",
    "diffnext/image_processor.py",
    "diffnext/models/text_encoders/phi.py",
]
OUT_DIR = os.path.join(pc.ROOT, "tests", "fixtures", "nova-tiny")
GOLDEN = os.path.join(pc.ROOT, "tests", "golden", "nova-networks.json")

# The tiny configuration: latent 8x8 (image 64, stride 8) → spatial grid 4x4 (N=16), temporal 2x2 (M=4).
TINY_CONFIG = {
    "image_dim": 4,
    "image_size": 64,
    "image_stride": 8,
    "text_token_dim": 24,
    "text_token_len": 8,
    "video_mixer_rank": 4,
    "video_base_size": [3, 2, 2],
    "image_base_size": [4, 4],
    "arch": ["vit_d2w32h2", "vit_d4w32h2", "mlp_d2w48"],
}
# An image (T2I) checkpoint: temporal base 1 (no MotionEmbed), no mixer; smaller stacks.
TINY_T2I_CONFIG = {
    "image_dim": 4,
    "image_size": 64,
    "image_stride": 8,
    "text_token_dim": 24,
    "text_token_len": 8,
    "video_base_size": [1, 2, 2],
    "image_base_size": [4, 4],
    "arch": ["vit_d1w32h2", "vit_d2w32h2", "mlp_d1w48"],
}


# ---------------------------------------------------------------- stand-ins

def sdpa_reference(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None):
    """softmax(q kᵀ · scale + mask) v (torch>=2.0 semantics for the arguments NOVA passes)."""
    scale = 1.0 / math.sqrt(q.size(-1)) if scale is None else scale
    s = torch.matmul(q, k.transpose(-2, -1)) * scale
    if is_causal:
        L, S = q.size(-2), k.size(-2)
        s = s.masked_fill(~torch.ones(L, S, dtype=torch.bool).tril(), float("-inf"))
    if attn_mask is not None:
        s = s.masked_fill(~attn_mask, float("-inf")) if attn_mask.dtype == torch.bool else s + attn_mask
    return torch.matmul(s.softmax(-1), v)


def install_stand_ins():
    torch.nn.functional.scaled_dot_product_attention = sdpa_reference
    if not hasattr(torch, "compile"):
        torch.compile = lambda *a, **k: (lambda f: f)
    diffusers = pc.package("diffusers")
    cu = types.ModuleType("diffusers.configuration_utils")
    mm = types.ModuleType("diffusers.models.modeling_utils")

    class ConfigMixin:
        pass

    def register_to_config(init):
        sig = inspect.signature(init)

        def wrapped(self, *args, **kwargs):
            bound = sig.bind(self, *args, **kwargs)
            bound.apply_defaults()
            init(self, *args, **kwargs)
            self.config = types.SimpleNamespace(**{k: v for k, v in bound.arguments.items() if k != "self"})
        return wrapped

    ModelMixin = model_mixin_class()

    class BaseOutput:
        def __init__(self, **kwargs):
            self.__dict__.update(kwargs)

    mo = types.ModuleType("diffusers.models.modeling_outputs")
    mo.BaseOutput, mo.AutoencoderKLOutput = BaseOutput, type("AutoencoderKLOutput", (BaseOutput,), {})
    cu.ConfigMixin, cu.register_to_config, mm.ModelMixin = ConfigMixin, register_to_config, ModelMixin
    models = pc.package("diffusers.models")
    sys.modules["diffusers.configuration_utils"] = cu
    sys.modules["diffusers.models.modeling_utils"] = mm
    sys.modules["diffusers.models.modeling_outputs"] = mo
    diffusers.configuration_utils, models.modeling_utils, diffusers.models = cu, mm, models
    models.modeling_outputs = mo
    pc.ensure_tqdm()
    install_transformers_stand_ins()


def install_transformers_stand_ins():
    """The pieces of `transformers` (and `einops`) that diffnext's phi.py imports."""
    import torch.nn.functional as F

    def mod(name, **attrs):
        m = types.ModuleType(name)
        m.__dict__.update(attrs)
        sys.modules[name] = m
        return m

    class PhiConfig(types.SimpleNamespace):
        pass

    class PreTrainedModel(torch.nn.Module):
        def __init__(self, config):
            super().__init__()
            self.config = config

        def post_init(self):
            pass

        @property
        def device(self):
            return next(self.parameters()).device

        @property
        def dtype(self):
            return next(self.parameters()).dtype

    class BaseModelOutput(types.SimpleNamespace):
        pass

    act = {"gelu_pytorch_tanh": lambda x: F.gelu(x, approximate="tanh"),
           "gelu_new": lambda x: 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))}
    mod("transformers")
    mod("transformers.activations", ACT2FN=act)
    mod("transformers.modeling_outputs", BaseModelOutput=BaseModelOutput)
    mod("transformers.modeling_utils", PreTrainedModel=PreTrainedModel)
    mod("transformers.models")
    mod("transformers.models.phi")
    mod("transformers.models.phi.configuration_phi", PhiConfig=PhiConfig)

    def repeat(x, pattern):
        # the two patterns apply_rotary_emb_torch uses (non-interleaved): "... d -> ... 1 (2 d)"
        if pattern != "... d -> ... 1 (2 d)":
            raise NotImplementedError(pattern)
        return torch.cat([x, x], dim=-1).unsqueeze(-2)

    def rearrange(*a, **k):
        raise NotImplementedError("interleaved rotary is not used by NOVA")

    mod("einops", repeat=repeat, rearrange=rearrange)


def load_official():
    src = pc.pick_source(None, DEFAULT_NOVA, "NOVA", "$NOVA_SRC (a git mirror or checkout of baaivision/NOVA)")
    root = pc.materialise(src, FILES, NOVA_COMMIT, "diffnext/models/vision_transformer.py", prefix="official-nova-", what="NOVA ")
    install_stand_ins()
    pc.package("diffnext", os.path.join(root, "diffnext"))
    pc.package("diffnext.models", os.path.join(root, "diffnext", "models"))
    pc.package("diffnext.models.transformers", os.path.join(root, "diffnext", "models", "transformers"))
    pc.package("diffnext.utils", os.path.join(root, "diffnext", "utils"))
    pc.package("diffnext.models.autoencoders", os.path.join(root, "diffnext", "models", "autoencoders"))
    import importlib
    nova = importlib.import_module("diffnext.models.transformers.transformer_nova")
    kl = importlib.import_module("diffnext.models.autoencoders.autoencoder_kl")
    osp = importlib.import_module("diffnext.models.autoencoders.autoencoder_kl_opensora")
    processor = importlib.import_module("diffnext.image_processor")
    pc.package("diffnext.models.text_encoders", os.path.join(root, "diffnext", "models", "text_encoders"))
    phi = importlib.import_module("diffnext.models.text_encoders.phi")
    return types.SimpleNamespace(nova=nova, kl=kl, osp=osp, processor=processor, phi=phi), pc.source_commit(src)


def register_tiny(nova):
    """Registry entries for the tiny arch keys (vit_d{depth}w{width}h{heads}, mlp_d{depth}w{width})."""
    nova.VIDEO_ENCODERS.register("vit_d2w32h2", nova.video_encoder, depth=2, embed_dim=32, num_heads=2)
    nova.IMAGE_ENCODERS.register("vit_d4w32h2", nova.image_encoder, depth=4, embed_dim=32, num_heads=2)
    nova.IMAGE_DECODERS.register("mlp_d2w48", nova.image_decoder, depth=2, embed_dim=48)
    nova.VIDEO_ENCODERS.register("vit_d1w32h2", nova.video_encoder, depth=1, embed_dim=32, num_heads=2)
    nova.IMAGE_ENCODERS.register("vit_d2w32h2", nova.image_encoder, depth=2, embed_dim=32, num_heads=2)
    nova.IMAGE_DECODERS.register("mlp_d1w48", nova.image_decoder, depth=1, embed_dim=48)


# ---------------------------------------------------------------- weights

def randomize(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, t in list(model.named_parameters()) + list(model.named_buffers()):
            if "norm" in name and name.endswith("weight") and t.dim() == 1:
                t.copy_(1 + 0.2 * torch.randn(t.shape, generator=g))
            elif t.dim() >= 2 and not name.endswith("_token") and name != "text_embed.weight":
                fan_in = int(np.prod(t.shape[1:]))
                t.copy_(torch.randn(t.shape, generator=g) / math.sqrt(fan_in))
            else:
                t.copy_(0.5 * torch.randn(t.shape, generator=g))
            t.copy_(t.half().float())  # weights are stored as F16: the model runs on exactly those values


def save_safetensors(path, tensors):
    """F16 safetensors (the tensors hold f16-representable values: the conversion is exact)."""
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous()
        a = t.numpy().astype("<f2")
        assert torch.equal(torch.from_numpy(a.astype("<f4")), t.float()), name
        header[name] = {"dtype": "F16", "shape": list(a.shape), "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
        blobs.append(a.tobytes())
    text = json.dumps(header, separators=(",", ":"))
    text += " " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode())
        for b in blobs:
            f.write(b)


def state_tensors(model):
    sd = model.state_dict()
    return {k: v for k, v in sd.items() if v.dtype.is_floating_point}


# ---------------------------------------------------------------- helpers

def seeded(shape, seed, scale=1.0):
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed)) * scale


def flat(t):
    return {"shape": list(t.shape), "data": [float(v) for v in t.detach().reshape(-1).tolist()]}


class NullScheduler:
    def set_timesteps(self, n):
        self.n = n


# ---------------------------------------------------------------- runs

def run_diffusion_head(model):
    mlp = model.image_decoder
    x = seeded((2, 4, 8, 8), 11)
    z = seeded((2, 16, 32), 12)
    timestep = torch.tensor([999.0, 500.5])
    pred_ids = torch.tensor([[[3], [0], [15], [7], [9]], [[3], [0], [15], [7], [9]]])
    out = mlp(x, timestep, z, pred_ids)
    return {"x": flat(x), "z": flat(z), "timestep": timestep.tolist(), "pred_ids": pred_ids[..., 0].tolist(), "out": flat(out)}


def run_temporal(model, text_buffer, frames):
    """generate_video over len(frames) latent frames; records C_t (the spatial condition) per frame."""
    recorded = []

    def generate_frame(states, inputs):
        recorded.append(states["c"].clone())
        states["x"].copy_(frames[states["t"]])

    model.generate_frame = generate_frame
    model.sample_scheduler = NullScheduler()
    inputs = {"prompt": text_buffer.clone(), "guidance_scale": 5.0, "batch_size": 1, "motion_flow": [5],
              "max_latent_length": len(frames), "x": torch.zeros(1, 4, 8, 8)}
    model.preprocess(inputs)
    text_cond = inputs["c"].clone()
    inputs["latents"] = []
    model.generate_video(inputs)
    del model.generate_frame  # back to the official method
    return text_cond, recorded


def run_spatial(model, cond, order, num_preds, samples):
    """generate_frame with a fixed order; records the canvas before each step and the encoder output."""
    records = []

    def denoise(z, x, guidance_scaler, generator=None, pred_ids=None):
        i = len(records)
        records.append({"canvas": states["x"].clone(), "mask": model.mask_embed.mask.clone(), "z": z.clone(),
                        "pred_ids": pred_ids[..., 0].clone()})
        return samples[i].clone()

    model.denoise = denoise
    model.mask_embed.pred_ids, model.mask_embed.pred_pos = order.unsqueeze(-1).clone(), 0
    states = {"c": cond.clone(), "x": torch.zeros(1, 4, 8, 8), "noise": torch.zeros(1, 4, 8, 8)}
    inputs = {"guidance_scale": 5.0, "num_preds": num_preds}
    model.generate_frame(states, inputs)
    return records, states["x"].clone()


TINY_VAE_KL = {"_class_name": "AutoencoderKL", "in_channels": 3, "out_channels": 3,
               "down_block_types": ["DownEncoderBlock2D"] * 2, "up_block_types": ["UpDecoderBlock2D"] * 2,
               "block_out_channels": [32, 64], "layers_per_block": 0, "act_fn": "silu", "latent_channels": 4,
               "norm_num_groups": 32, "sample_size": 16, "scaling_factor": 0.13025, "shift_factor": 0.0609}
TINY_VAE_OSP = {"_class_name": "AutoencoderKLOpenSora", "in_channels": 3, "out_channels": 3,
                "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock3D", "DownEncoderBlock3D"],
                "up_block_types": ["UpDecoderBlock3D"] * 3, "block_out_channels": [32, 32, 32],
                "layers_per_block": 0, "act_fn": "silu", "latent_channels": 4, "norm_num_groups": 32,
                "sample_size": 16, "scaling_factor": 0.18215}


TINY_PHI = {"architectures": ["PhiEncoderModel"], "model_type": "phi", "hidden_size": 24, "intermediate_size": 64,
            "num_hidden_layers": 2, "num_attention_heads": 2, "num_key_value_heads": 2, "partial_rotary_factor": 0.4,
            "rope_theta": 10000.0, "rope_scaling": None, "max_position_embeddings": 64, "layer_norm_eps": 1e-05,
            "hidden_act": "gelu_pytorch_tanh", "vocab_size": 100, "bos_token_id": 50, "eos_token_id": 50,
            "pad_token_id": 50, "torch_dtype": "float16"}


def run_phi(official):
    cfg = official.phi.PhiConfig(**TINY_PHI)
    model = official.phi.PhiEncoderModel(cfg).eval()
    randomize(model, seed=20260104)
    pdir = os.path.join(OUT_DIR, "text_encoder")
    os.makedirs(pdir, exist_ok=True)
    save_safetensors(os.path.join(pdir, "model.safetensors"), state_tensors(model))
    with open(os.path.join(pdir, "config.json"), "w") as f:
        json.dump(TINY_PHI, f, indent=2)
        f.write("\n")
    ids = torch.randint(0, 100, (2, 7), generator=torch.Generator().manual_seed(60))
    return {"input_ids": ids.tolist(), "hidden": flat(model(ids).last_hidden_state)}


def sampled(t, every):
    """Summary and every `every`-th value of a large tensor (flat order)."""
    f = t.detach().reshape(-1).double()
    return {"shape": list(t.shape), "sum": float(f.sum()), "abs_sum": float(f.abs().sum()), "abs_max": float(f.abs().max()),
            "every": every, "values": [float(v) for v in f[::every].tolist()]}


def make_vae(cls, cfg, name, seed):
    vae = cls(**{k: v for k, v in cfg.items() if k != "_class_name"}).eval()
    randomize(vae, seed)
    vdir = os.path.join(OUT_DIR, name)
    os.makedirs(vdir, exist_ok=True)
    keep = {k: v for k, v in state_tensors(vae).items() if k.startswith(("decoder.", "post_quant_conv."))}
    save_safetensors(os.path.join(vdir, "diffusion_pytorch_model.safetensors"), keep)
    with open(os.path.join(vdir, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
        f.write("\n")
    return vae


def run_vae(official, vae, latents, every):
    """VaeImageProcessor.decode_latents (unscale, then decode one sample at a time)."""
    out = official.processor.VaeImageProcessor.decode_latents(vae, latents.clone())
    return {"latents": flat(latents), "sample": sampled(out, every)}


def main():
    official, commit = load_official()
    nova = official.nova
    register_tiny(nova)
    torch.manual_seed(0)
    model = nova.NOVATransformer3DModel(**TINY_CONFIG).eval()
    randomize(model, seed=20260101)
    tdir = os.path.join(OUT_DIR, "transformer")
    os.makedirs(tdir, exist_ok=True)
    tensors = state_tensors(model)
    save_safetensors(os.path.join(tdir, "diffusion_pytorch_model.safetensors"), tensors)
    with open(os.path.join(tdir, "config.json"), "w") as f:
        json.dump({"_class_name": "NOVATransformer3DModel", **TINY_CONFIG}, f, indent=2)
        f.write("\n")

    t2i = nova.NOVATransformer3DModel(**TINY_T2I_CONFIG).eval()
    randomize(t2i, seed=20260105)
    t2i_dir = os.path.join(OUT_DIR, "transformer-t2i")
    os.makedirs(t2i_dir, exist_ok=True)
    save_safetensors(os.path.join(t2i_dir, "diffusion_pytorch_model.safetensors"), state_tensors(t2i))
    with open(os.path.join(t2i_dir, "config.json"), "w") as f:
        json.dump({"_class_name": "NOVATransformer3DModel", **TINY_T2I_CONFIG}, f, indent=2)
        f.write("\n")

    golden = {"source": {"repo": "baaivision/NOVA", "commit": commit}, "config": TINY_CONFIG}
    with torch.no_grad():
        golden["diffusion_head"] = run_diffusion_head(model)

        cond_feats = seeded((5, 24), 21)
        buf = model.text_embed.encode_prompts([cond_feats])
        text_buffer = torch.cat([buf, model.text_embed.weight[:8].expand(1, -1, -1)])
        frames = [seeded((1, 4, 8, 8), 30 + t) for t in range(3)]
        text_cond, conds = run_temporal(model, text_buffer, frames)
        golden["temporal"] = {"text_features": flat(cond_feats), "text_buffer": flat(text_buffer),
                              "motion_flow": 5, "fps": 12, "text_cond": flat(text_cond),
                              "frames": [flat(f) for f in frames], "conditions": [flat(c) for c in conds]}

        order = torch.tensor([[5, 12, 0, 9, 3, 14, 7, 1, 10, 15, 2, 8, 6, 11, 4, 13]])
        num_preds = [3, 5, 8]
        samples = [seeded((1, 16, 16), 40 + i) for i in range(3)]
        records, final = run_spatial(model, conds[1], order, num_preds, samples)
        golden["spatial"] = {"condition_index": 1, "order": order.tolist(), "num_preds": num_preds,
                             "steps": [{"canvas": flat(r["canvas"]), "mask": flat(r["mask"]), "z": flat(r["z"]),
                                        "pred_ids": r["pred_ids"].tolist()} for r in records],
                             "samples": [flat(s) for s in samples], "final_canvas": flat(final)}
        vae_kl = make_vae(official.kl.AutoencoderKL, TINY_VAE_KL, "vae-kl", seed=20260102)
        golden["vae_kl"] = run_vae(official, vae_kl, seeded((1, 4, 5, 6), 50), every=3)
        vae_osp = make_vae(official.osp.AutoencoderKLOpenSora, TINY_VAE_OSP, "vae-osp", seed=20260103)
        golden["vae_osp"] = {"single_tile": run_vae(official, vae_osp, seeded((1, 4, 3, 4, 5), 51), every=5),
                             "tiled": run_vae(official, vae_osp, seeded((1, 4, 9, 3, 4), 52), every=11)}
        golden["phi"] = run_phi(official)
    pc.write_json(GOLDEN, golden)
    print("wrote", GOLDEN, "and", tdir, f"({len(tensors)} tensors)")


if __name__ == "__main__":
    main()
