#!/usr/bin/python3
"""Golden token ids of the OFFICIAL open_clip 2.20.0 `tokenize` (SimpleTokenizer, context 77) and a
reduced tokenizer.json fixture for genbench's CLIP tokenizer (src/metrics/clip/clip-tokenizer.ts).

Strings:
  * every GenEval colour-classifier text: the 80 class names of evaluation/object_names.txt (read from
    ../shared/data/upstream/geneval) x the 10 COLORS x the 3 templates of `color_classification`;
  * awkward strings written here: case, punctuation, contractions, digits, repeated and leading/trailing
    white space, tabs/newlines/no-break spaces, HTML entities, curly quotes, ligatures, full-width
    forms, accents (composed and decomposed), CJK, emoji, the literal special-token names, the empty
    string, and texts of exactly 75 / 76 / many BPE tokens (truncation keeps the end token last).

The golden does not carry the upstream class names: a colour prompt is stored as its (class index,
colour index, template index) and the test rebuilds the text from ../shared/data/upstream.

The reduced tokenizer.json holds exactly the BPE merges that tokenising these strings applies (recorded
while the official SimpleTokenizer runs), in their original rank order, and the vocabulary entries of the
tokens produced, with their original ids. BPE with a subset of the merges that contains every applied
merge, ranks in the original order, yields the same tokens (at every step the lowest-ranked present pair
is an applied one); the script checks this by re-running the official tokenizer with only those merges.

  /usr/bin/python3 tools/parity/clip_tokenizer_golden.py [--open-clip MIRROR] [--pydeps DIR]

--pydeps: a folder with an unpacked ftfy wheel (Debian has no python3-ftfy); python3-regex from apt.
Writes tests/golden/clip-tokenizer.json and tests/fixtures/clip-tokenizer-reduced.json
(checked by tests/metrics/clip-tokenizer.test.ts).
"""
import argparse
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import official_open_clip as ooc  # noqa: E402
import parity_common as pc  # noqa: E402

UPSTREAM = os.path.abspath(os.path.join(pc.ROOT, "..", "shared", "data", "upstream", "geneval"))
COLORS = ["red", "orange", "yellow", "green", "blue", "purple", "pink", "brown", "black", "white"]
# color_classification's templates ({c} = colour word, {obj} = class name)
TEMPLATES = ["a photo of a {c} {obj}", "a photo of a {c}-colored {obj}", "a photo of a {c} object"]

AWKWARD = [
    "",
    "A PHOTO of a Red   Fire-Hydrant!!",
    "   leading and trailing spaces   ",
    "tabs\tand\nnew\r\nlines\x0bvertical\x0cfeed",
    "no\u00a0break\u2003em\u3000ideographic spaces",
    "it's a dog's life, isn't it? we're sure they've gone, I'm here, you'll see, he'd know",
    "IT'S LOUD, WE'RE HERE",
    "numbers 12345 and 3.14159, 1,000,000 and 2nd 3rd 21st",
    "punctuation ... !!! ??? ;;; --- ___ ((())) [x] {y} <z> @#$%^&*+=|\\/~`",
    "a red-colored dog's toy; a blue-colored cat's bowl.",
    "&amp; &lt;b&gt; &quot;quoted&quot; &#39;single&#39; &#x263A; fish &amp; chips",
    "<b>bold</b> &amp; &lt;tag&gt;",
    "&AMP; &LT;x&GT; &APOS;a&APOS; &NBSP;b &QUOT;c&QUOT; &amp;amp;lt;",
    "<p>&AMP; &APOS;q&APOS; &ampx &#169; &#x1F600;</p>",
    "\u201ccurly\u201d \u2018quotes\u2019 here",
    "\ufb01sh and \ufb02ower",
    "\uff21\uff22\uff23\uff11\uff12\uff13 full width",
    "caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00c0\u00c9\u00ce\u00d5\u00dc",
    "cafe\u0301 decomposed",
    "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8 \u4e2d\u6587",
    "emoji \U0001f436\U0001f34e\u2764\ufe0f end",
    "\u0393\u03b5\u03b9\u03ac \u03c3\u03bf\u03c5 \u039a\u03cc\u03c3\u03bc\u03b5 and \u041f\u0440\u0438\u0432\u0435\u0442",
    "<start_of_text> literal special tokens <end_of_text>",
    "supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopic",
    " ".join(["dog"] * 75),
    " ".join(["dog"] * 76),
    "a photo of a red apple next to a green banana " * 12,
]


