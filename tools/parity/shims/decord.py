"""Stand-in for decord (not packaged by Debian). VBench's utils.py imports it at module level;
the temporal_flickering parity path never calls it (that dimension reads frames with OpenCV), so
any use is an error."""


class _Unavailable:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("decord is not available in the parity environment")


VideoReader = _Unavailable


def cpu(*args, **kwargs):
    raise RuntimeError("decord is not available in the parity environment")
