#!/usr/bin/python3
"""A reduced CLIP tokenizer.json for the fixture of 'clip-vit-b32-text' (fixture-clip-b32-text), made with
the OFFICIAL openai/CLIP tokenizer (clip.tokenize, context 77) on VBench's nine appearance_style phrases.

The phrases are read from the pinned VBench_full_info.json (`auxiliary_info.appearance_style.appearance_style`
of the entries tagged appearance_style); none is written into this repository's sources. The reduced file
holds exactly the BPE merges the official tokenizer applies to them (recorded while it runs), in their
original rank order, and the vocabulary entries of the tokens produced, with their original ids
(the reasoning is in tools/parity/clip_tokenizer_golden.py). The script checks the reduction: the official
tokenizer with only those merges gives the same ids; and the ids equal the `styles[*].token_ids` of
tests/golden/vbench-appearance-style.json.

  /usr/bin/python3 tools/parity/clip_style_tokenizer.py [--clip M] [--vbench M] [--pydeps DIR] [--out FILE]

Writes tests/fixtures/clip-tokenizer-styles-reduced.json (pinned in src/metrics/clip/spec.ts,
checked by tests/vbench/appearance-style-parity.test.ts). tests/fixtures/clip-tokenizer-reduced.json
(GenEval's colour prompts) is a different file and is not touched.
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import official_clip as oc  # noqa: E402
import official_open_clip as ooc  # noqa: E402
import parity_common as pc  # noqa: E402
from clip_tokenizer_golden import RecordingRanks  # noqa: E402


def style_phrases(vbench_source):
    root = pc.materialise(vbench_source, ["vbench/VBench_full_info.json"], pc.VBENCH_COMMIT, "vbench/VBench_full_info.json",
                          what="VBench ")
    with open(os.path.join(root, "vbench", "VBench_full_info.json")) as f:
        info = json.load(f)
    out = []
    for e in info:
        if "appearance_style" in e["dimension"]:
            s = e["auxiliary_info"]["appearance_style"]["appearance_style"]
            if s not in out:
                out.append(s)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clip", help="openai/CLIP git mirror or checkout (pinned %s)" % oc.CLIP_COMMIT[:7])
    ap.add_argument("--vbench", help="VBench git mirror or checkout (pinned %s)" % pc.VBENCH_COMMIT[:7])
    ap.add_argument("--pydeps", help="folder holding an unpacked ftfy wheel")
    ap.add_argument("--golden", default=os.path.join(pc.ROOT, "tests", "golden", "vbench-appearance-style.json"))
    ap.add_argument("--out", default=os.path.join(pc.ROOT, "tests", "fixtures", "clip-tokenizer-styles-reduced.json"))
    a = ap.parse_args()
    clip, ftfy_note = oc.load_clip_package(pc.pick_source(a.clip, oc.DEFAULT_CLIP, "CLIP"), a.pydeps)
    phrases = style_phrases(pc.pick_vbench(a.vbench))
    assert len(phrases) == 9, len(phrases)

    tok = clip.clip._tokenizer
    full = dict(tok.bpe_ranks)
    ranks = RecordingRanks(full)
    tok.bpe_ranks = ranks
    tok.cache = {t: t for t in ["<|startoftext|>", "<|endoftext|>"]}

    def ids_of(text):
        return [int(t) for t in clip.tokenize([text])[0] if int(t) != 0]

    produced = {}
    for s in phrases:
        produced[s] = ids_of(s)
    with open(a.golden) as f:
        golden = json.load(f)
    assert [st["token_ids"] for st in golden["styles"]] == [produced[s] for s in phrases], "ids differ from the golden's styles"

    applied = sorted(ranks.applied, key=lambda p: full[p])
    by_id = {v: k for k, v in tok.encoder.items()}
    ids = sorted({i for v in produced.values() for i in v})
    vocab = {by_id[i]: i for i in ids}
    assert vocab["<|startoftext|>"] == ooc.SOT and vocab["<|endoftext|>"] == ooc.EOT

    # The reduction gives the same ids.
    tok.bpe_ranks = {p: full[p] for p in applied}
    tok.cache = {t: t for t in ["<|startoftext|>", "<|endoftext|>"]}
    for s in phrases:
        assert ids_of(s) == produced[s], "the reduced merges change the ids"

    with open(a.out, "w") as f:
        json.dump(ooc.tokenizer_json(vocab, applied), f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"{len(phrases)} phrases ({ftfy_note}); reduced tokenizer: {len(applied)} merges, {len(vocab)} tokens, "
          f"{os.path.getsize(a.out)} bytes, sha256 {pc.sha256_file(a.out)}")


if __name__ == "__main__":
    main()
