import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGenbenchError } from '../../src/core/errors.ts';
import { middleFrameIndices } from '../../src/media/frame-indices.ts';

// Every expectation below is derived by hand from VBench's get_frame_indices(n, vlen, 'middle'):
// edges = trunc(i · (vlen/acc)) for i < acc, last edge vlen; index = ⌊(edge_i + edge_{i+1} − 1)/2⌋.

test('8 of 16: edges 0,2,…,16 → 0,2,…,14', () => {
  assert.deepEqual(middleFrameIndices(8, 16), [0, 2, 4, 6, 8, 10, 12, 14]);
});

test('3 of 10: step 3.33 → edges 0,3,6,10 → ranges (0,2),(3,5),(6,9) → 1,4,7', () => {
  assert.deepEqual(middleFrameIndices(3, 10), [1, 4, 7]);
});

test('16 of 100: step 6.25 → edges 0,6,12,18,25,31,37,43,50,56,62,68,75,81,87,93,100', () => {
  assert.deepEqual(middleFrameIndices(16, 100), [2, 8, 14, 21, 27, 33, 39, 46, 52, 58, 64, 71, 77, 83, 89, 96]);
});

test('more frames asked than the video has: every frame, padded with the last one', () => {
  assert.deepEqual(middleFrameIndices(4, 2), [0, 1, 1, 1]);
  assert.deepEqual(middleFrameIndices(3, 1), [0, 0, 0]);
  assert.deepEqual(middleFrameIndices(5, 5), [0, 1, 2, 3, 4]);
});

test('float64 edges, not exact fractions: 22 of 30 puts edge 11 at trunc(11 · 1.3636…) = trunc(14.999999999999998) = 14', () => {
  // 30/22 rounds down to 1.3636363636363635; × 11 = 14.999999999999998 → 14 (exact 11·30/22 = 15).
  // Edges: 0 1 2 4 5 6 8 9 10 12 13 14 16 17 19 20 21 23 24 25 27 28 30.
  const expected = [0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 16, 17, 19, 20, 21, 23, 24, 25, 27, 28];
  assert.equal(11 * (30 / 22), 14.999999999999998);
  assert.deepEqual(middleFrameIndices(22, 30), expected);
  assert.equal(middleFrameIndices(22, 30)[11], 14, 'with exact edges it would be 15');
});

test('zero frames asked → []; frames asked of an empty video → error (IndexError in the official code)', () => {
  assert.deepEqual(middleFrameIndices(0, 10), []);
  assert.deepEqual(middleFrameIndices(0, 0), []);
  assert.throws(() => middleFrameIndices(4, 0), (e) => isGenbenchError(e, 'E_INPUT'));
  assert.throws(() => middleFrameIndices(-1, 10), RangeError);
  assert.throws(() => middleFrameIndices(2.5, 10), RangeError);
});
