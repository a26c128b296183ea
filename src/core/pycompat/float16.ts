import { roundHalfEven } from './round.ts';

/** Round to the nearest IEEE binary16 value (ties to even), returned as a number: `torch.half` / `np.float16` of a double. */
export function roundToFloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  if (a >= 65520) return Math.sign(x) * Infinity;
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  // Math.log2 can be off by one just below a power of two; fix the exponent exactly.
  const exp = a < 2 ** e ? e - 1 : a >= 2 ** (e + 1) ? e + 1 : e;
  const ulp = 2 ** (Math.max(exp, -14) - 10);
  return Math.sign(x) * roundHalfEven(a / ulp) * ulp;
}
