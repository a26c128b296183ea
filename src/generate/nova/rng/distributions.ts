/**
 * Distributions on top of Philox4x32-10 streams. Each is a pure function of (seed, stream,
 * offset) where `offset` counts uint32 words of the stream, so that any sample's draws can be
 * recomputed on their own, in any order, on any device.
 *
 * - uniform float32 in [0, 1): the top 24 bits of one word times 2^-24 (every value exactly
 *   representable in float32; 1 can never come out).
 * - standard normal float32: Box–Muller on two words per pair of values. Chosen over
 *   inversion or the ziggurat because it consumes a fixed number of words (2 per pair, no
 *   rejection), so value i always sits at words 2⌊i/2⌋, 2⌊i/2⌋+1 and a slice of a tensor never
 *   depends on what came before it; the math runs in float64 (V8's own fdlibm-derived log/sin/
 *   cos, the same on every platform) and is rounded once to float32. u1 = (w1 + 1)/2^32 ∈ (0, 1]
 *   (no log 0), u2 = w2/2^32; z0 = √(−2 ln u1)·cos(2π u2), z1 = √(−2 ln u1)·sin(2π u2).
 * - random permutation of n: argsort of n uint32 words, ties broken by index (stable), the
 *   way the official code orders tokens (argsort of uniforms), without rejection loops.
 */
import { createHash } from 'node:crypto';
import { philoxWords } from './philox.ts';

const TWO_PI = 2 * Math.PI;
const INV_2_32 = 1 / 0x100000000;
const INV_2_24 = 1 / 0x1000000;

/** A 64-bit stream id from a purpose string: the first 8 bytes of its sha256, as a bigint. */
export function streamId(purpose: string): bigint {
  const d = createHash('sha256').update(purpose, 'utf8').digest();
  return d.readBigUInt64LE(0);
}

/** `count` uniform float32 values in [0, 1), value i from word offset + i. */
export function uniformF32(seed: number | bigint, stream: number | bigint, offset: number, count: number): Float32Array {
  const w = philoxWords(seed, stream, offset, count);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (w[i]! >>> 8) * INV_2_24;
  return out;
}

/**
 * `count` standard-normal float32 values; value i uses words offset + 2⌊i/2⌋ and the next one
 * (even i: cosine branch, odd i: sine branch). `offset` must be even so that pairs align.
 */
export function normalF32(seed: number | bigint, stream: number | bigint, offset: number, count: number): Float32Array {
  if (offset % 2 !== 0) throw new RangeError(`normalF32 offset must be even (two words per pair): ${offset}`);
  const pairs = Math.ceil(count / 2);
  const w = philoxWords(seed, stream, offset, 2 * pairs);
  const out = new Float32Array(count);
  for (let p = 0; p < pairs; p++) {
    const r = Math.sqrt(-2 * Math.log((w[2 * p]! + 1) * INV_2_32));
    const a = TWO_PI * (w[2 * p + 1]! * INV_2_32);
    out[2 * p] = r * Math.cos(a);
    if (2 * p + 1 < count) out[2 * p + 1] = r * Math.sin(a);
  }
  return out;
}

/**
 * The values `normalF32(seed, stream, 0, ·)` has at the given positions (any order, repeats
 * allowed), computing only the words they need: value q uses words 2⌊q/2⌋ and 2⌊q/2⌋ + 1.
 */
export function normalF32At(seed: number | bigint, stream: number | bigint, positions: ArrayLike<number>): Float32Array {
  const out = new Float32Array(positions.length);
  for (let i = 0; i < positions.length; i++) {
    const q = positions[i]!;
    const w = philoxWords(seed, stream, 2 * Math.floor(q / 2), 2);
    const r = Math.sqrt(-2 * Math.log((w[0]! + 1) * INV_2_32));
    const a = TWO_PI * (w[1]! * INV_2_32);
    out[i] = q % 2 === 0 ? r * Math.cos(a) : r * Math.sin(a);
  }
  return out;
}

/** A random permutation of 0..n-1: argsort (stable) of n words from `offset`. */
export function permutation(seed: number | bigint, stream: number | bigint, offset: number, n: number): Int32Array {
  const w = philoxWords(seed, stream, offset, n);
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => w[a]! - w[b]! || a - b);
  return Int32Array.from(idx);
}
