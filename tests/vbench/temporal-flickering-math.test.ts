import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  aggregateVideoScores,
  FlickerAccumulator,
  NUMPY_BUFFER_ELEMENTS,
  pairMeanAbsDiff,
  videoScoreFromPairMaes,
} from '../../src/suites/vbench/temporal-flickering-math.ts';

const f32 = Math.fround;

test('pair MAE by hand: |0−5|, |10−0|, |255−250| → 20/3 as a float32', () => {
  const a = Uint8Array.from([0, 10, 255]);
  const b = Uint8Array.from([5, 0, 250]);
  assert.equal(pairMeanAbsDiff(a, b), f32(20 / 3));
  assert.equal(pairMeanAbsDiff(b, a), f32(20 / 3));
  assert.equal(pairMeanAbsDiff(a, a), 0);
  assert.throws(() => pairMeanAbsDiff(a, new Uint8Array(4)), RangeError);
});

test('pair MAE by hand: float32 running total over 8192-element buffers rounds like numpy', () => {
  // 9 buffers of 8192 values; every value is 255 except one 254 per buffer → each buffer sums to
  // 2,088,959 (exact). After 8 buffers the float32 total is 16,711,672 (< 2^24, exact); adding the
  // 9th gives 18,800,631, which float32 cannot hold (spacing 2 above 2^24): ties-to-even → 18,800,632.
  // Mean 18,800,632 / 73,728 = 254.99989149… → nearest float32 is 255 − 7·2^−16.
  const n = 9 * NUMPY_BUFFER_ELEMENTS;
  const a = new Uint8Array(n);
  const b = new Uint8Array(n).fill(255);
  for (let c = 0; c < 9; c++) b[c * NUMPY_BUFFER_ELEMENTS] = 254;
  const got = pairMeanAbsDiff(a, b);
  assert.equal(got, 255 - 7 * 2 ** -16);
  const acc = new FlickerAccumulator();
  acc.add(a);
  acc.add(b);
  assert.equal(acc.pairMaes[0], 255 - 7 * 2 ** -16, 'SIMD kernel path');
  assert.notEqual(got, f32(18_800_631 / n), 'an exact integer sum would give another float32');
});

test('video score by hand: pair MAEs 1 and 3 → (255 − 2)/255; static → 1; one frame → NaN (official)', () => {
  assert.equal(videoScoreFromPairMaes([1, 3]), 253 / 255);
  assert.equal(videoScoreFromPairMaes([0, 0, 0]), 1);
  assert.ok(Number.isNaN(videoScoreFromPairMaes([])));
  // Three float32 values (fewer than 8): numpy adds them left to right in float32, then divides.
  const m = [f32(0.1), f32(0.2), f32(0.7)];
  const mean32 = f32(f32(f32(f32(m[0]! + m[1]!) + m[2]!)) / 3);
  assert.equal(videoScoreFromPairMaes(m), (255 - mean32) / 255);
});

test('aggregate by hand: mean of 0.5 and 0.25 is 0.375; no videos → NaN (numpy)', () => {
  assert.equal(aggregateVideoScores([0.5, 0.25]), 0.375);
  assert.ok(Number.isNaN(aggregateVideoScores([])));
});

test('accumulator by hand: frames 0,0 → 3,3 → 3,9 give MAEs 3 and 3 → (255 − 3)/255', () => {
  const acc = new FlickerAccumulator();
  acc.add(Uint8Array.from([0, 0]));
  acc.add(Uint8Array.from([3, 3]));
  acc.add(Uint8Array.from([3, 9]));
  assert.equal(acc.frames, 3);
  assert.deepEqual(acc.pairMaes, [3, 3]);
  assert.equal(acc.score(), 252 / 255);
  const one = new FlickerAccumulator();
  one.add(Uint8Array.from([1, 2, 3]));
  assert.ok(Number.isNaN(one.score()), 'one frame: NaN, as the official code');
});

// Golden values from the official calculate_mae / mae_seq (tools/parity/temporal_flickering_math_golden.py).
interface MathGolden {
  P: number[];
  M: number[];
  N: number[];
  pairs: { h: number; w: number; kind: 'far' | 'near' | 'mixed'; mae: number }[];
  videos: { h: number; w: number; frames: number; pair_maes: number[]; score: number }[];
  aggregate: { mean: number };
}
const golden = JSON.parse(readFileSync(new URL('../golden/temporal-flickering-math.json', import.meta.url), 'utf8')) as MathGolden;

function frame(n: number, a: number, b: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * a + b) % 256;
  return out;
}
function near(n: number, k: number): Uint8Array {
  const p = golden.P[k % golden.P.length]!;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(255, ((i * 7919 + 13) % 256) + ((i * p + k) % 5));
  return out;
}
function mixed(n: number, k: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i % golden.M[k]!) * (i % golden.N[k]!)) % 256;
  return out;
}

test('pair MAEs equal the official calculate_mae on synthetic frames up to 3840×2160', () => {
  let differsFromExactMean = 0;
  for (const c of golden.pairs) {
    const n = c.h * c.w * 3;
    const [a, b] = c.kind === 'far' ? [frame(n, 7919, 13), frame(n, 104729, 101)] : c.kind === 'near' ? [near(n, 0), near(n, 1)] : [mixed(n, 0), mixed(n, 1)];
    const got = pairMeanAbsDiff(a, b);
    assert.equal(got, c.mae, `${c.kind} ${c.w}x${c.h}`);
    const acc = new FlickerAccumulator();
    acc.add(a);
    acc.add(b);
    assert.equal(acc.pairMaes[0], c.mae, `${c.kind} ${c.w}x${c.h} (SIMD kernel)`);
    let exact = 0;
    for (let i = 0; i < n; i++) exact += Math.abs(a[i]! - b[i]!);
    if (f32(exact / n) !== c.mae) differsFromExactMean += 1;
  }
  assert.ok(differsFromExactMean > 0, 'the golden includes a case where numpy’s float32 rounding matters');
});

test('per-video scores equal cal_score’s formula over the official mae_seq (5, 40 and 300 frames)', () => {
  for (const v of golden.videos) {
    for (const simd of [true, false]) {
      const acc = new FlickerAccumulator({ simd });
      for (let k = 0; k < v.frames; k++) acc.add(near(v.h * v.w * 3, k));
      assert.deepEqual([...acc.pairMaes], v.pair_maes, `${v.frames} frames (simd ${simd}): pair MAEs`);
      assert.equal(acc.score(), v.score, `${v.frames} frames (simd ${simd}): score`);
    }
  }
});

test('aggregate equals np.mean over 300 per-video scores', () => {
  const scores = Array.from({ length: 300 }, (_, k) => 0.9 + ((k * 7919) % 1000) / 1e4 + k * 1e-9);
  assert.equal(aggregateVideoScores(scores), golden.aggregate.mean);
});
