#!/usr/bin/python3
"""Golden for the sampler's orchestration (src/generate/nova/sampler/generate-sample.ts): the
OFFICIAL Transformer3DModel.generate_video / generate_frame / denoise (diffnext/models/
transformers/transformer_3d.py @ NOVA 2cd254a) with the official MaskEmbed and PatchEmbed
(embeddings.py), GuidanceScaler and diffusers' schedulers, around stand-in networks whose outputs
are simple known functions (the TS test implements the same functions over NovaNetworks):

  temporal patch embed: PatchEmbed(4 → D, patch 4) with the fixed weights below; BOV token at t=0;
                        + time_embed[t]; the position embedding is the identity;
  temporal encoder:     out = 0.5·c + mean over tokens of the row's text condition (kept from t=0);
  mixer (video cases):  anchor + 0.5·current;
  spatial encoder:      z = MaskEmbed(PatchEmbed(4 → D, patch 2)(canvas)) + mean_M(condition) + 0.01·(known tokens);
  diffusion head:       at the set's tokens 0.5·patchify(x) + 0.25·z[..., :16] + 0.125·t/1000.

Every random draw (the order's uniforms, each set's start noise, DDPM noise) is recorded, so the
TS side replays them through recordedNoiseSource. Writes tests/golden/nova-loop.json.
"""
import json
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parity_common import ROOT  # noqa: E402
from diffusers_standins import RANDN_QUEUE  # noqa: E402
from official_nova_sampler import NOVA_COMMIT, DIFFUSERS_COMMIT, d_ddpm, d_flow, emb, mask_sets, recorded_draws, t3d  # noqa: E402

B, H, W, D, LC, C = 2, 4, 8, 16, 3, 4


def fixed_conv(pe, patch):
    o, c, py, px = np.meshgrid(np.arange(D), np.arange(C), np.arange(patch), np.arange(patch), indexing="ij")
    w = (((o * 7 + c * 3 + py * 5 + px * 11) % 13) - 6) / 20.0
    with torch.no_grad():
        pe.proj.weight.copy_(torch.from_numpy(w.astype(np.float32)))
        pe.proj.bias.copy_(torch.from_numpy(((np.arange(D) % 5 - 2) / 10.0).astype(np.float32)))
    return pe


class TimeEmbed(nn.Module):
    def get_time_embed(self, T):
        t = torch.arange(T, dtype=torch.float32).view(T, 1, 1)
        return 0.1 * (t + 1) * torch.arange(D, dtype=torch.float32).view(1, 1, D) / D

    def forward(self, c):
        return c


class Mixer(nn.Module):
    def forward(self, anchor, current):
        return anchor + 0.5 * current


class VideoEncoder(nn.Module):
    def __init__(self, mixer):
        super().__init__()
        self.patch_embed = fixed_conv(emb.PatchEmbed(C, D, 4), 4)
        self.mixer = Mixer() if mixer else nn.Identity()
        self.cache, self.kv_calls = None, []

    def enable_kvcache(self, flag):
        self.kv_calls.append(bool(flag))

    def forward(self, c, text, pos=None):
        if text is not None:
            self.cache = text.mean(1, keepdim=True)
        return 0.5 * c + self.cache


class ImageEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.patch_embed = fixed_conv(emb.PatchEmbed(C, D, 2), 2)

    def forward(self, z, c, prev_ids, pos=None):
        return z + c.mean(1, keepdim=True) + 0.01 * prev_ids.shape[1]


class Head(nn.Module):
    def __init__(self, pe):
        super().__init__()
        self.pe = pe

    def forward(self, x, timestep, z, pred_ids):
        o = self.pe.patchify(x).clone()
        tt = timestep.view(-1, 1, 1).to(o.dtype) / 1000
        val = o * 0.5 + z[..., :16] * 0.25 + tt * 0.125
        idx = pred_ids.expand(-1, -1, 16)
        return o.scatter_(1, idx, val.gather(1, idx))


