import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { numpyMean, numpySum } from '../../src/core/pycompat/numpy-mean.ts';
import { numpyMeanF32, numpySumF32 } from '../../src/core/pycompat/numpy-float32.ts';

const golden = JSON.parse(readFileSync(new URL('../golden/numpy-mean.json', import.meta.url), 'utf8')) as {
  scales: number[];
  cases: { n: number; sum: number; mean: number | null; naive: number; sum32: number; mean32: number | null }[];
};

/** The same formula as tools/parity/numpy_mean_golden.py. */
function values(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (((i * 7919) % 1000003) / 1000003 - 0.5) * golden.scales[i % 9]!);
}

test('numpySum/numpyMean equal numpy bit for bit (pairwise, 8192-element chunks)', () => {
  let differFromNaive = 0;
  for (const c of golden.cases) {
    const v = values(c.n);
    assert.equal(v.reduce((a, b) => a + b, 0), c.naive, `formula reproduces the values (n=${c.n})`);
    assert.equal(numpySum(v), c.sum, `sum of ${c.n}`);
    if (c.mean !== null) assert.equal(numpyMean(v), c.mean, `mean of ${c.n}`);
    if (c.sum !== c.naive) differFromNaive += 1;
  }
  assert.ok(differFromNaive > 0, 'the golden set includes cases where a naive sum differs');
});

test('float32 sums and means equal numpy float32 bit for bit', () => {
  for (const c of golden.cases) {
    const v = Float32Array.from(values(c.n));
    assert.equal(numpySumF32(v), c.sum32, `sum32 of ${c.n}`);
    if (c.mean32 !== null) assert.equal(numpyMeanF32(v), c.mean32, `mean32 of ${c.n}`);
  }
});

test('by hand: empty and small cases', () => {
  assert.ok(Number.isNaN(numpyMean([])));
  assert.equal(numpySum([]), 0);
  assert.equal(numpyMean([1, 2, 3, 4]), 2.5);
  assert.equal(numpyMeanF32(Float32Array.of(4, 10, 5)), Math.fround(19 / 3));
});
