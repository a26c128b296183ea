/** One line of `genbench selftest`: what was checked, how it went, and the numbers behind it. */
import { GenbenchError, describeError } from '../core/errors.ts';

export type CheckGroup = 'decoder' | 'resize' | 'onnxruntime' | 'model';

export interface CheckResult {
  group: CheckGroup;
  /** What was checked, e.g. `torch_bicubic_up (WebAssembly kernel)`. */
  name: string;
  status: 'ok' | 'failed' | 'skipped';
  /** The numbers or the reason, one line. */
  detail: string;
  /** Largest absolute difference from the expected values, when values were compared. */
  maxAbsDiff?: number;
  /** How many values were compared. */
  values?: number;
  error?: { code: string; message: string; hint?: string };
}

export function ok(group: CheckGroup, name: string, detail: string, extra: Partial<CheckResult> = {}): CheckResult {
  return { group, name, status: 'ok', detail, ...extra };
}

export function failed(group: CheckGroup, name: string, detail: string, extra: Partial<CheckResult> = {}): CheckResult {
  return { group, name, status: 'failed', detail, ...extra };
}

export function skipped(group: CheckGroup, name: string, detail: string): CheckResult {
  return { group, name, status: 'skipped', detail };
}

/** A check that threw: failed, with the error's message (and code/hint when it is a GenbenchError). */
export function threw(group: CheckGroup, name: string, e: unknown): CheckResult {
  // The hint is not repeated in the line: the CLI prints it below a failed check.
  const message = (e instanceof GenbenchError ? e.message : describeError(e)).replace(/\s*\n\s*/g, ' ');
  const error = e instanceof GenbenchError ? { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) } : { code: 'E_INTERNAL', message: e instanceof Error ? e.message : String(e) };
  return { group, name, status: 'failed', detail: message, error };
}

/** max |a[i] − b[i]| (Infinity when the lengths differ or a value is NaN on one side only). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (Number.isNaN(x) || Number.isNaN(y)) {
      if (Number.isNaN(x) !== Number.isNaN(y)) return Infinity;
      continue;
    }
    const d = Math.abs(x - y);
    if (d > m) m = d;
  }
  return m;
}

/** Whether two arrays hold the same bits (float32 compared by bit pattern, so −0 ≠ 0 and NaN = NaN). */
export function sameBits(a: Uint8Array | Float32Array, b: Uint8Array | Float32Array): boolean {
  if (a.length !== b.length || a.constructor !== b.constructor) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return Buffer.compare(x, y) === 0;
}

/** `0`, `3.1e-7`, `12` — short, for one-line reports. */
export function formatDiff(d: number): string {
  if (d === 0) return '0';
  if (!Number.isFinite(d)) return String(d);
  return d >= 0.01 ? String(Number(d.toPrecision(4))) : d.toExponential(2);
}
