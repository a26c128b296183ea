/**
 * Quantile of a sample with linear interpolation between order statistics (numpy's default,
 * "type 7"): position h = (n − 1)·q, value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 * `sorted` must be sorted ascending and non-empty.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile level out of [0, 1]: ${q}`);
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Percentile interval [q(α/2), q(1 − α/2)] of replicate values (NaN replicates are dropped). */
export function percentileInterval(replicates: ArrayLike<number>, confidence: number): [number, number] {
  const finite = Float64Array.from(Array.from(replicates).filter((v) => Number.isFinite(v)));
  finite.sort();
  const alpha = 1 - confidence;
  return [quantileSorted(finite, alpha / 2), quantileSorted(finite, 1 - alpha / 2)];
}
