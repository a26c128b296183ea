import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashString, Prng } from '../../src/report/stats/prng.ts';
import { percentileInterval, quantileSorted } from '../../src/report/stats/quantile.ts';

test('xoshiro128** matches the reference vector for state (1, 2, 3, 4)', () => {
  const p = Prng.fromState(1, 2, 3, 4);
  // Published first outputs of xoshiro128** (Blackman & Vigna) from that state.
  assert.deepEqual(Array.from({ length: 6 }, () => p.nextUint32()), [11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
});

test('seeding (splitmix32 of seed xor FNV-1a(key)) matches an independent Python implementation', () => {
  assert.equal(hashString('abc'), 0x1a47e90b); // FNV-1a 32-bit reference value
  const a = new Prng(0);
  assert.deepEqual(Array.from({ length: 5 }, () => a.nextUint32()), [2040553127, 2671230994, 3535833209, 446703493, 2088642236]);
  const b = new Prng(42, 'dimension:x');
  assert.deepEqual(Array.from({ length: 5 }, () => b.nextUint32()), [1000436023, 4233575863, 2832545135, 1402611333, 234433412]);
});

test('below(n) is uniform (chi-square over 7 cells) and never out of range', () => {
  const p = new Prng(7, 'uniformity');
  const n = 7;
  const draws = 70_000;
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < draws; i++) {
    const k = p.below(n);
    assert.ok(k >= 0 && k < n);
    counts[k]! += 1;
  }
  const e = draws / n;
  const chi2 = counts.reduce((s, c) => s + ((c - e) * (c - e)) / e, 0);
  // 6 degrees of freedom: P(chi2 > 22.46) = 0.001.
  assert.ok(chi2 < 22.46, `chi2 ${chi2} counts ${counts}`);
});

test('quantiles interpolate linearly between order statistics (numpy default)', () => {
  const x = [1, 2, 3, 4, 10];
  assert.equal(quantileSorted(x, 0), 1);
  assert.equal(quantileSorted(x, 1), 10);
  assert.equal(quantileSorted(x, 0.5), 3);
  // h = 4 * 0.9 = 3.6 → 4 + 0.6 * (10 - 4) = 7.6
  assert.ok(Math.abs(quantileSorted(x, 0.9) - 7.6) < 1e-12);
  // 95 % interval of 0..100: h = 100 * 0.025 = 2.5 → 2.5; 100 * 0.975 = 97.5 → 97.5
  const [lo, hi] = percentileInterval(Array.from({ length: 101 }, (_, i) => 100 - i), 0.95);
  assert.ok(Math.abs(lo - 2.5) < 1e-9, String(lo));
  assert.ok(Math.abs(hi - 97.5) < 1e-9, String(hi));
});
