/**
 * numpy's float32 reductions, emulated exactly. `np.sum`/`np.mean` of a float32 array walk it in
 * chunks of numpy's buffer size (8192 elements), add each chunk's pairwise sum (blocks of ≤128
 * values summed with eight interleaved float32 accumulators) to a running float32 total, and
 * `np.mean` returns a float32. Every addition below rounds to float32 as numpy's does.
 */
const f = Math.fround;
const BLOCK = 128;
/** numpy's default ufunc buffer size, in elements. */
export const NUMPY_BUFSIZE = 8192;

function pairwiseF32(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s = f(s + a[start + i]!);
    return s;
  }
  if (n <= BLOCK) {
    let r0 = f(a[start]!), r1 = f(a[start + 1]!), r2 = f(a[start + 2]!), r3 = f(a[start + 3]!);
    let r4 = f(a[start + 4]!), r5 = f(a[start + 5]!), r6 = f(a[start + 6]!), r7 = f(a[start + 7]!);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const j = start + i;
      r0 = f(r0 + a[j]!); r1 = f(r1 + a[j + 1]!); r2 = f(r2 + a[j + 2]!); r3 = f(r3 + a[j + 3]!);
      r4 = f(r4 + a[j + 4]!); r5 = f(r5 + a[j + 5]!); r6 = f(r6 + a[j + 6]!); r7 = f(r7 + a[j + 7]!);
    }
    let s = f(f(f(r0 + r1) + f(r2 + r3)) + f(f(r4 + r5) + f(r6 + r7)));
    for (; i < n; i++) s = f(s + a[start + i]!);
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return f(pairwiseF32(a, start, n2) + pairwiseF32(a, start + n2, n - n2));
}

/** `np.sum(x)` for a float32 array x. */
export function numpySumF32(values: ArrayLike<number>): number {
  let acc = 0;
  for (let s = 0; s < values.length; s += NUMPY_BUFSIZE) {
    acc = f(acc + pairwiseF32(values, s, Math.min(NUMPY_BUFSIZE, values.length - s)));
  }
  return acc;
}

/** `np.mean(x)` for a float32 array x: float32 pairwise sum, then the float32 quotient. */
export function numpyMeanF32(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  return f(numpySumF32(values) / values.length);
}
