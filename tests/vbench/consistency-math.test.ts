import assert from 'node:assert/strict';
import { test } from 'node:test';
import { aggregatePairWeighted, ConsistencyAccumulator, cosineSimilarity, l2Normalize } from '../../src/suites/vbench/consistency-math.ts';
import { roundToFloat16 } from '../../src/core/pycompat/float16.ts';
import { normalizeRowF32, videoAesthetic } from '../../src/suites/vbench/aesthetic-quality.ts';

test('fp16 rounding: nearest, ties to even, subnormals, overflow', () => {
  assert.equal(roundToFloat16(1 / 3), 0.333251953125);
  assert.equal(roundToFloat16(1 - 2 ** -11), 1 - 2 ** -11); // representable
  assert.equal(roundToFloat16(1 + 2 ** -11), 1); // tie → even (1)
  assert.equal(roundToFloat16(1 + 3 * 2 ** -11), 1 + 2 ** -9); // tie → even mantissa
  assert.equal(roundToFloat16(0.9995), 0.99951171875);
  assert.equal(roundToFloat16(-0.7071067811865476), -0.70703125);
  assert.equal(roundToFloat16(2 ** -24), 2 ** -24);
  assert.equal(roundToFloat16(2 ** -25), 0); // tie between 0 and the smallest subnormal → 0
  assert.equal(roundToFloat16(65504), 65504);
  assert.equal(roundToFloat16(65520), Infinity);
});

test('normalize and cosine follow F.normalize / F.cosine_similarity', () => {
  assert.deepEqual([...l2Normalize([3, 4])], [0.6, 0.8]);
  assert.deepEqual([...l2Normalize([0, 0])], [0, 0]); // divided by eps, not NaN
  assert.equal(cosineSimilarity([1, 0], [0, 2]), 0);
  assert.ok(Math.abs(cosineSimilarity([1, 1], [2, 2]) - 1) < 1e-15);
  assert.equal(cosineSimilarity([0, 0], [1, 0]), 0);
});

test('per-video formula on hand-made features (spec §1.3)', () => {
  // f0 = x, f1 = y, f2 = (x+y)/√2, f3 = −x
  const acc = new ConsistencyAccumulator();
  for (const f of [[1, 0], [0, 5], [1, 1], [-2, 0]]) acc.add(f);
  const r = Math.SQRT1_2;
  // i=1: prev 0, first 0 → 0; i=2: prev r, first r → r; i=3: prev −r → 0, first −1 → 0 → 0
  assert.equal(acc.frames, 4);
  assert.equal(acc.pairs, 3);
  assert.ok(Math.abs(acc.videoSim - r) < 1e-15);
  assert.ok(Math.abs(acc.score() - r / 3) < 1e-15);
});

test('fp16 cosines are quantised before max(0, ·) and the average', () => {
  const acc = new ConsistencyAccumulator('fp16');
  acc.add([1, 0]);
  acc.add([1, 1]);
  // both cosines are 1/√2 → fp16 0.70703125
  assert.equal(acc.videoSim, 0.70703125);
});

test('dimension score is frame-pair weighted, not the mean of per-video values', () => {
  const videos = [
    { videoSim: 1.5, pairs: 2 },
    { videoSim: 0.9, pairs: 1 },
  ];
  assert.ok(Math.abs(aggregatePairWeighted(videos) - 0.8) < 1e-15);
});

test('aesthetic: float32 normalisation and the mean of score/10 over frames', () => {
  const n = normalizeRowF32(Float32Array.from([3, 4]));
  assert.deepEqual([...n], [Math.fround(0.6), Math.fround(0.8)]);
  assert.equal(videoAesthetic([5, 6, 7]), Math.fround((Math.fround(0.5) + Math.fround(0.6) + Math.fround(0.7)) / 3));
});
