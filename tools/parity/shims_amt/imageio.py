"""Stand-in for `imageio` (not installed here). VBench's AMT utils import imread/imwrite at module
level but motion_smoothness never calls them."""


def imread(*args, **kwargs):
    raise NotImplementedError("imageio stand-in: imread is not used by motion_smoothness")


def imwrite(*args, **kwargs):
    raise NotImplementedError("imageio stand-in: imwrite is not used by motion_smoothness")
