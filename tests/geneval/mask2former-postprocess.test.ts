import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  mask2formerInstances,
  maskStatistics,
  queryMaskAtOriginal,
  softmaxRow,
  topQueryClasses,
  type Mask2FormerOutputs,
} from '../../src/metrics/mask2former/postprocess.ts';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

test('softmax over the 81 logits', () => {
  const p = softmaxRow(Float32Array.from([0, Math.log(3)]), 0, 2);
  assert.ok(Math.abs(p[0]! - 0.25) < 1e-7 && Math.abs(p[1]! - 0.75) < 1e-7);
});

function outputs(q: number, maskH: number, maskW: number, cls: (q: number, c: number) => number, mask: (q: number, y: number, x: number) => number): Mask2FormerOutputs {
  const clsLogits = new Float32Array(q * 81);
  const maskLogits = new Float32Array(q * maskH * maskW);
  for (let i = 0; i < q; i++) {
    for (let c = 0; c < 81; c++) clsLogits[i * 81 + c] = cls(i, c);
    for (let y = 0; y < maskH; y++) for (let x = 0; x < maskW; x++) maskLogits[(i * maskH + y) * maskW + x] = mask(i, y, x);
  }
  return { queries: q, clsLogits, maskLogits, maskH, maskW };
}

test('top-k over query × class drops "no object", ranks by probability, and one query can give several labels', () => {
  // query 0: class 5 very likely, class 6 next; query 1: mostly "no object" (index 80)
  const o = outputs(2, 2, 2, (q, c) => (q === 0 ? (c === 5 ? 5 : c === 6 ? 4 : 0) : c === 80 ? 10 : 0), () => 1);
  const top = topQueryClasses(o, 3);
  assert.deepEqual(top.map((t) => [t.query, t.label]), [[0, 5], [0, 6], [0, 0]]);
  assert.equal(topQueryClasses(o).length, 100);
  assert.ok(topQueryClasses(o).every((t) => t.label < 80));
});

test('mask score, binary mask (logit > 0, strictly) and tight box with exclusive right/bottom', () => {
  // 3 × 4 logits; positives at (y=0,x=1), (y=1,x=2); a zero is not in the mask
  const l = Float32Array.from([-1, 2, 0, -3, -1, -2, 1, -1, -5, -5, -5, -5]);
  const s = maskStatistics(l, 4);
  assert.deepEqual([...s.mask], [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
  assert.deepEqual(s.box, [1, 0, 3, 2]);
  assert.ok(Math.abs(s.maskScore - (sigmoid(2) + sigmoid(1)) / (2 + 1e-6)) < 1e-7);
  const empty = maskStatistics(Float32Array.from([-1, -2]), 2);
  assert.deepEqual([empty.box, empty.maskScore], [[0, 0, 0, 0], 0]);
});

test('mask logits follow the geometry: padded size, crop to the resized image, original size', () => {
  // 4 × 4 mask grid for a 16 × 16 padded input holding a 12 × 16 image, original 6 × 8:
  // positive logits in the left half only.
  const o = outputs(1, 4, 4, () => 0, (_q, _y, x) => (x < 2 ? 3 : -3));
  const m = queryMaskAtOriginal(o, 0, { padH: 16, padW: 16, imgH: 12, imgW: 16, oriH: 6, oriW: 8 });
  assert.equal(m.length, 48);
  for (let y = 0; y < 6; y++) {
    assert.ok(m[y * 8]! > 0 && m[y * 8 + 7]! < 0, `row ${y}: left positive, right negative`);
    assert.ok(Math.abs(m[y * 8 + 1]! - m[1]!) < 1e-6, 'rows identical (the logits do not vary with y)');
  }
});

test('per-class results: score = class probability × mask score, one row per kept (query, label)', () => {
  const o = outputs(2, 2, 2, (q, c) => (q === 0 && c === 3 ? 8 : q === 1 && c === 7 ? 6 : 0), (q) => (q === 0 ? 2 : -2));
  const g = { padH: 8, padW: 8, imgH: 8, imgW: 8, oriH: 8, oriW: 8 };
  const r = mask2formerInstances(o, g, 2);
  assert.equal(r.length, 80);
  assert.equal(r[3]!.length, 1);
  assert.equal(r[7]!.length, 1);
  const p3 = softmaxRow(o.clsLogits, 0, 81)[3]!;
  assert.deepEqual(r[3]![0]!.box.slice(0, 4), [0, 0, 8, 8]);
  assert.ok(Math.abs(r[3]![0]!.box[4] - p3 * sigmoid(2)) < 1e-6);
  // query 1's mask is all negative: empty box and score 0
  assert.deepEqual(r[7]![0]!.box, [0, 0, 0, 0, 0]);
});