def class_names():
    with open(os.path.join(UPSTREAM, "evaluation", "object_names.txt")) as f:
        names = [line.strip() for line in f]
    assert len(names) == 80, len(names)
    return names


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
    ap.add_argument("--open-clip", help="open_clip git mirror or checkout (tag %s)" % ooc.OPEN_CLIP_TAG)
    ap.add_argument("--pydeps", help="folder holding an unpacked ftfy wheel")
    ap.add_argument("--out", default=os.path.join(pc.ROOT, "tests", "golden", "clip-tokenizer.json"))
    ap.add_argument("--fixture", default=os.path.join(pc.ROOT, "tests", "fixtures", "clip-tokenizer-reduced.json"))
    a = ap.parse_args()
    source = ooc.pick_open_clip(a.open_clip)
    tok_mod = ooc.load_tokenizer_module(source, a.pydeps)
    import ftfy

    names = class_names()
    tok = tok_mod._tokenizer
    ranks = RecordingRanks(tok.bpe_ranks)
    tok.bpe_ranks = ranks
    tok.cache = {t: t for t in ["<start_of_text>", "<end_of_text>"]}

    def ids_of(text):
        row = tok_mod.tokenize([text])[0].tolist()
        n = len(row)
        while n > 0 and row[n - 1] == 0:
            n -= 1
        return row, row[:n]

    prompts = []
    produced = set()
    for ci, name in enumerate(names):
        for k, c in enumerate(COLORS):
            for t, tpl in enumerate(TEMPLATES):
                row, ids = ids_of(tpl.format(c=c, obj=name))
                produced.update(ids)
                prompts.append([ci, k, t, ids])
    strings = []
    for s in AWKWARD:
        row, ids = ids_of(s)
        produced.update(ids)
        strings.append({"text": s, "ids": row})

    applied = sorted(ranks.applied, key=lambda p: ranks[p])
    vocab_full, _ = ooc.full_vocab(tok_mod)
    by_id = {v: k for k, v in vocab_full.items()}
    vocab = {by_id[i]: i for i in sorted(produced | {ooc.SOT, ooc.EOT})}

    # Check the reduction: the official tokenizer with only the applied merges gives the same ids.
    tok.bpe_ranks = {p: ranks[p] for p in applied}
    tok.cache = {t: t for t in ["<start_of_text>", "<end_of_text>"]}
    for ci, k, t, ids in prompts:
        assert ids_of(TEMPLATES[t].format(c=COLORS[k], obj=names[ci]))[1] == ids
    for s in strings:
        assert ids_of(s["text"])[0] == s["ids"], s["text"]

    with open(os.path.join(UPSTREAM, "evaluation", "object_names.txt"), "rb") as f:
        names_sha = hashlib.sha256(f.read()).hexdigest()
    golden = {
        "about": "open_clip %s tokenize(texts, context_length=77) token ids; colourPrompts rows are "
                 "[class index, colour index, template index, ids up to the end token]; pad with 0 to 77" % ooc.OPEN_CLIP_TAG,
        "source": {"open_clip": ooc.OPEN_CLIP_TAG, "open_clip_commit": ooc.OPEN_CLIP_COMMIT,
                   "ftfy": ftfy.__version__, "regex": __import__("regex").__version__,
                   "python": sys.version.split()[0]},
        "contextLength": 77,
        "classNames": {"file": "geneval evaluation/object_names.txt", "count": len(names), "sha256": names_sha},
        "colors": COLORS,
        "templates": TEMPLATES,
        "colourPrompts": prompts,
        "strings": strings,
        "reducedFixture": {"merges": len(applied), "vocab": len(vocab)},
    }
    pc.write_json(a.out, golden)
    fixture = ooc.tokenizer_json(vocab, applied)
    with open(a.fixture, "w") as f:
        json.dump(fixture, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"{len(prompts)} colour prompts, {len(strings)} awkward strings; reduced fixture: {len(applied)} merges, "
          f"{len(vocab)} tokens, {os.path.getsize(a.fixture)} bytes")


if __name__ == "__main__":
    main()
