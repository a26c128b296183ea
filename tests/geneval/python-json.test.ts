/** repr(float), json.dumps and pandas' to_json lines against CPython 3.11 / pandas 1.5.3 (tests/golden/python-json.json). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pandasJsonLine, pyFloat, pythonFloatRepr, pythonJsonDumps } from '../../src/core/pycompat/json.ts';

const golden = JSON.parse(readFileSync(join(import.meta.dirname, '../golden/python-json.json'), 'utf8'));

function fromBits(hex: string): number {
  return new DataView(Uint8Array.from(Buffer.from(hex, 'hex')).buffer).getFloat64(0);
}

test('repr(float) for every golden double, bit pattern for bit pattern', () => {
  for (const f of golden.floats as { bits: string; repr: string }[]) assert.equal(pythonFloatRepr(fromBits(f.bits)), f.repr, f.bits);
});

/** The golden structures hold floats only where Python had floats: the `boxes` lists. */
function markFloats(v: unknown, inBoxes = false): unknown {
  if (Array.isArray(v)) return v.map((x) => markFloats(x, inBoxes));
  if (typeof v === 'number') return inBoxes ? pyFloat(v) : v;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, markFloats(x, inBoxes || k === 'boxes')]));
  return v;
}

test('json.dumps with default separators, ensure_ascii, ints and floats', () => {
  for (const d of golden.dumps as { value: unknown; dumps: string }[]) assert.equal(pythonJsonDumps(markFloats(d.value)), d.dumps);
});

test('integral numbers that are not marked as floats print as Python ints; marked ones as floats', () => {
  assert.equal(pythonJsonDumps({ a: 3, b: pyFloat(3), c: 0.5 }), '{"a": 3, "b": 3.0, "c": 0.5}');
});

test('pandas to_json(orient="records", lines=True): the same bytes', () => {
  const text = (golden.pandas.records as Record<string, unknown>[]).map((r) => `${pandasJsonLine(r)}\n`).join('');
  assert.equal(text, golden.pandas.text);
});