DDPM_CFG = dict(beta_schedule="squaredcos_cap_v2", num_train_timesteps=1000, steps_offset=1, clip_sample=False)
CASES = [
    dict(name="video-ddpm-cfg", T=3, mixer=True, sched="ddpm", K=2, S=4, guidance=dict(guidance_scale=3)),
    dict(name="video-flow-renorm-trunc", T=2, mixer=True, sched="flow", K=4, S=4, guidance=dict(guidance_scale=4, guidance_renorm=0.7, guidance_trunc=500)),
    dict(name="image-flow-cfg", T=1, mixer=False, sched="flow", K=3, S=6, guidance=dict(guidance_scale=5)),
    dict(name="image-ddpm-nocfg", T=1, mixer=False, sched="ddpm", K=2, S=4, guidance=dict(guidance_scale=1)),
]

def L(t):
    """float32 values as their shortest float32 repr (Float32Array.from() restores them exactly)."""
    return [float(repr(v)) for v in t.detach().to(torch.float32).reshape(-1).numpy()]
out = {"nova_commit": NOVA_COMMIT, "diffusers_commit": DIFFUSERS_COMMIT, "torch": torch.__version__,
       "B": B, "H": H, "W": W, "D": D, "LC": LC, "cases": []}

for case in CASES:
    torch.manual_seed(1234)
    ve, ie = VideoEncoder(case["mixer"]), ImageEncoder()
    me = emb.MaskEmbed(D).eval()
    with torch.no_grad():
        me.bos_token.copy_(torch.sin(torch.arange(D, dtype=torch.float32)).view(1, D))
        me.mask_token.copy_((0.5 * torch.cos(torch.arange(D, dtype=torch.float32))).view(1, D))
    sched = d_ddpm.DDPMScheduler(**DDPM_CFG) if case["sched"] == "ddpm" else d_flow.FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=1.0)
    model = t3d.Transformer3DModel(video_encoder=ve, image_encoder=ie, image_decoder=Head(ie.patch_embed), mask_embed=me,
                                   video_pos_embed=TimeEmbed(), sample_scheduler=sched).eval()
    N = (H // 2) * (W // 2)
    num_preds, sets = mask_sets(case["S"], N)
    cfg = case["guidance"]["guidance_scale"] > 1
    text = torch.randn((2 if cfg else 1) * B, LC, D)
    ddpm_draws = [torch.randn(B, C, H, W) for _ in range(case["T"] * sets * case["K"])] if case["sched"] == "ddpm" else []
    with recorded_draws(ddpm_draws) as (uniforms, normals):
        inputs = {"x": torch.zeros(B, C, H, W), "c": text.clone(), "num_preds": num_preds, "max_latent_length": case["T"],
                  "num_diffusion_steps": case["K"], "generator": None, "latents": [], **case["guidance"]}
        model.generate_video(inputs)
    assert not RANDN_QUEUE, "every queued DDPM draw is consumed"
    assert len(uniforms) == 1 and len(normals) == case["T"] * sets
    latents = torch.stack(inputs["latents"], dim=2)
    out["cases"].append({
        **{k: case[k] for k in ["name", "T", "mixer", "sched", "K", "S"]}, "guidance": case["guidance"],
        "ddpm_config": DDPM_CFG if case["sched"] == "ddpm" else None, "sets": sets,
        "text": L(text), "orders": me.pred_ids.reshape(B, N).tolist(),
        "initial_noise": [L(n) for n in normals], "scheduler_noise": [L(n) for n in ddpm_draws],
        "latents": L(latents), "latents_shape": list(latents.shape), "kvcache_calls": ve.kv_calls,
    })

out["weights"] = {
    "temporal_conv": {"weight": L(VideoEncoder(False).patch_embed.proj.weight), "bias": L(VideoEncoder(False).patch_embed.proj.bias)},
    "spatial_conv": {"weight": L(ImageEncoder().patch_embed.proj.weight), "bias": L(ImageEncoder().patch_embed.proj.bias)},
    "bos": L(torch.sin(torch.arange(D, dtype=torch.float32))),
    "mask_token": L(0.5 * torch.cos(torch.arange(D, dtype=torch.float32))),
}
with open(os.path.join(ROOT, "tests/golden/nova-loop.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print("wrote tests/golden/nova-loop.json")
