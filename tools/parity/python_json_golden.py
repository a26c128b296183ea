"""Golden values for src/core/pycompat/json.ts: CPython's repr(float) and json.dumps, and
pandas 1.5's to_json(orient="records", lines=True), on crafted values (no upstream text).

    /usr/bin/python3 tools/parity/python_json_golden.py > tests/golden/python-json.json
"""
import io
import json
import math
import struct
import sys

import numpy as np
import pandas as pd

floats = [0.0, -0.0, 1.0, 112.0, -3.5, 0.1, 1 / 3, 2 / 3 * 1e-5, 1e-4, 1e-5, 0.00012345, 123456789012345.0,
          1234567890123456.0, 1e16, 1.5e16, 1e22, 5e-324, 1.7976931348623157e308, float("nan"), float("inf"),
          -float("inf"), 99.99999999999999, 0.30000000000000004]
# float32 values widened to float64, as numpy's .tolist() gives them (the details column)
rng = np.random.default_rng(7)
f32 = [float(v) for v in rng.random(12, dtype=np.float32)] + [float(np.float32(v)) for v in (0.3, 0.9, 1e-6, 639.0)]
floats += f32

def bits(x):
    return struct.pack(">d", x).hex()

structures = [
    {"tag": "counting", "include": [{"class": "cat", "count": 3}], "prompt": "a photo of three cats"},
    {"tag": "position", "include": [{"class": "dog", "count": 1}, {"class": "cat", "count": 1, "position": ["left of", 0]}],
     "exclude": [{"class": "cat", "count": 2}], "prompt": "caf\u00e9 / na\u00efve \u2014 \U0001F600 \"q\" \\ \t"},
    {"boxes": [[float(np.float32(v)) for v in (12.0, 40.0, 200.0, 311.0, 0.9957236647605896)]], "empty": [], "none": None, "t": True},
]
records = [
    {"filename": "out/00000/samples/00001.png", "tag": "colors", "prompt": "a photo of a red cup", "correct": True, "reason": "",
     "metadata": json.dumps(structures[0]), "details": json.dumps(structures[2])},
    {"filename": "x/00012/samples/00003.png", "tag": "position", "prompt": structures[1]["prompt"], "correct": False,
     "reason": "expected cat left of dog\nexpected dog>=1, found 0", "metadata": json.dumps(structures[1]), "details": "{}"},
]
buf = io.StringIO()
pd.DataFrame(records).to_json(buf, orient="records", lines=True)
json.dump({
    "generator": "tools/parity/python_json_golden.py",
    "versions": {"python": sys.version.split()[0], "pandas": pd.__version__, "numpy": np.__version__},
    "floats": [{"bits": bits(x), "repr": repr(x)} for x in floats],
    "dumps": [{"value": s, "dumps": json.dumps(s)} for s in structures],
    "pandas": {"records": records, "text": buf.getvalue()},
}, sys.stdout, indent=1, allow_nan=True)
