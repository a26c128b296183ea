"""Stand-ins for timm (VBench's UMT code names timm 0.9.12) and einops 0.7.0, neither of which Debian's
python3 has: ONLY the pieces the executed paths of VBench 45e79ec's ViCLIP (temporal_style,
overall_consistency) and UMT (human_action) code use, each either exact on that path or refusing
anything else. Installed as modules without files (`install()`), so `pc.isolated_imports` removes them.

einops
* `rearrange(x, pattern, b=, t=)` for exactly the two patterns vbench/third_party/ViCLIP/
  viclip_vision.py uses: '(b t) n m -> (b n) t m' (= reshape(b,t,n,m), permute(0,2,1,3),
  reshape(b*n,t,m)) and '(b n) t m -> b (n t) m' (= reshape(b,n,t,m), reshape(b,n*t,m)): the
  axis compositions einops defines (first-named axis major); pure data movement, so the values are
  the same bits. Any other pattern raises.

timm
* `timm.models.registry.register_model(fn)`: records fn under fn.__name__ (a later registration of
  the same name replaces the earlier one, as timm's registry does) and returns fn unchanged.
* `timm.models.create_model(name, pretrained=False, pretrained_cfg=None, pretrained_cfg_overlay=None,
  checkpoint_path='', scriptable=None, exportable=None, no_jit=None, **kwargs)`: timm 0.9's
  _factory.create_model on the path VBench uses: drops kwargs whose value is None (human_action passes
  drop_block_rate=None, which the UMT class does not accept), looks the plain name up in the registry
  and calls it with pretrained, pretrained_cfg and pretrained_cfg_overlay plus the kwargs (VBench's
  vit_large_patch16_224 pops the two cfg arguments for exactly that reason). Names with a source
  prefix or a '.tag', checkpoint_path and the layer-config switches raise.
* `timm.models.layers.drop_path(x, drop_prob, training)` / `DropPath(drop_prob)`: return x unchanged
  when drop_prob is 0/None or not training — the only case on these paths (the models are in eval
  mode); a training-mode call with drop_prob > 0 raises instead of drawing random masks.
* `timm.models.layers.to_2tuple`: an iterable (not a str) -> tuple(x), else (x, x).
* `timm.models.layers.trunc_normal_(tensor, mean=0., std=1., a=-2., b=2.)`:
  torch.nn.init.trunc_normal_ (the same algorithm, upstreamed from timm). Used only for constructor
  init, which the loaded checkpoints overwrite.
"""
import collections.abc
import sys
import types

import torch
import torch.nn as nn

REGISTRY = {}


def rearrange(x, pattern, **axes):
    if pattern == "(b t) n m -> (b n) t m":
        b, t = axes.pop("b"), axes.pop("t")
        bt, n, m = x.shape
        if axes or bt != b * t:
            raise ValueError(f"rearrange stand-in: bad axes for {pattern!r}")
        return x.reshape(b, t, n, m).permute(0, 2, 1, 3).reshape(b * n, t, m)
    if pattern == "(b n) t m -> b (n t) m":
        b, t = axes.pop("b"), axes.pop("t")
        bn, t2, m = x.shape
        if axes or t2 != t or bn % b:
            raise ValueError(f"rearrange stand-in: bad axes for {pattern!r}")
        n = bn // b
        return x.reshape(b, n, t, m).reshape(b, n * t, m)
    raise NotImplementedError(f"the einops stand-in only knows ViCLIP's two patterns, not {pattern!r}")


def register_model(fn):
    REGISTRY[fn.__name__] = fn
    return fn


def create_model(model_name, pretrained=False, pretrained_cfg=None, pretrained_cfg_overlay=None, checkpoint_path="",
                 scriptable=None, exportable=None, no_jit=None, **kwargs):
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    if ":" in model_name or "." in model_name or "/" in model_name:
        raise NotImplementedError(f"timm stand-in: only plain registered names, not {model_name!r}")
    if checkpoint_path or scriptable is not None or exportable is not None or no_jit is not None:
        raise NotImplementedError("timm stand-in: checkpoint_path and layer-config switches are not on VBench's path")
    if model_name not in REGISTRY:
        raise RuntimeError("Unknown model (%s)" % model_name)
    return REGISTRY[model_name](pretrained=pretrained, pretrained_cfg=pretrained_cfg,
                                pretrained_cfg_overlay=pretrained_cfg_overlay, **kwargs)


def drop_path(x, drop_prob=0.0, training=False, scale_by_keep=True):
    if not drop_prob or not training:
        return x
    raise NotImplementedError("timm stand-in: stochastic depth in training mode is not on VBench's path")


class DropPath(nn.Module):
    def __init__(self, drop_prob=0.0, scale_by_keep=True):
        super().__init__()
        self.drop_prob = drop_prob
        self.scale_by_keep = scale_by_keep

    def forward(self, x):
        return drop_path(x, self.drop_prob, self.training, self.scale_by_keep)


def to_2tuple(x):
    if isinstance(x, collections.abc.Iterable) and not isinstance(x, str):
        return tuple(x)
    return (x, x)


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0):
    return torch.nn.init.trunc_normal_(tensor, mean, std, a, b)


def install():
    """Put `einops`, `timm`, `timm.models`, `timm.models.layers`, `timm.models.registry` in sys.modules."""
    einops = types.ModuleType("einops")
    einops.rearrange = rearrange
    einops.STAND_IN = True
    timm = types.ModuleType("timm")
    timm.__path__ = []
    models = types.ModuleType("timm.models")
    models.__path__ = []
    layers = types.ModuleType("timm.models.layers")
    registry = types.ModuleType("timm.models.registry")
    registry.register_model = register_model
    for name in ("drop_path", "DropPath", "to_2tuple", "trunc_normal_"):
        setattr(layers, name, globals()[name])
    models.create_model = create_model
    models.register_model = register_model
    models.layers = layers
    models.registry = registry
    timm.models = models
    timm.create_model = create_model
    timm.STAND_IN = True
    sys.modules.update({"einops": einops, "timm": timm, "timm.models": models, "timm.models.layers": layers,
                        "timm.models.registry": registry})
    REGISTRY.clear()
    return REGISTRY
