"""Minimal stand-in for `omegaconf` (not installed here), enough for VBench's motion_smoothness:
`OmegaConf.load(path).network` followed by `cfg['name']` and `cfg.get('params', {})`.
YAML is read with PyYAML; mappings become dicts that also allow attribute access."""
import yaml


class _Node(dict):
    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError as e:
            raise AttributeError(key) from e


def _wrap(x):
    if isinstance(x, dict):
        return _Node({k: _wrap(v) for k, v in x.items()})
    if isinstance(x, list):
        return [_wrap(v) for v in x]
    return x


class OmegaConf:
    @staticmethod
    def load(path):
        with open(path) as f:
            return _wrap(yaml.safe_load(f))

    @staticmethod
    def create(obj=None):
        return _wrap(obj or {})
