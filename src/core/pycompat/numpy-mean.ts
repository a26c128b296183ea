/**
 * Sums and means with numpy's float64 rounding. numpy reduces a float64 array with pairwise
 * summation (blocks of up to 128 values summed with eight interleaved accumulators), so
 * `np.mean(list)` is not the left-to-right sum / n. Matching it makes aggregates bit-identical
 * to the official code for the same order of values.
 */
const BLOCK = 128;

function pairwiseSum(a: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[start + i]!;
    return s;
  }
  if (n <= BLOCK) {
    const r = new Float64Array(8);
    for (let k = 0; k < 8; k++) r[k] = a[start + k]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let k = 0; k < 8; k++) r[k] += a[start + i + k]!;
    }
    let s = (r[0]! + r[1]!) + (r[2]! + r[3]!) + ((r[4]! + r[5]!) + (r[6]! + r[7]!));
    for (; i < n; i++) s += a[start + i]!;
    return s;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/**
 * `np.sum` of a float64 sequence: numpy walks the array in chunks of its buffer size (8192
 * elements) and adds each chunk's pairwise sum to a running total; an empty sum is 0.
 */
export function numpySum(values: ArrayLike<number>): number {
  let acc = 0;
  for (let s = 0; s < values.length; s += 8192) acc += pairwiseSum(values, s, Math.min(8192, values.length - s));
  return acc;
}

/** `np.mean` of a float64 sequence (NaN for an empty one, as numpy returns with a warning). */
export function numpyMean(values: ArrayLike<number>): number {
  if (values.length === 0) return Number.NaN;
  return numpySum(values) / values.length;
}
