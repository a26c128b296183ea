import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { numpyMean, numpySum } from '../../src/core/numpy-mean.ts';

const golden = JSON.parse(readFileSync(new URL('../golden/numpy-mean.json', import.meta.url), 'utf8')) as {
  cases: { values: number[]; sum: number; mean: number | null; naive: number }[];
};

test('numpySum/numpyMean equal numpy 1.24 bit for bit (pairwise summation)', () => {
  let differFromNaive = 0;
  for (const c of golden.cases) {
    assert.equal(numpySum(c.values), c.sum, `sum of ${c.values.length}`);
    if (c.mean !== null) assert.equal(numpyMean(c.values), c.mean, `mean of ${c.values.length}`);
    if (c.sum !== c.naive) differFromNaive += 1;
  }
  // The golden set must include cases where a naive left-to-right sum would be wrong.
  assert.ok(differFromNaive > 0);
});

test('numpyMean of an empty list is NaN; small lists by hand', () => {
  assert.ok(Number.isNaN(numpyMean([])));
  assert.equal(numpyMean([1, 2, 3, 4]), 2.5);
  assert.equal(numpySum([0.1, 0.2, 0.3]), 0.1 + 0.2 + 0.3);
  assert.equal(numpySum([]), 0);
});
