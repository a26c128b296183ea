"""The official NOVA sampler-side modules, loaded for the parity scripts without installing
anything: NOVA (baaivision/NOVA @ NOVA_COMMIT) files extracted from the mirror, diffusers'
scheduler files (huggingface/diffusers @ DIFFUSERS_COMMIT), the diffusers stand-ins of
tools/parity/diffusers_standins.py, a torch.compile no-op for torch 1.13 and an identity tqdm.
Importing this module exposes: d_ddpm, d_flow (diffusers scheduler modules), n_ddpm, n_flow
(diffnext's look-alikes), gs_mod (guidance_scaler), emb (embeddings), pipe_mod (pipeline_nova),
t3d (transformers/transformer_3d), VaeImageProcessor; and two helpers of the loop goldens:
`mask_sets` (the pipeline's cosine set schedule) and `recorded_draws` (the random draws of one run).
Sources: $NOVA_SRC / --nova and $DIFFUSERS_SRC, else the mirrors under /work/.mirror."""
import contextlib
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from parity_common import extract_files, load_file, package, pick_source  # noqa: E402
from diffusers_standins import RANDN_QUEUE, install_diffusers_standins  # noqa: E402

NOVA_COMMIT = "2cd254afdedae8670ccb492c28c53caa08f7b5a0"
DIFFUSERS_COMMIT = "58eb52c0803ea9af3abec60841c2a093bdf1f951"
NOVA_FILES = [
    "diffnext/pipelines/nova/pipeline_nova.py", "diffnext/pipelines/pipeline_utils.py",
    "diffnext/image_processor.py", "diffnext/models/guidance_scaler.py", "diffnext/models/embeddings.py",
    "diffnext/models/transformers/transformer_3d.py",
    "diffnext/schedulers/scheduling_ddpm.py", "diffnext/schedulers/scheduling_cfm.py",
]
DIFFUSERS_FILES = ["src/diffusers/schedulers/scheduling_ddpm.py",
                   "src/diffusers/schedulers/scheduling_flow_match_euler_discrete.py"]

nova_src = pick_source(os.environ.get("NOVA_SRC", ""), ["/work/.mirror/baaivision+NOVA/repo"], "NOVA", "$NOVA_SRC (a git mirror of baaivision/NOVA)")
diff_src = pick_source(os.environ.get("DIFFUSERS_SRC", ""), ["/work/.mirror/huggingface+diffusers/repo"], "diffusers", "$DIFFUSERS_SRC (a git mirror of huggingface/diffusers)")
nova = extract_files(nova_src, NOVA_FILES, NOVA_COMMIT, "nova-")
diff = extract_files(diff_src, DIFFUSERS_FILES, DIFFUSERS_COMMIT, "diffusers-")

# torch 1.13 has no torch.compile (embeddings.py decorates an unused RoPE kernel with it).
if not hasattr(torch, "compile"):
    torch.compile = lambda *a, **k: (lambda f: f)
install_diffusers_standins(os.path.join(diff, "src/diffusers/schedulers"))
for p in ["diffnext", "diffnext.models", "diffnext.models.transformers", "diffnext.pipelines",
          "diffnext.pipelines.nova", "diffnext.schedulers"]:
    package(p, os.path.join(nova, p.replace(".", "/")))
sys.modules["tqdm"] = type(sys)("tqdm")
sys.modules["tqdm"].tqdm = lambda it, *a, **k: it


def load(name):
    return load_file(name, os.path.join(nova, name.replace(".", "/") + ".py"))


d_ddpm = load_file("diffusers.schedulers.scheduling_ddpm", os.path.join(diff, DIFFUSERS_FILES[0]))
d_flow = load_file("diffusers.schedulers.scheduling_flow_match_euler_discrete", os.path.join(diff, DIFFUSERS_FILES[1]))
n_ddpm = load("diffnext.schedulers.scheduling_ddpm")
n_flow = load("diffnext.schedulers.scheduling_cfm")
gs_mod = load("diffnext.models.guidance_scaler")
emb = load("diffnext.models.embeddings")
load("diffnext.image_processor")
load("diffnext.pipelines.pipeline_utils")
pipe_mod = load("diffnext.pipelines.nova.pipeline_nova")
t3d = load("diffnext.models.transformers.transformer_3d")
from diffnext.image_processor import VaeImageProcessor  # noqa: E402



def mask_sets(S, N):
    """`num_preds` of NOVAPipeline.__call__ for S AR steps over N tokens (cosine schedule), and how many sets are non-empty."""
    ratios = np.cos(0.5 * np.pi * np.arange(S + 1) / S)
    lengths = np.round(ratios * N).astype("int64")
    num_preds = lengths[:-1] - lengths[1:]
    return num_preds, int((num_preds > 0).sum())


@contextlib.contextmanager
def recorded_draws(ddpm_draws):
    """Within the block, the DDPM scheduler's randn draws come from `ddpm_draws` (in order) and every
    Tensor.uniform_ / Tensor.normal_ call (the random orders, the initial noise) is recorded; yields
    (uniforms, normals)."""
    uniforms, normals = [], []
    orig_uniform, orig_normal = torch.Tensor.uniform_, torch.Tensor.normal_

    def rec_uniform(self, *a, **k):
        r = orig_uniform(self, *a, **k)
        uniforms.append(self.clone())
        return r

    def rec_normal(self, *a, **k):
        r = orig_normal(self, *a, **k)
        normals.append(self.clone())
        return r

    RANDN_QUEUE[:] = [t.clone() for t in ddpm_draws]
    torch.Tensor.uniform_, torch.Tensor.normal_ = rec_uniform, rec_normal
    try:
        yield uniforms, normals
    finally:
        torch.Tensor.uniform_, torch.Tensor.normal_ = orig_uniform, orig_normal
