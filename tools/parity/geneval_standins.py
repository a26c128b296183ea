"""Stand-ins for the heavy imports of GenEval's evaluation/evaluate_images.py (torch, mmdet, open_clip,
clip_benchmark), so that the official script runs unchanged on Debian's python3 with crafted detections and
crafted colour predictions (tools/parity/geneval_tasks_golden.py).

Nothing of the official code is copied here; `install()` only puts these fake modules into sys.modules before
the official file is executed.

* torch: `cuda.is_available()` is True (the script asserts CUDA), `utils.data.Dataset`, `utils.data.DataLoader`
  (keeps the dataset and its batch size), `no_grad()`.
* mmdet / mmdet.apis: `init_detector` returns a marker, `inference_detector(model, filepath)` returns the
  `(bbox_results, mask_results)` tuple registered for that file in `DETECTIONS` (80 float32 arrays N x 5 and 80
  lists of bool H x W masks, as mmdet 2.x returns them).
* open_clip: `create_model_and_transforms` returns (marker, None, identity transform), `get_tokenizer` a marker.
* clip_benchmark.metrics.zeroshot_classification: `zero_shot_classifier` returns the class name it was built
  for (recorded in `CLASSIFIERS_BUILT`); `run_classification(model, clf, dataloader, device)` reads every item
  of the official `ImageCrops` dataset (so its compositing / cropping code runs and its asserts hold), then
  looks the predicted colour of each object up in `COLOR_OF` by the object's box row (bytes of the float32
  row), and returns one-hot logits over the COLORS list (so the official `pred.argmax(1)` / `COLORS[...]`
  code maps them back). Every call is appended to `COLOR_CALLS`.
"""
import os
import sys
import types

import numpy as np

COLORS = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "black", "white"]

DETECTIONS = {}  # filepath -> (bbox list, segm list)
COLOR_OF = {}  # bytes of a float32 box row -> colour word
COLOR_CALLS = []  # (classname, [box rows]) per run_classification call
CLASSIFIERS_BUILT = []


def box_key(row):
    return np.asarray(row, dtype=np.float32)[:5].tobytes()


def _torch():
    torch = types.ModuleType("torch")
    torch.cuda = types.SimpleNamespace(is_available=lambda: True)

    class Dataset:
        pass

    class DataLoader:
        def __init__(self, dataset, batch_size=1, num_workers=0, **kw):
            self.dataset = dataset
            self.batch_size = batch_size

    class _NoGrad:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    data = types.ModuleType("torch.utils.data")
    data.Dataset = Dataset
    data.DataLoader = DataLoader
    utils = types.ModuleType("torch.utils")
    utils.data = data
    torch.utils = utils
    torch.no_grad = _NoGrad
    return {"torch": torch, "torch.utils": utils, "torch.utils.data": data}


def _mmdet(fake_root):
    mmdet = types.ModuleType("mmdet")
    mmdet.__file__ = os.path.join(fake_root, "mmdet", "__init__.py")
    apis = types.ModuleType("mmdet.apis")
    apis.init_detector = lambda config, ckpt, device=None: ("detector", config, ckpt, device)

    def inference_detector(model, filepath):
        return DETECTIONS[filepath]

    apis.inference_detector = inference_detector
    mmdet.apis = apis
    return {"mmdet": mmdet, "mmdet.apis": apis}


def _open_clip():
    oc = types.ModuleType("open_clip")
    oc.create_model_and_transforms = lambda arch, pretrained=None, device=None: (("clip", arch), None, lambda im: im)
    oc.get_tokenizer = lambda arch: ("tokenizer", arch)
    return {"open_clip": oc}


def _clip_benchmark():
    cb = types.ModuleType("clip_benchmark")
    metrics = types.ModuleType("clip_benchmark.metrics")
    zsc = types.ModuleType("clip_benchmark.metrics.zeroshot_classification")

    def zero_shot_classifier(model, tokenizer, classnames, templates, device, amp=True):
        assert list(classnames) == COLORS
        # templates are "a photo of a {c} <class>", ...: keep the class name to check the call
        CLASSIFIERS_BUILT.append(templates[0].replace("a photo of a {c} ", ""))
        return ("classifier", templates[0])

    def run_classification(model, classifier, dataloader, device, amp=True):
        ds = dataloader.dataset
        for i in range(len(ds)):
            ds[i]  # runs the official compositing/cropping (and its mask-shape assert)
        rows = [box for box, _ in ds._objects]
        COLOR_CALLS.append((classifier[1], [np.asarray(r).tolist() for r in rows]))
        logits = np.zeros((len(rows), len(COLORS)), dtype=np.float32)
        for i, r in enumerate(rows):
            logits[i, COLORS.index(COLOR_OF[box_key(r)])] = 1.0
        return logits, np.zeros(len(rows), dtype=np.int64)

    zsc.zero_shot_classifier = zero_shot_classifier
    zsc.run_classification = run_classification
    metrics.zeroshot_classification = zsc
    cb.metrics = metrics
    return {"clip_benchmark": cb, "clip_benchmark.metrics": metrics,
            "clip_benchmark.metrics.zeroshot_classification": zsc}


def install(fake_root):
    mods = {}
    mods.update(_torch())
    mods.update(_mmdet(fake_root))
    mods.update(_open_clip())
    mods.update(_clip_benchmark())
    sys.modules.update(mods)
