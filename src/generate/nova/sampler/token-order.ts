/**
 * From a sample's token order π (a permutation of 0..N-1) to the ids each set-by-set step
 * predicts: step i takes π[pos_i .. pos_i + k_i) with pos_i = k_0 + … + k_{i-1}
 * (MaskEmbed.get_pred_mask). The same π serves every frame of a video.
 */
import { GenbenchError } from '../../../core/errors.ts';

/** Ids of every step: slices of `order` of the given sizes (which must add up to its length). */
export function stepIds(order: Int32Array, sizes: readonly number[]): Int32Array[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== order.length) throw new GenbenchError('E_INPUT', `token order has ${order.length} entries but the sets cover ${total}`);
  const out: Int32Array[] = [];
  let pos = 0;
  for (const k of sizes) {
    out.push(order.subarray(pos, pos + k));
    pos += k;
  }
  return out;
}

/** Checks that `order` is a permutation of 0..n-1 (an injected order must be one). */
export function assertPermutation(order: Int32Array, n: number, what: string): void {
  if (order.length !== n) throw new GenbenchError('E_INPUT', `${what}: ${order.length} entries, expected ${n}`);
  const seen = new Uint8Array(n);
  for (const v of order) {
    if (!Number.isInteger(v) || v < 0 || v >= n || seen[v]) throw new GenbenchError('E_INPUT', `${what} is not a permutation of 0..${n - 1} (entry ${v})`);
    seen[v] = 1;
  }
}

/** 0/1 mask over the n tokens with ones at `ids` (the official pred_mask of one sample). */
export function predictionMask(ids: ArrayLike<number>, n: number): Uint8Array {
  const m = new Uint8Array(n);
  for (let i = 0; i < ids.length; i++) m[ids[i]!] = 1;
  return m;
}
