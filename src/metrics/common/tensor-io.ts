/**
 * What the families' typed calls need of a model and of its outputs: a session to run (a loaded
 * ModelHandle, or any object holding an ONNX Runtime session), and the named output of a run.
 */
import type * as ort from 'onnxruntime-node';
import { GenbenchError } from '../../core/errors.ts';

/** A model as the typed calls take it: a loaded ModelHandle, or any object holding its session. */
export interface SessionModel {
  readonly session: Pick<ort.InferenceSession, 'run'> & Partial<Pick<ort.InferenceSession, 'inputNames' | 'outputNames'>>;
}

/** Output `name` of a run; E_SIGNATURE naming the model's contract when the graph did not give it. */
export function outputOf(out: Record<string, ort.Tensor>, name: string, contract: string): ort.Tensor {
  const t = out[name];
  if (!t) throw new GenbenchError('E_SIGNATURE', `the model returned no \`${name}\` output`, `export it with the ${contract} contract (genbench models list shows it)`);
  return t;
}
