/**
 * Philox4x32 (Salmon, Moraes, Dror, Shaw, "Parallel random numbers: as easy as 1, 2, 3", SC'11):
 * a counter-based generator. The output block is a pure function of a 128-bit counter and a
 * 64-bit key, so any position of any stream can be computed directly, in any order, on any
 * machine. All arithmetic is exact 32-bit unsigned arithmetic.
 */

/** Round multipliers and Weyl key increments of Philox4x32 (from the paper). */
const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** Rounds of the standard Philox4x32-10. */
export const PHILOX_ROUNDS = 10;

/**
 * High 32 bits of the 64-bit product of two uint32 values, from 16-bit halves (every partial
 * product < 2^32 and every sum < 2^53, so the double arithmetic is exact).
 */
function mulhi32(a: number, b: number): number {
  const aL = a & 0xffff, aH = a >>> 16, bL = b & 0xffff, bH = b >>> 16;
  const lh = aL * bH, hl = aH * bL;
  const mid = ((aL * bL) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (aH * bH + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}

/**
 * One Philox4x32 block: four uint32 output words for counter `ctr` (four uint32 words, word 0
 * least significant) and key `key` (two uint32 words). `out` receives the result (and is returned).
 */
export function philox4x32(
  ctr: ArrayLike<number>,
  key: ArrayLike<number>,
  rounds: number = PHILOX_ROUNDS,
  out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  let c0 = ctr[0]! >>> 0, c1 = ctr[1]! >>> 0, c2 = ctr[2]! >>> 0, c3 = ctr[3]! >>> 0;
  let k0 = key[0]! >>> 0, k1 = key[1]! >>> 0;
  for (let r = 0; r < rounds; r++) {
    if (r > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi32(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi32(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    const n0 = (hi1 ^ c1 ^ k0) >>> 0;
    const n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}

/** A 64-bit value as two uint32 words [low, high]; accepts integers in [0, 2^53) or a bigint < 2^64. */
export function splitU64(value: number | bigint, what: string): [number, number] {
  if (typeof value === 'bigint') {
    if (value < 0n || value >= 1n << 64n) throw new RangeError(`${what} must be in [0, 2^64): ${value}`);
    return [Number(value & 0xffffffffn), Number(value >> 32n)];
  }
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be an integer in [0, 2^53): ${value}`);
  const hi = Math.floor(value / 0x100000000);
  return [value - hi * 0x100000000, hi];
}

/**
 * `count` consecutive uint32 words of one stream, starting at word `offset`: word w is word
 * (w mod 4) of the Philox4x32-10 block with counter [⌊w/4⌋ low, ⌊w/4⌋ high, stream low,
 * stream high] and key [seed low, seed high]. A pure function of (seed, stream, offset, count).
 */
export function philoxWords(seed: number | bigint, stream: number | bigint, offset: number, count: number): Uint32Array {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`offset must be a non-negative integer: ${offset}`);
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer: ${count}`);
  const key = splitU64(seed, 'seed');
  const [s0, s1] = splitU64(stream, 'stream');
  const out = new Uint32Array(count);
  const ctr = new Uint32Array(4);
  const block = new Uint32Array(4);
  ctr[2] = s0;
  ctr[3] = s1;
  let i = 0;
  for (let b = Math.floor(offset / 4); i < count; b++) {
    const hi = Math.floor(b / 0x100000000);
    ctr[0] = b - hi * 0x100000000;
    ctr[1] = hi;
    philox4x32(ctr, key, PHILOX_ROUNDS, block);
    for (let j = i === 0 ? offset % 4 : 0; j < 4 && i < count; j++) out[i++] = block[j]!;
  }
  return out;
}
