import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pythonFixed, pythonPercent } from '../../src/core/pycompat/format.ts';

test('percentages round like Python\'s "{:.2%}": exact binary value, exact ties to even', () => {
  // 314/320 = 0.98125 → ×100 = 98.125 exactly (a tie) → even → 98.12 (toFixed gives 98.13).
  assert.equal(pythonPercent(314 / 320), '98.12');
  assert.equal((98.125).toFixed(2), '98.13');
  // 2/320 → 0.625 exactly → tie → 0.62.
  assert.equal(pythonPercent(2 / 320), '0.62');
  // 0.984375 = 63/64 → 98.4375 → not a tie at 2 decimals → 98.44.
  assert.equal(pythonPercent(63 / 64), '98.44');
  assert.equal(pythonPercent(0.80123), '80.12');
});

test('fixed-point: ties to even only on exact ties, the exact value otherwise', () => {
  assert.equal(pythonFixed(0.125, 2), '0.12'); // 1/8 exactly: tie, 2 is even
  assert.equal(pythonFixed(0.375, 2), '0.38'); // 3/8 exactly: tie, 8 is even
  assert.equal(pythonFixed(2.675, 2), '2.67'); // the double is 2.67499999999999982236431605997495353221893310546875
  assert.equal(pythonFixed(0.5, 0), '0');
  assert.equal(pythonFixed(1.5, 0), '2');
  assert.equal(pythonFixed(2.5, 0), '2');
  assert.equal(pythonFixed(0.4267, 2), '0.43');
});

test('signs, zero, huge and tiny values', () => {
  assert.equal(pythonFixed(-0.001, 2), '-0.00'); // Python keeps the sign
  assert.equal(pythonFixed(-0.125, 2), '-0.12');
  assert.equal(pythonFixed(0, 3), '0.000');
  assert.equal(pythonFixed(1e22, 2), '10000000000000000000000.00');
  assert.equal(pythonFixed(5e-324, 3), '0.000');
  assert.equal(pythonFixed(Number.NaN, 2), 'nan');
});
