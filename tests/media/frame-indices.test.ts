import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { middleFrameIndices } from '../../src/media/frame-indices.ts';

const golden = JSON.parse(readFileSync(new URL('../golden/frame-indices.json', import.meta.url), 'utf8')) as {
  cases: { n: number; vlen: number; indices: number[] }[];
};

test('middle frame indices equal VBench get_frame_indices(sample="middle") on a grid', () => {
  for (const c of golden.cases) assert.deepEqual(middleFrameIndices(c.n, c.vlen), c.indices, `n=${c.n} vlen=${c.vlen}`);
});

test('by hand: 4 of 10 → edges 0,2,5,7,10 → midpoints 0,3,5,8; 4 of 2 → 0,1 padded with 1', () => {
  assert.deepEqual(middleFrameIndices(4, 10), [0, 3, 5, 8]);
  assert.deepEqual(middleFrameIndices(4, 2), [0, 1, 1, 1]);
});
