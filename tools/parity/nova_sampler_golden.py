#!/usr/bin/python3
"""Goldens for the NOVA sampler math (src/generate/nova/sampler/), from the OFFICIAL code:

* mask schedule: NOVAPipeline.__call__ (diffnext/pipelines/nova/pipeline_nova.py @ NOVA 2cd254a)
  run on a stand-in `self` whose transformer records inputs["num_preds"] and stops;
* token sets: MaskEmbed.get_pred_mask (diffnext/models/embeddings.py) with a given order;
* schedulers: diffusers' DDPMScheduler and FlowMatchEulerDiscreteScheduler (the classes the
  checkpoints' model_index.json names, huggingface/diffusers @ DIFFUSERS_COMMIT) — timesteps,
  alphas_cumprod / sigmas and step() on small float32 tensors with queued noise — plus NOVA's
  look-alike copies (diffnext/schedulers/*.py) for the record;
* CFG: GuidanceScaler (diffnext/models/guidance_scaler.py): scale, renorm, trunc, decay;
* the token-wise diffusion loop: Transformer3DModel.denoise (diffnext/models/transformers/
  transformer_3d.py) with PatchEmbed's patchify/unpatchify and a stand-in MLP head whose output
  is a simple known function (the TS test evaluates the same function);
* uint8 conversion: VaeImageProcessor.pt_to_numpy (diffnext/image_processor.py).

Everything runs in float32 on CPU under Debian's torch 1.13. Writes tests/golden/nova-sampler.json.
Usage: /usr/bin/python3 tools/parity/nova_sampler_golden.py  (sources: see official_nova_sampler.py)
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parity_common import ROOT  # noqa: E402
from diffusers_standins import RANDN_QUEUE  # noqa: E402

from official_nova_sampler import (  # noqa: E402
    DIFFUSERS_COMMIT, NOVA_COMMIT, VaeImageProcessor, d_ddpm, d_flow, emb, gs_mod, n_ddpm, n_flow, pipe_mod, t3d)

rs = np.random.RandomState(20260)


def f32(shape, scale=1.0):
    return torch.from_numpy((rs.standard_normal(shape) * scale).astype(np.float32))


def L(t):
    return np.asarray(t, dtype=np.float64).reshape(-1).tolist() if torch.is_tensor(t) is False else t.double().reshape(-1).tolist()


out = {"nova_commit": NOVA_COMMIT, "diffusers_commit": DIFFUSERS_COMMIT, "torch": torch.__version__, "numpy": np.__version__}

# ------------------------------------------------------------------ mask schedule (pipeline __call__)
class _Stop(Exception):
    pass


class _FakeTransformer:
    def __init__(self, base):
        self.config = type("C", (), {"image_base_size": base})()

    def __call__(self, inputs):
        raise _Stop(inputs["num_preds"])


def num_preds(base, steps):
    fake = type("P", (), {})()
    fake.scheduler = type("S", (), {"set_shift": lambda self, s: None})()
    fake.transformer = _FakeTransformer(base)
    fake.encode_prompt = lambda **kw: [0, 0]
    fake.prepare_latents = lambda *a, **k: []
    try:
        pipe_mod.NOVAPipeline.__call__(fake, prompt="x", num_inference_steps=steps)
    except _Stop as s:
        return [int(v) for v in s.args[0]]
    raise RuntimeError("pipeline did not reach the transformer")


schedule_cases = [([30, 48], 64), ([30, 48], 128), ([64, 64], 64), ([64, 64], 128), ([32, 32], 64), ([32, 32], 128),
                  ([4, 4], 4), ([4, 4], 8), ([2, 2], 8), ([8, 8], 16), ([10, 10], 7), ([3, 5], 32), ([16, 16], 1)]
out["mask_schedule"] = [{"base": b, "steps": s, "num_preds": num_preds(b, s)} for b, s in schedule_cases]

# ------------------------------------------------------------------ token sets (MaskEmbed.get_pred_mask)
me = emb.MaskEmbed(8).eval()
B, N = 2, 10
order = torch.stack([torch.randperm(N, generator=torch.Generator().manual_seed(7 + b)) for b in range(B)]).unsqueeze(-1)
me.mask, me.pred_ids, me.pred_pos = torch.ones(B, N, 1), order.clone(), 0
sets = []
for k in [1, 2, 0, 3, 4]:
    pm, pid = me.get_pred_mask(k)
    sets.append({"k": k, "pred_mask": pm.reshape(B, N).int().tolist(), "pred_ids": pid.reshape(B, -1).tolist(),
                 "mask_after": me.mask.reshape(B, N).int().tolist()})
out["pred_sets"] = {"order": order.reshape(B, N).tolist(), "steps": sets}

# ------------------------------------------------------------------ DDPM (diffusers) + diffnext copy
SHAPE = (1, 4, 2, 2)
ddpm_configs = {
    "nova_assumed": dict(beta_schedule="squaredcos_cap_v2", num_train_timesteps=1000, steps_offset=1, clip_sample=False, set_alpha_to_one=False),
    "squaredcos_clip_default": dict(beta_schedule="squaredcos_cap_v2", num_train_timesteps=1000, steps_offset=1),
    "linear": dict(beta_schedule="linear", num_train_timesteps=1000, clip_sample=False),
    "scaled_linear_trailing": dict(beta_schedule="scaled_linear", beta_start=0.00085, beta_end=0.012, num_train_timesteps=1000,
                                   timestep_spacing="trailing", clip_sample=False),
    "linspace_v": dict(beta_schedule="squaredcos_cap_v2", num_train_timesteps=1000, timestep_spacing="linspace",
                       prediction_type="v_prediction", clip_sample=False),
}
ddpm_out = []
for name, cfg in ddpm_configs.items():
    dcfg = {k: v for k, v in cfg.items() if k != "set_alpha_to_one"}
    for K in [25, 100, 7]:
        s = d_ddpm.DDPMScheduler(**dcfg)
        s.set_timesteps(K)
        ts = [int(t) for t in s.timesteps]
        steps = []
        x = f32(SHAPE)
        for j, t in enumerate(ts[:3] + ts[-2:]):
            eps, noise = f32(SHAPE), f32(SHAPE)
            RANDN_QUEUE[:] = [noise.clone()] if t > 0 else []
            prev = s.step(eps, t, x).prev_sample
            steps.append({"t": t, "x": L(x), "model_output": L(eps), "noise": L(noise), "prev": L(prev)})
            x = prev
        entry = {"config": cfg, "K": K, "timesteps": ts, "steps": steps}
        if K == 25:
            entry["alphas_cumprod"] = L(s.alphas_cumprod)
            entry["betas"] = L(s.betas)
            ns = n_ddpm.DDPMScheduler(**{k: v for k, v in dcfg.items() if k != "clip_sample"})
            ns.set_timesteps(K)
            entry["diffnext_same_timesteps"] = [int(t) for t in ns.timesteps] == ts
            entry["diffnext_alphas_cumprod_max_abs_diff"] = float((ns.alphas_cumprod - s.alphas_cumprod).abs().max())
        ddpm_out.append(entry)
out["ddpm"] = ddpm_out

# ------------------------------------------------------------------ flow matching Euler (diffusers) + diffnext copy
flow_out = []
for shift, K, set_shift in [(1.0, 25, None), (1.0, 10, None), (1.0, 100, None), (3.0, 25, None), (1.0, 25, 2.5)]:
    s = d_flow.FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=shift)
    if set_shift:
        s.set_shift(set_shift)
    s.set_timesteps(K)
    ns = n_flow.FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=shift)
    if set_shift:
        ns.set_shift(set_shift)
    ns.set_timesteps(K)
    s._step_index = None
    x = f32(SHAPE)
    steps = []
    for j, t in enumerate(s.timesteps):
        v = f32(SHAPE)
        prev = s.step(v, t, x).prev_sample
        if j < 3 or j >= K - 2:
            steps.append({"index": j, "x": L(x), "model_output": L(v), "prev": L(prev)})
        x = prev
    flow_out.append({
        "shift": shift, "set_shift": set_shift, "K": K, "sigma_min": s.sigma_min, "sigma_max": s.sigma_max,
        "sigmas": L(s.sigmas), "timesteps": L(s.timesteps), "steps": steps,
        "diffnext_timesteps_max_abs_diff": float(np.max(np.abs(np.asarray(ns.timesteps, dtype=np.float64) - s.timesteps.double().numpy()))),
    })
out["flow"] = flow_out

# ------------------------------------------------------------------ GuidanceScaler
GS = gs_mod.GuidanceScaler
cfg_cases = []
for kw in [dict(guidance_scale=7), dict(guidance_scale=5, guidance_renorm=0.5), dict(guidance_scale=3, guidance_renorm=0.95),
           dict(guidance_scale=1)]:
    x = f32((4, 6, 16))
    g = GS(**kw)
    y = g.scale(x.clone())
    cfg_cases.append({"kwargs": kw, "input": L(x), "shape": list(x.shape), "output": L(y)})
decay = []
for kw in [dict(guidance_scale=7), dict(guidance_scale=7, min_guidance_scale=2)]:
    g = GS(**kw)
    vals = []
    for i in range(5):
        g.decay_guidance_scale((i + 1) / 5)
        vals.append(g.guidance_scale)
    decay.append({"kwargs": kw, "n": 5, "scales": vals})
trunc = []
for t in [900.0, 500.0, 499.9, 10.0]:
    g = GS(guidance_scale=5, guidance_trunc=500)
    z, ids = f32((4, 3, 2)), torch.arange(4 * 2).reshape(4, 2, 1)
    z2, ids2 = g.maybe_disable(torch.tensor(t), z, ids)
    trunc.append({"t": t, "batch_after": int(z2.shape[0]), "scale_after": g.guidance_scale})
out["guidance"] = {"scale": cfg_cases, "decay": decay, "trunc": trunc}

# ------------------------------------------------------------------ token-wise diffusion loop (Transformer3DModel.denoise)
pe = emb.PatchEmbed(4, 8, 2)


class FakeHead(torch.nn.Module):
    """Stand-in MLP head: out = patchify(x) everywhere, replaced at the selected ids by
    a·patchify(x) + b·z[..., :16] + c·t/1000 (a, b, c fixed), i.e. a known per-token function."""

    def forward(self, x, timestep, z, pred_ids):
        o = pe.patchify(x).clone()
        tt = timestep.view(-1, 1, 1).to(o.dtype) / 1000
        val = o * 0.5 + z[..., :16] * 0.25 + tt * 0.125
        idx = pred_ids.expand(-1, -1, 16)
        o.scatter_(1, idx, val.gather(1, idx))
        return o


class FakeT3D:
    pass


loop_cases = []
for kind, gkw in [("flow", dict(guidance_scale=5)), ("flow", dict(guidance_scale=4, guidance_renorm=0.6, guidance_trunc=500)),
                  ("ddpm", dict(guidance_scale=7)), ("ddpm", dict(guidance_scale=1))]:
    Bs, h, w, K = 2, 4, 6, 6
    n = (h // 2) * (w // 2)
    fake = FakeT3D()
    fake.image_decoder = FakeHead()
    fake.image_encoder = type("E", (), {"patch_embed": pe})()
    pe.height, pe.width = h // 2, w // 2
    if kind == "flow":
        fake.sample_scheduler = d_flow.FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=1.0)
    else:
        fake.sample_scheduler = d_ddpm.DDPMScheduler(**{k: v for k, v in ddpm_configs["nova_assumed"].items() if k != "set_alpha_to_one"})
    fake.sample_scheduler.set_timesteps(K)
    cfg_on = gkw["guidance_scale"] > 1
    z = f32(((2 if cfg_on else 1) * Bs, n, 20))
    x0 = f32((Bs, 4, h, w))
    ids = torch.tensor([[[1], [4]], [[0], [5]]])
    ids2 = torch.cat([ids, ids]) if cfg_on else ids
    noises = [f32((Bs, 4, h, w)) for _ in range(K)] if kind == "ddpm" else []
    RANDN_QUEUE[:] = [t.clone() for t in noises]
    res = t3d.Transformer3DModel.denoise(fake, z, x0.clone(), GS(**gkw), None, ids2)
    loop_cases.append({"kind": kind, "guidance": gkw, "B": Bs, "h": h, "w": w, "K": K, "z": L(z), "z_shape": list(z.shape),
                       "x": L(x0), "ids": ids.reshape(Bs, -1).tolist(), "noises": [L(t) for t in noises],
                       "result": L(res), "result_shape": list(res.shape)})
out["denoise"] = loop_cases

# ------------------------------------------------------------------ uint8 conversion (pt_to_numpy)
edge = torch.tensor([-1.5, -1.0, -0.99999, -0.5, 0.0, 1e-7, 0.003921, 0.0039216, 0.5, 0.99, 0.999999, 1.0, 1.2, -0.0], dtype=torch.float32)
vals = torch.cat([edge, f32((200,), 0.7)])
img = vals[: 2 * 3 * 5 * 7].reshape(2, 3, 5, 7) if vals.numel() >= 210 else None
u8_img = VaeImageProcessor.pt_to_numpy(img)
vid = vals[: 1 * 3 * 2 * 3 * 5].reshape(1, 3, 2, 3, 5)
u8_vid = VaeImageProcessor.pt_to_numpy(vid)
out["uint8"] = {"image": {"shape": list(img.shape), "input": L(img), "output": u8_img.reshape(-1).tolist(), "out_shape": list(u8_img.shape)},
                "video": {"shape": list(vid.shape), "input": L(vid), "output": u8_vid.reshape(-1).tolist(), "out_shape": list(u8_vid.shape)}}

with open(os.path.join(ROOT, "tests/golden/nova-sampler.json"), "w") as f:  # compact: ~0.6 MB of float lists
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print("wrote tests/golden/nova-sampler.json")
