import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { philox4x32, philoxWords } from '../../src/generate/nova/rng/philox.ts';
import { normalF32, normalF32At, permutation, streamId, uniformF32 } from '../../src/generate/nova/rng/distributions.ts';
import { noisePurpose, philoxNoiseSource, recordedNoiseSource } from '../../src/generate/nova/rng/noise-source.ts';
import { isGenbenchError } from '../../src/core/errors.ts';

const hex = (a: Uint32Array) => Array.from(a, (x) => x.toString(16).padStart(8, '0')).join(' ');
const words = (s: string) => s.split(' ').map((h) => parseInt(h, 16));

// Known answers from Random123's tests/kat_vectors (D. E. Shaw Research, the reference
// implementation of Salmon et al., SC'11): lines "philox4x32 R ctr0..3 key0..1 -> out0..3".
const KAT: [number, string, string, string][] = [
  [10, '00000000 00000000 00000000 00000000', '00000000 00000000', '6627e8d5 e169c58d bc57ac4c 9b00dbd8'],
  [10, 'ffffffff ffffffff ffffffff ffffffff', 'ffffffff ffffffff', '408f276d 41c83b0e a20bc7c6 6d5451fd'],
  [10, '243f6a88 85a308d3 13198a2e 03707344', 'a4093822 299f31d0', 'd16cfe09 94fdcceb 5001e420 24126ea1'],
  [7, '243f6a88 85a308d3 13198a2e 03707344', 'a4093822 299f31d0', '4dfccaba 190a87f0 c47362ba b6b5242a'],
];

test('Philox4x32 matches the Random123 known-answer vectors', () => {
  for (const [rounds, ctr, key, want] of KAT) assert.equal(hex(philox4x32(words(ctr), words(key), rounds)), want);
});

test('stream words equal the independent Python implementation (tools/parity/philox_reference.py)', () => {
  const g = JSON.parse(readFileSync(new URL('../golden/philox-words.json', import.meta.url), 'utf8')) as {
    cases: { seed: string; stream: string; offset: number; count: number; words: number[]; uniform: number[] }[];
  };
  for (const c of g.cases) {
    assert.deepEqual(Array.from(philoxWords(BigInt(c.seed), BigInt(c.stream), c.offset, c.count)), c.words, `seed ${c.seed} stream ${c.stream} offset ${c.offset}`);
    assert.deepEqual(Array.from(uniformF32(BigInt(c.seed), BigInt(c.stream), c.offset, c.count)), c.uniform);
  }
});

test('draws are pure functions of (seed, stream, offset): slices agree, streams and seeds differ', () => {
  const a = philoxWords(1337, 5n, 0, 40);
  assert.deepEqual(philoxWords(1337, 5n, 13, 20), a.subarray(13, 33));
  const n = normalF32(1337, 5n, 0, 30);
  assert.deepEqual(normalF32(1337, 5n, 10, 20), n.subarray(10, 30), 'offset counts words: 10 words = 10 values');
  assert.notDeepEqual(philoxWords(1337, 6n, 0, 8), a.subarray(0, 8));
  assert.notDeepEqual(philoxWords(1338, 5n, 0, 8), a.subarray(0, 8));
  assert.throws(() => normalF32(1, 1n, 3, 2), RangeError);
  const pos = Int32Array.from([29, 0, 7, 7, 12, 1]);
  assert.deepEqual(normalF32At(1337, 5n, pos), Float32Array.from(pos, (q) => n[q]!), 'values at positions = the full draw there');
  assert.throws(() => philoxWords(-1, 0, 0, 1), RangeError);
});

