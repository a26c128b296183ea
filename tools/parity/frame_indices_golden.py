#!/usr/bin/python3
"""Golden values for src/media/frame-indices.ts: VBench's get_frame_indices(n, vlen, 'middle'),
imported from the official vbench/utils.py (pass the path of a VBench checkout's vbench/ folder's
parent). Writes tests/golden/frame-indices.json."""
import importlib.util
import json
import sys
import types

# vbench/utils.py imports heavy modules at the top; only get_frame_indices is needed here.
for name in ["decord", "torch", "torchvision", "torchvision.transforms", "torchvision.transforms.functional",
             "torchvision.transforms.functional_tensor", "PIL", "PIL.Image", "cv2", "tqdm"]:
    sys.modules.setdefault(name, types.ModuleType(name))
src = open(sys.argv[1] + "/vbench/utils.py").read()
ns = {}
head = src[: src.index("def get_frame_indices")]
body = src[src.index("def get_frame_indices"):]
body = body[: body.index("\ndef ", 1)]
exec("import numpy as np\nimport random\n" + body, ns)
cases = []
for n in [1, 2, 3, 4, 7, 8, 16, 32]:
    for vlen in [1, 2, 3, 5, 7, 10, 16, 17, 29, 30, 31, 33, 49, 100, 121, 270, 455, 1000]:
        cases.append({"n": n, "vlen": vlen, "indices": [int(i) for i in ns["get_frame_indices"](n, vlen, sample="middle")]})
json.dump({"source": "Vchitect/VBench vbench/utils.py @45e79ec get_frame_indices(sample='middle')", "cases": cases},
          open("tests/golden/frame-indices.json", "w"))
print(len(cases), "cases")
