/**
 * The two JSON spellings GenEval's results.jsonl carries (spec §3.7–3.8):
 * - `pythonJsonDumps`: CPython's `json.dumps(v)` with its defaults — `", "` and `": "` separators,
 *   `ensure_ascii` (every non-ASCII UTF-16 unit as `\uXXXX`), floats as `repr(float)`
 *   (`112.0`, `0.9957236647605896`, `1e-05`), non-finite floats as `NaN` / `Infinity`. JavaScript numbers do not say
 *   whether Python held an int or a float, so a float is passed as `pyFloat(x)`; plain integral
 *   numbers print as Python ints.
 * - `pandasJsonLine`: one record as pandas 1.5's `to_json(orient="records", lines=True)` writes it
 *   (ujson): compact separators, `/` escaped as `\/`, non-ASCII as `\uXXXX`.
 */

/** A value that Python holds as a float (prints with `repr(float)`). */
export class PyFloat {
  constructor(readonly value: number) {}
}

export const pyFloat = (x: number): PyFloat => new PyFloat(x);

/** CPython `repr(float)`: the shortest round-tripping digits (as JavaScript finds them), Python's layout. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  // Shortest digits and decimal exponent from JS: d.ddddde±N.
  const [mant, expPart] = x.toExponential().split('e') as [string, string];
  const exp = Number(expPart);
  const negative = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  // repr uses scientific notation when exp < -4 or exp >= 16 (float_repr_style 'r').
  if (exp < -4 || exp >= 16) {
    const frac = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${frac}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** A JSON string literal with every non-ASCII UTF-16 unit escaped (and, for ujson, `/` too). */
function quote(s: string, escapeSlash: boolean): string {
  let out = JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (escapeSlash) out = out.replace(/\//g, '\\/');
  return out;
}

/** json.dumps spells non-finite floats as JavaScript does. */
function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  return pythonFloatRepr(x);
}

function dumps(v: unknown, sep: { item: string; key: string }, escapeSlash: boolean): string {
  if (v instanceof PyFloat) return jsonFloat(v.value);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Number.isFinite(v) && Math.abs(v) < 2 ** 53) return String(v);
    return jsonFloat(v);
  }
  if (typeof v === 'string') return quote(v, escapeSlash);
  if (Array.isArray(v)) return `[${v.map((x) => dumps(x, sep, escapeSlash)).join(sep.item)}]`;
  if (typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${quote(k, escapeSlash)}${sep.key}${dumps(x, sep, escapeSlash)}`);
    return `{${parts.join(sep.item)}}`;
  }
  throw new TypeError(`cannot serialise a ${typeof v}`);
}

/** `json.dumps(v)` with CPython's default arguments. */
export function pythonJsonDumps(v: unknown): string {
  return dumps(v, { item: ', ', key: ': ' }, false);
}

/** One line of pandas' `to_json(orient="records", lines=True)` (without the newline). */
export function pandasJsonLine(record: Record<string, unknown>): string {
  return dumps(record, { item: ',', key: ':' }, true);
}
