"""Minimal stand-ins for the few `diffusers` pieces that the official scheduler files (diffusers'
own scheduling_ddpm.py / scheduling_flow_match_euler_discrete.py, and NOVA's look-alikes in
diffnext/schedulers/) and NOVA's pipeline/image-processor modules import. Debian's python3 has no
diffusers (and its real package pulls in huggingface_hub, safetensors, ...), so
`install_diffusers_standins(schedulers_dir)` registers:

* diffusers.configuration_utils: ConfigMixin, and register_to_config, which (like the real
  decorator) binds the constructor's arguments with their defaults into `self.config` (attribute
  access) BEFORE the constructor body runs;
* diffusers.utils: BaseOutput (plain attribute holder), is_scipy_available, logging, PushToHubMixin;
* diffusers.utils.torch_utils.randn_tensor: pops the next tensor from `RANDN_QUEUE` (the golden
  script decides the noise; a shape mismatch is an error), so that scheduler noise can be replayed;
* diffusers.schedulers.scheduling_utils: SchedulerMixin, KarrasDiffusionSchedulers, SchedulerOutput;
* diffusers.models.modeling_outputs.BaseOutput, diffusers.pipelines.pipeline_utils.DiffusionPipeline;
* the package `diffusers.schedulers` pointing at `schedulers_dir` (the real files, loaded by name).

`model_mixin_class()` gives the ModelMixin stand-in the network goldens register (an nn.Module with
diffusers' `dtype` / `device` properties).
"""
import enum
import functools
import inspect
import logging as _logging
import sys
import types

RANDN_QUEUE = []


class _Config(dict):
    def __getattr__(self, k):
        try:
            return self[k]
        except KeyError as e:
            raise AttributeError(k) from e


class ConfigMixin:
    config_name = None

    def register_to_config(self, **kwargs):
        cfg = getattr(self, "_internal_dict", None) or _Config()
        cfg.update(kwargs)
        self._internal_dict = cfg

    @property
    def config(self):
        return self._internal_dict


def register_to_config(init):
    sig = inspect.signature(init)

    @functools.wraps(init)
    def inner(self, *args, **kwargs):
        bound = sig.bind(self, *args, **kwargs)
        bound.apply_defaults()
        values = {k: v for k, v in bound.arguments.items() if k != "self" and not k.startswith("_")}
        ConfigMixin.register_to_config(self, **values)
        init(self, *args, **kwargs)

    return inner


class BaseOutput:
    def __init__(self, *args, **kwargs):
        for k, v in kwargs.items():
            setattr(self, k, v)


def model_mixin_class():
    import torch

    class ModelMixin(torch.nn.Module):
        @property
        def dtype(self):
            return next(self.parameters()).dtype

        @property
        def device(self):
            return next(self.parameters()).device

    return ModelMixin


def randn_tensor(shape, generator=None, device=None, dtype=None, layout=None):
    if not RANDN_QUEUE:
        raise RuntimeError(f"randn_tensor{tuple(shape)} called but the golden script queued no noise")
    t = RANDN_QUEUE.pop(0)
    if tuple(t.shape) != tuple(shape):
        raise RuntimeError(f"queued noise has shape {tuple(t.shape)}, randn_tensor asked for {tuple(shape)}")
    return t.to(dtype=dtype) if dtype is not None else t


def _module(name, **attrs):
    m = types.ModuleType(name)
    m.__dict__.update(attrs)
    sys.modules[name] = m
    return m


def install_diffusers_standins(schedulers_dir=None):
    """Register the stand-in modules (see the module docstring)."""
    pkg = _module("diffusers")
    pkg.__path__ = []
    _module("diffusers.configuration_utils", ConfigMixin=ConfigMixin, register_to_config=register_to_config)
    utils = _module("diffusers.utils", BaseOutput=BaseOutput, is_scipy_available=lambda: True,
                    logging=types.SimpleNamespace(get_logger=_logging.getLogger),
                    PushToHubMixin=type("PushToHubMixin", (), {}))
    utils.__path__ = []
    _module("diffusers.utils.torch_utils", randn_tensor=randn_tensor)
    sched = _module("diffusers.schedulers")
    sched.__path__ = [schedulers_dir] if schedulers_dir else []
    karras = enum.Enum("KarrasDiffusionSchedulers", ["DDIMScheduler", "DDPMScheduler", "EulerDiscreteScheduler"])
    _module("diffusers.schedulers.scheduling_utils", SchedulerMixin=type("SchedulerMixin", (), {}),
            KarrasDiffusionSchedulers=karras, SchedulerOutput=BaseOutput)
    models = _module("diffusers.models")
    models.__path__ = []
    _module("diffusers.models.modeling_outputs", BaseOutput=BaseOutput)
    pipes = _module("diffusers.pipelines")
    pipes.__path__ = []
    _module("diffusers.pipelines.pipeline_utils", DiffusionPipeline=type("DiffusionPipeline", (), {}))
