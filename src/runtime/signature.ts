/**
 * Model signatures (input/output names, element types, shapes) and the check that a model file
 * matches the contract the registry declares. Pure functions: no ONNX Runtime here.
 */
import { GenbenchError } from '../core/errors.ts';

/** One input or output: a symbolic dim (a string such as 'batch') matches any size. */
export interface TensorSignature {
  name: string;
  /** Element type as onnxruntime-node names it: float32, int64, uint8, … ('non-tensor' for maps/sequences). */
  dtype: string;
  shape: (number | string)[];
}

export interface ModelSignature {
  inputs: TensorSignature[];
  outputs: TensorSignature[];
}

/** `pixel_values float32 [batch,3,224,224]` */
export function formatTensor(t: TensorSignature): string {
  return `${t.name} ${t.dtype} [${t.shape.join(',')}]`;
}

/** `inputs: a float32 [batch,3] ; outputs: b float32 [batch,1]` on one line. */
export function formatSignature(s: ModelSignature): string {
  const list = (ts: TensorSignature[]) => (ts.length === 0 ? '(none)' : ts.map(formatTensor).join(', '));
  return `inputs: ${list(s.inputs)}; outputs: ${list(s.outputs)}`;
}

function dimMatches(actual: number | string, expected: number | string): boolean {
  // A symbolic expected dim accepts anything; a fixed one needs the same size, or a model that
  // leaves the dim free (it accepts the size we will feed).
  if (typeof expected === 'string') return true;
  return typeof actual === 'string' || actual === expected;
}

function tensorDifferences(kind: 'input' | 'output', actual: TensorSignature, expected: TensorSignature): string[] {
  const out: string[] = [];
  if (actual.dtype !== expected.dtype) out.push(`${kind} ${expected.name}: element type ${actual.dtype}, expected ${expected.dtype}`);
  if (actual.shape.length !== expected.shape.length) {
    out.push(`${kind} ${expected.name}: rank ${actual.shape.length} [${actual.shape.join(',')}], expected rank ${expected.shape.length} [${expected.shape.join(',')}]`);
  } else {
    expected.shape.forEach((d, i) => {
      if (!dimMatches(actual.shape[i], d)) out.push(`${kind} ${expected.name}: dim ${i} is ${actual.shape[i]}, expected ${d}`);
    });
  }
  return out;
}

function listDifferences(kind: 'input' | 'output', actual: TensorSignature[], expected: TensorSignature[]): string[] {
  const out: string[] = [];
  const byName = new Map(actual.map((t) => [t.name, t]));
  for (const e of expected) {
    const a = byName.get(e.name);
    if (!a) out.push(`missing ${kind} ${e.name}`);
    else out.push(...tensorDifferences(kind, a, e));
  }
  const expectedNames = new Set(expected.map((t) => t.name));
  for (const a of actual) if (!expectedNames.has(a.name)) out.push(`unexpected ${kind} ${a.name}`);
  return out;
}

/** Every way `actual` fails the contract `expected` (empty when it matches). Inputs and outputs are matched by name. */
export function signatureDifferences(actual: ModelSignature, expected: ModelSignature): string[] {
  return [...listDifferences('input', actual.inputs, expected.inputs), ...listDifferences('output', actual.outputs, expected.outputs)];
}

export interface SignatureContext {
  /** What is being checked, e.g. `model dino-vitb16 (/path/model.onnx)`. */
  subject?: string;
  /** What the user should do; a default is given. */
  hint?: string;
}

/**
 * Throw GenbenchError E_SIGNATURE unless `actual` matches `expected`. The message names both
 * signatures in full and lists the differences.
 */
export function checkSignature(actual: ModelSignature, expected: ModelSignature, context: SignatureContext = {}): void {
  const diffs = signatureDifferences(actual, expected);
  if (diffs.length === 0) return;
  const subject = context.subject ?? 'model';
  throw new GenbenchError(
    'E_SIGNATURE',
    `${subject} does not have the expected signature (${diffs.join('; ')}).\n` +
      `  expected: ${formatSignature(expected)}\n` +
      `  actual:   ${formatSignature(actual)}`,
    context.hint ?? 'export the model with the signature the registry declares, or import it under a new id with `genbench models import`',
  );
}
