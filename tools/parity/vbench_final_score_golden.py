#!/usr/bin/python3
"""Golden values for VBench's Quality / Semantic / Total scores.

Runs the official scripts/cal_final_score.py functions (imported from a VBench checkout at the
pinned commit; nothing of it is copied here) on crafted dimension-score sets and writes
tests/golden/vbench-final-score.json.

Usage: /usr/bin/python3 tools/parity/vbench_final_score_golden.py VBENCH_SCRIPTS_DIR
(VBENCH_SCRIPTS_DIR: the official repository's scripts/ folder, e.g. from `git archive`).
"""
import json
import random
import sys

sys.path.insert(0, sys.argv[1])
import cal_final_score as official  # noqa: E402  (official module)
from constant import TASK_INFO  # noqa: E402

rng = random.Random(20261124)
cases = []
for n in range(6):
    scores = {k: rng.uniform(0.0, 1.0) for k in TASK_INFO}
    cases.append({"name": f"random-{n}", "scores": scores})
cases.append({"name": "published-like", "scores": {k: 0.9 if i < 7 else 0.3 for i, k in enumerate(TASK_INFO)}})
# Missing dimensions: the official script fills them with 0 before normalizing.
partial = {k: rng.uniform(0.5, 1.0) for k in TASK_INFO if k not in ("temporal flickering", "scene")}
cases.append({"name": "partial", "scores": partial})

out = []
for c in cases:
    data = dict(c["scores"])
    for k in TASK_INFO:
        data.setdefault(k, 0)
    norm = official.get_nomalized_score(data)
    q = official.get_quality_score(norm)
    s = official.get_semantic_score(norm)
    t = official.get_final_score(q, s)
    out.append({
        "name": c["name"],
        "scores": {k.replace(" ", "_"): v for k, v in c["scores"].items()},
        "normalized": {k.replace(" ", "_"): v for k, v in norm.items()},
        "quality": q, "semantic": s, "total": t,
    })
json.dump({"source": "Vchitect/VBench scripts/cal_final_score.py @45e79ec", "cases": out},
          open("tests/golden/vbench-final-score.json", "w"), indent=1)
print(f"wrote {len(out)} cases")
