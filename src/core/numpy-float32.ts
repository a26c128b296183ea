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

/**
 * Sum of |a[i] − b[i]| over two uint8 buffers with exactly the rounding of numpy's float32
 * pairwise sum of `cv2.absdiff(float32(a), float32(b))`. Inside a block of ≤128 values every
 * partial sum is an integer below 2^24, so float32 adds are exact there and an integer loop gives
 * the same value fast; only the joins of the pairwise tree round.
 */
export function absDiffSumF32(a: Uint8Array, b: Uint8Array, start = 0, n = a.length): number {
  if (n <= BLOCK) {
    // Integer sums are exact in any order; unrolled by four for speed (this is the hot loop).
    let s = 0;
    let i = start;
    const end = start + n;
    for (const end4 = end - 3; i < end4; i += 4) {
      s += Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!) + Math.abs(a[i + 3]! - b[i + 3]!);
    }
    for (; i < end; i++) s += Math.abs(a[i]! - b[i]!);
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return f(absDiffSumF32(a, b, start, n2) + absDiffSumF32(a, b, start + n2, n - n2));
}

/** `np.mean(cv2.absdiff(float32(a), float32(b)))` for two uint8 frames of equal size (a float32). */
export function absDiffMeanF32(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error(`frame sizes differ: ${a.length} vs ${b.length}`);
  let acc = 0;
  for (let s = 0; s < a.length; s += NUMPY_BUFSIZE) {
    acc = f(acc + absDiffSumF32(a, b, s, Math.min(NUMPY_BUFSIZE, a.length - s)));
  }
  return f(acc / a.length);
}
