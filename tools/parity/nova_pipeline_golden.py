#!/usr/bin/python3
"""Golden for whole NOVA generations with the REAL networks at the tiny configuration: the OFFICIAL
NOVATransformer3DModel (diffnext @ NOVA 2cd254a) loaded with the weights of
tests/fixtures/nova-tiny/transformer (written by nova_networks_golden.py), driven by the official
forward → preprocess → generate_video → generate_frame → denoise, with diffusers' schedulers
(the files tools/parity/official_nova_sampler.py loads). Every random draw (the order's uniforms,
each set's start noise, DDPM noise) is recorded so the TS test (tests/generate/nova-pipeline.test.ts)
replays them through recordedNoiseSource into generateLatents over genbench's ONNX networks.

Cases: a 2-frame video with DDPM + CFG, and a single image (T = 1) with flow matching + CFG.
Writes tests/golden/nova-pipeline.json. Run: nice /usr/bin/python3 tools/parity/nova_pipeline_golden.py
"""
import json
import os
import struct
import sys
import types

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official_nova_sampler as ons  # noqa: E402  (diffusers stand-ins, schedulers, diffnext sampler modules)
from diffusers_standins import RANDN_QUEUE, model_mixin_class  # noqa: E402
from parity_common import ROOT, git, load_file, package  # noqa: E402
from nova_networks_golden import TINY_CONFIG, TINY_T2I_CONFIG, register_tiny, sdpa_reference  # noqa: E402

EXTRA_FILES = ["diffnext/models/normalization.py", "diffnext/models/flex_attention.py",
               "diffnext/models/vision_transformer.py", "diffnext/models/diffusion_mlp.py",
               "diffnext/utils/registry.py", "diffnext/models/transformers/transformer_nova.py"]
TINY = os.path.join(ROOT, "tests", "fixtures", "nova-tiny")


def load_transformer_modules():
    for rel in EXTRA_FILES:
        path = os.path.join(ons.nova, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(git(["--git-dir", ons.nova_src, "show", f"{ons.NOVA_COMMIT}:{rel}"]))

    ModelMixin = model_mixin_class()

    mm = types.ModuleType("diffusers.models.modeling_utils")
    mm.ModelMixin = ModelMixin
    sys.modules["diffusers.models.modeling_utils"] = mm
    torch.nn.functional.scaled_dot_product_attention = sdpa_reference
    package("diffnext.utils", os.path.join(ons.nova, "diffnext/utils"))
    for rel in EXTRA_FILES:
        load_file(rel[:-3].replace("/", "."), os.path.join(ons.nova, rel))
    return sys.modules["diffnext.models.transformers.transformer_nova"]


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        dt = {"F16": "<f2", "F32": "<f4"}[info["dtype"]]
        out[name] = torch.from_numpy(np.frombuffer(data[b:e], dtype=dt).astype(np.float32).reshape(info["shape"]))
    return out


def L(t):
    return [float(repr(v)) for v in t.detach().to(torch.float32).reshape(-1).numpy()]


DDPM_CFG = dict(beta_schedule="squaredcos_cap_v2", num_train_timesteps=1000, steps_offset=1, clip_sample=False)
CASES = [
    dict(name="video-2-frames-ddpm-cfg", transformer="transformer", T=2, sched="ddpm", K=3, S=4, guidance=dict(guidance_scale=5.0)),
    dict(name="image-from-video-model-flow-cfg", transformer="transformer", T=1, sched="flow", K=4, S=5, guidance=dict(guidance_scale=4.0)),
    dict(name="image-t2i-ddpm-cfg", transformer="transformer-t2i", T=1, sched="ddpm", K=3, S=4, guidance=dict(guidance_scale=7.0)),
]
B = 1


def main():
    nova = load_transformer_modules()
    register_tiny(nova)
    models = {}
    for name, expected in [("transformer", TINY_CONFIG), ("transformer-t2i", TINY_T2I_CONFIG)]:
        with open(os.path.join(TINY, name, "config.json")) as f:
            cfg = {k: v for k, v in json.load(f).items() if not k.startswith("_")}
        assert cfg == expected
        m = nova.NOVATransformer3DModel(**cfg).eval()
        missing, unexpected = m.load_state_dict(read_safetensors(os.path.join(TINY, name, "diffusion_pytorch_model.safetensors")), strict=False)
        assert not unexpected and not missing, (missing, unexpected)
        models[name] = m

    h, w = 8, 8
    N = (h // 2) * (w // 2)
    C = 4
    out = {"nova_commit": ons.NOVA_COMMIT, "diffusers_commit": ons.DIFFUSERS_COMMIT, "torch": torch.__version__, "B": B, "cases": []}
    for case in CASES:
        model = models[case["transformer"]]
        torch.manual_seed(4321)
        feats = torch.randn(5, 24)
        buf = model.text_embed.encode_prompts([feats])
        prompt = torch.cat([buf, model.text_embed.weight[:8].expand(1, -1, -1)])
        num_preds, sets = ons.mask_sets(case["S"], N)
        model.sample_scheduler = ons.d_ddpm.DDPMScheduler(**DDPM_CFG) if case["sched"] == "ddpm" else ons.d_flow.FlowMatchEulerDiscreteScheduler(num_train_timesteps=1000, shift=1.0)
        model.mask_embed.pred_ids = None
        ddpm_draws = [torch.randn(B, C, h, w) for _ in range(case["T"] * sets * case["K"])] if case["sched"] == "ddpm" else []
        with ons.recorded_draws(ddpm_draws) as (uniforms, normals):
            inputs = {"x": torch.zeros(B, C, h, w), "prompt": prompt.clone(), "motion_flow": [5] * B, "batch_size": B,
                      "num_preds": num_preds, "max_latent_length": case["T"], "num_diffusion_steps": case["K"],
                      "generator": None, "latents": [], **case["guidance"]}
            with torch.no_grad():
                latents = model(inputs)["x"]
        assert not RANDN_QUEUE and len(uniforms) == 1 and len(normals) == case["T"] * sets
        out["cases"].append({
            **{k: case[k] for k in ["name", "transformer", "T", "sched", "K", "S"]}, "guidance": case["guidance"],
            "ddpm_config": DDPM_CFG if case["sched"] == "ddpm" else None, "sets": sets, "motion_flow": 5,
            "text_features": L(feats), "text_length": 5, "orders": model.mask_embed.pred_ids.reshape(B, N).tolist(),
            "initial_noise": [L(n) for n in normals], "scheduler_noise": [L(n) for n in ddpm_draws],
            "latents": L(latents), "latents_shape": list(latents.shape),
        })
    with open(os.path.join(ROOT, "tests/golden/nova-pipeline.json"), "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print("wrote tests/golden/nova-pipeline.json")


if __name__ == "__main__":
    main()
