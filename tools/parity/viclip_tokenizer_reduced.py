#!/usr/bin/python3
"""A reduced CLIP BPE tokenizer.json for the ViCLIP text-tower fixture (src/metrics/viclip/spec.ts),
made from the OFFICIAL tokenizer ViCLIP uses (VBench 45e79ec vbench/third_party/ViCLIP/simple_tokenizer.py
with openai/CLIP's bpe_simple_vocab_16e6.txt.gz, loaded as tools/parity/official_viclip.py loads it).

It holds, with their original ids and ranks:
  * every BPE merge that tokenising the 193 temporal_style and overall_consistency prompts of the pinned
    VBench_full_info.json applies (recorded while the official SimpleTokenizer runs), in rank order;
  * the vocabulary entries of every merge result, and the 512 byte symbols (each alone and with "</w>"),
    so that ANY text tokenises (other texts get fewer merges than with the full vocabulary: fine for a
    fixture, whose scores are smoke scores; the demo names its videos freely);
  * the two special tokens.
BPE with a subset of the merges that contains every applied merge, ranks in the original order, yields the
same tokens for these prompts (at every step the lowest-ranked present pair is an applied one); the script
checks it by re-running the official tokenizer with only those merges and comparing every prompt's ids
(context 32, ViCLIP's truncation) with the full tokenizer's.

  /usr/bin/python3 tools/parity/viclip_tokenizer_reduced.py [--vbench M] [--clip M] [--pydeps DIR]
      [--full-info ../shared/data/upstream/vbench/vbench/VBench_full_info.json]

Writes tests/fixtures/viclip-tokenizer-reduced.json and prints its sha256 and size.
"""
import argparse
import hashlib
import importlib
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official_open_clip as ooc  # noqa: E402
import official_viclip as ov  # noqa: E402
import parity_common as pc  # noqa: E402

DIMS = ["temporal_style", "overall_consistency"]


class RecordingRanks(dict):
    """bpe_ranks that records every pair SimpleTokenizer.bpe merges (its `bigram in ranks` test)."""

    def __init__(self, *a):
        super().__init__(*a)
        self.applied = set()

    def __contains__(self, pair):
        hit = dict.__contains__(self, pair)
        if hit:
            self.applied.add(pair)
        return hit


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vbench", help="VBench git mirror or checkout (pinned %s)" % pc.VBENCH_COMMIT[:7])
    ap.add_argument("--clip", help="openai/CLIP git mirror or checkout (for the BPE file)")
    ap.add_argument("--pydeps", help="folder holding an unpacked ftfy wheel")
    ap.add_argument("--full-info", default=os.path.join(pc.ROOT, "..", "shared", "data", "upstream", "vbench", "vbench",
                                                        "VBench_full_info.json"))
    ap.add_argument("--out", default=os.path.join(pc.ROOT, "tests", "fixtures", "viclip-tokenizer-reduced.json"))
    a = ap.parse_args()

    cache = tempfile.mkdtemp(prefix="genbench-viclip-tok-")
    ov.load(pc.pick_vbench(a.vbench), cache, a.pydeps, a.clip)
    tok_mod = importlib.import_module("vbench.third_party.ViCLIP.simple_tokenizer")
    tok = tok_mod.SimpleTokenizer(os.path.join(cache, "ViCLIP", ov.BPE_NAME))
    sot, eot = tok.encoder["<|startoftext|>"], tok.encoder["<|endoftext|>"]
    assert (sot, eot) == (ooc.SOT, ooc.EOT)

    with open(a.full_info) as f:
        info = json.load(f)
    prompts = [e["prompt_en"] for e in info if set(DIMS) & set(e["dimension"])]
    assert len(prompts) == 193, len(prompts)

    def ids_of(text):
        # CLIP_TEXT.tokenize(text, context_length=32) with truncate=True (viclip_text.py)
        t = [sot] + tok.encode(text) + [eot]
        if len(t) > ov.CONTEXT:
            t = t[:ov.CONTEXT]
            t[-1] = eot
        return t

    ranks = RecordingRanks(tok.bpe_ranks)
    full_ranks = tok.bpe_ranks
    tok.bpe_ranks = ranks
    tok.cache = {"<|startoftext|>": "<|startoftext|>", "<|endoftext|>": "<|endoftext|>"}
    expected = [ids_of(p) for p in prompts]
    applied = sorted(ranks.applied, key=lambda p: ranks[p])

    # Check the reduction with the official tokenizer itself.
    tok.bpe_ranks = {p: full_ranks[p] for p in applied}
    tok.cache = {"<|startoftext|>": "<|startoftext|>", "<|endoftext|>": "<|endoftext|>"}
    for p, e in zip(prompts, expected):
        assert ids_of(p) == e, p

    byte_symbols = list(tok_mod.bytes_to_unicode().values())
    tokens = set(byte_symbols) | {s + "</w>" for s in byte_symbols} | {"".join(m) for m in applied}
    tokens |= {"<|startoftext|>", "<|endoftext|>"}
    vocab = {t: tok.encoder[t] for t in sorted(tokens, key=lambda t: tok.encoder[t])}
    produced = {i for e in expected for i in e}
    assert produced <= set(vocab.values())

    with open(a.out, "w") as f:
        json.dump(ooc.tokenizer_json(vocab, applied), f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    with open(a.out, "rb") as f:
        data = f.read()
    print(f"{len(prompts)} prompts; reduced tokenizer: {len(applied)} merges, {len(vocab)} tokens; "
          f"{a.out}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")


if __name__ == "__main__":
    main()