test('uniform and normal moments, Box–Muller by hand', () => {
  const n = 200_000;
  const u = uniformF32(7, streamId('moments'), 0, n);
  let su = 0, mn = 1, mx = 0;
  for (const v of u) { su += v; mn = Math.min(mn, v); mx = Math.max(mx, v); }
  assert.ok(mn >= 0 && mx < 1);
  assert.ok(Math.abs(su / n - 0.5) < 0.005, `uniform mean ${su / n}`);
  const z = normalF32(7, streamId('moments'), 0, n);
  let s1 = 0, s2 = 0, tail = 0;
  for (const v of z) { s1 += v; s2 += v * v; if (Math.abs(v) > 1.959964) tail++; }
  assert.ok(Math.abs(s1 / n) < 0.01, `normal mean ${s1 / n}`);
  assert.ok(Math.abs(s2 / n - 1) < 0.02, `normal variance ${s2 / n}`);
  assert.ok(Math.abs(tail / n - 0.05) < 0.003, `two-sided 5% tail ${tail / n}`);
  // Box–Muller of the first pair of words, computed here by hand.
  const w = philoxWords(7, streamId('moments'), 0, 2);
  const r = Math.sqrt(-2 * Math.log((w[0]! + 1) / 2 ** 32));
  assert.equal(z[0], Math.fround(r * Math.cos((2 * Math.PI * w[1]!) / 2 ** 32)));
  assert.equal(z[1], Math.fround(r * Math.sin((2 * Math.PI * w[1]!) / 2 ** 32)));
});

test('permutation: a permutation, the argsort of its words, roughly uniform first position', () => {
  const p = permutation(1337, 9n, 0, 1440);
  assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 1440 }, (_, i) => i));
  const w = philoxWords(1337, 9n, 0, 1440);
  for (let i = 1; i < p.length; i++) assert.ok(w[p[i - 1]!]! <= w[p[i]!]!);
  const counts = new Array(4).fill(0);
  for (let s = 0; s < 4000; s++) counts[permutation(1, BigInt(s), 0, 4)[0]!]++;
  for (const c of counts) assert.ok(Math.abs(c - 1000) < 120, `first-position counts ${counts}`);
});

test('NoiseSource: per-sample streams independent of batch; recorded source replays and checks sizes', () => {
  const src = philoxNoiseSource(1337);
  const a = src.initialNoise('vbench/p0/0', 2, 5, 64);
  assert.deepEqual(philoxNoiseSource(1337).initialNoise('vbench/p0/0', 2, 5, 64), a);
  assert.notDeepEqual(src.initialNoise('vbench/p0/1', 2, 5, 64), a);
  assert.notDeepEqual(src.initialNoise('vbench/p0/0', 2, 6, 64), a);
  assert.notDeepEqual(src.schedulerNoise('vbench/p0/0', 2, 5, 0, 64), a);
  const full = src.schedulerNoise('vbench/p0/0', 2, 5, 3, 64);
  const pos = Int32Array.from([63, 0, 17, 18]);
  assert.deepEqual(src.schedulerNoise('vbench/p0/0', 2, 5, 3, 64, pos), Float32Array.from(pos, (q) => full[q]!));
  assert.throws(() => src.schedulerNoise('vbench/p0/0', 2, 5, 3, 64, Int32Array.from([64])), (e: unknown) => isGenbenchError(e, 'E_INPUT'));
  const rec = recordedNoiseSource({
    orders: new Map([[noisePurpose.order('s'), Int32Array.from([2, 0, 1])]]),
    normals: new Map([[noisePurpose.initial('s', 0, 0), Float32Array.from([1, 2])]]),
  });
  assert.deepEqual(Array.from(rec.order('s', 3)), [2, 0, 1]);
  assert.throws(() => rec.initialNoise('s', 0, 0, 3), (e: unknown) => isGenbenchError(e, 'E_INPUT'));
  assert.deepEqual(Array.from(rec.initialNoise('s', 0, 0, 2, Int32Array.from([1, 1, 0]))), [2, 2, 1]);
  assert.throws(() => rec.schedulerNoise('s', 0, 0, 0, 2), (e: unknown) => isGenbenchError(e, 'E_INPUT') && /scheduler/.test((e as Error).message));
});
