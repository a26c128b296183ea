import { test } from 'node:test';
import assert from 'node:assert/strict';
import { absDiffSumJs, SimdAbsDiff } from '../../src/suites/vbench/abs-diff-kernel.ts';
import { FlickerAccumulator } from '../../src/suites/vbench/temporal-flickering-math.ts';

const kernel = SimdAbsDiff.create();

test('WebAssembly SIMD is available on Node 20 (else the plain loop is used, slower)', () => {
  assert.ok(kernel, 'SimdAbsDiff.create() returned null');
  assert.equal(new FlickerAccumulator().usesSimd, true);
  assert.equal(new FlickerAccumulator({ simd: false }).usesSimd, false);
});

test('by hand: 0..19 against 19..0 sums |2i − 19| = 200 (one 16-byte block plus 4 single bytes)', () => {
  const a = Uint8Array.from({ length: 20 }, (_, i) => i);
  const b = Uint8Array.from({ length: 20 }, (_, i) => 19 - i);
  assert.equal(absDiffSumJs(a, b, 0, 20), 200);
  kernel!.load(0, a);
  kernel!.load(1, b);
  assert.equal(kernel!.sum(0, 20), 200);
  assert.equal(kernel!.sum(16, 20), 13 + 15 + 17 + 19, 'the tail only: |2i − 19| for i = 16..19');
});

test('by hand: 255 against 0 in both directions (no saturation loss): 33 × 255 = 8415', () => {
  const hi = new Uint8Array(33).fill(255);
  const lo = new Uint8Array(33);
  for (const [a, b] of [[hi, lo], [lo, hi]] as const) {
    kernel!.load(0, a);
    kernel!.load(1, b);
    assert.equal(kernel!.sum(0, 33), 8415);
    assert.equal(absDiffSumJs(a, b, 0, 33), 8415);
  }
});

test('kernel equals the plain loop on random frames of many sizes and ranges, slots growing and shrinking', () => {
  let seed = 12345;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  for (const n of [1, 15, 16, 17, 255, 8192, 8193, 100_000, 921_600, 64, 3]) {
    const a = Uint8Array.from({ length: n }, rnd);
    const b = Uint8Array.from({ length: n }, rnd);
    kernel!.load(0, a);
    kernel!.load(1, b);
    for (const [s, e] of [[0, n], [1, n], [0, Math.min(n, 8192)], [Math.floor(n / 3), n - 1]]) {
      if (e < s) continue;
      assert.equal(kernel!.sum(s, e), absDiffSumJs(a, b, s, e), `n=${n} [${s},${e})`);
    }
  }
});

test('accumulator: SIMD and plain paths give identical pair MAEs and scores; frame size changes are refused', () => {
  const frames = Array.from({ length: 6 }, (_, k) => Uint8Array.from({ length: 3 * 8192 + 7 }, (_, i) => (i * (k + 3) * 7919 + k) % 256));
  const fast = new FlickerAccumulator();
  const plain = new FlickerAccumulator({ simd: false });
  for (const f of frames) {
    fast.add(f);
    plain.add(f);
  }
  assert.deepEqual(fast.pairMaes, plain.pairMaes);
  assert.equal(fast.score(), plain.score());
  assert.throws(() => fast.add(new Uint8Array(10)), RangeError);
  assert.throws(() => plain.add(new Uint8Array(10)), RangeError);
});
