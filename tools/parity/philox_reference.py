#!/usr/bin/python3
"""An independent Philox4x32-10 (Python integers, written from the SC'11 paper's definition:
bijection rounds with multipliers 0xD2511F53 / 0xCD9E8D57 on words 0 and 2, Weyl key schedule
0x9E3779B9 / 0xBB67AE85) and genbench's stream layout (word w of stream s under seed k = word
w%4 of the block with counter [w//4 lo, w//4 hi, s lo, s hi], key [k lo, k hi]); uniforms =
(word >> 8) / 2^24. Writes tests/golden/philox-words.json for tests/generate/philox.test.ts."""
import json
import os

MASK = 0xFFFFFFFF


def philox(ctr, key, rounds=10):
    c = list(ctr)
    k0, k1 = key
    for r in range(rounds):
        if r:
            k0, k1 = (k0 + 0x9E3779B9) & MASK, (k1 + 0xBB67AE85) & MASK
        p0, p1 = 0xD2511F53 * c[0], 0xCD9E8D57 * c[2]
        c = [((p1 >> 32) ^ c[1] ^ k0) & MASK, p1 & MASK, ((p0 >> 32) ^ c[3] ^ k1) & MASK, p0 & MASK]
    return c


def words(seed, stream, offset, count):
    out = []
    for w in range(offset, offset + count):
        b = w // 4
        blk = philox([b & MASK, b >> 32, stream & MASK, stream >> 32], [seed & MASK, seed >> 32])
        out.append(blk[w % 4])
    return out


cases = []
for seed, stream, offset, count in [(1337, 0, 0, 16), (1337, 1, 0, 8), (0, 0, 5, 11), (2**53 - 1, 2**64 - 1, 2**40 + 3, 9),
                                    (42, 0x0123456789ABCDEF, 4 * 2**32 - 2, 6)]:
    w = words(seed, stream, offset, count)
    cases.append({"seed": str(seed), "stream": str(stream), "offset": offset, "count": count, "words": w,
                  "uniform": [(x >> 8) / 2**24 for x in w]})
root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
with open(os.path.join(root, "tests/golden/philox-words.json"), "w") as f:
    json.dump({"cases": cases}, f, indent=1)
    f.write("\n")
print("wrote tests/golden/philox-words.json")
