/**
 * Fixed-point formatting with Python's rounding (`f"{x:.2f}"`, `f"{x:.2%}"`), which is how the
 * papers' numbers were printed. Python rounds the exact binary value of the double and breaks exact
 * ties to even; JavaScript's `toFixed` breaks them away from zero (314/320 as a percentage:
 * Python 98.12, `toFixed` 98.13). Everything here is exact BigInt arithmetic on the double's bits.
 */

/** The double as m · 2^e with m a non-negative integer (sign returned apart). */
function decompose(x: number): { negative: boolean; m: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const negative = hi >>> 31 === 1;
  const exponentBits = (hi >>> 20) & 0x7ff;
  const fraction = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exponentBits === 0) return { negative, m: fraction, e: -1074 };
  return { negative, m: fraction | (1n << 52n), e: exponentBits - 1075 };
}

/** `format(x, f".{decimals}f")` exactly as CPython prints it. */
export function pythonFixed(x: number, decimals: number): string {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) throw new RangeError(`decimals out of range: ${decimals}`);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const { negative, m, e } = decompose(x);
  const scale = 10n ** BigInt(decimals);
  // x · 10^d = m · 10^d · 2^e = num / den exactly.
  let num = m * scale;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  let q = num / den;
  const r = num % den;
  const twice = 2n * r;
  if (twice > den || (twice === den && q % 2n === 1n)) q += 1n;
  const digits = q.toString().padStart(decimals + 1, '0');
  const body = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  // Python keeps the sign of negative values that round to zero ("-0.00").
  return negative ? `-${body}` : body;
}

/** A fraction as a percentage with Python's `.{d}%` rounding, without the % sign (0.80123 → "80.12"). */
export function pythonPercent(fraction: number, decimals = 2): string {
  // Python's % format multiplies by 100 in float64 first, then rounds the product.
  return pythonFixed(fraction * 100, decimals);
}
