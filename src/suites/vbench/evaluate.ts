/**
 * `evaluateVbench`: the generic evaluation (core/evaluate-run.ts) with VBench's finalize, under the
 * option names tests and benchmarks call it with. The CLI goes through the suite registry.
 */
import { evaluateRun, type EvaluateRunOptions, type EvaluateRunResult } from '../../core/evaluate-run.ts';
import { VBENCH_SUITE } from './suite.ts';

export interface VbenchEvaluateOptions extends Omit<EvaluateRunOptions, 'suite' | 'mode'> {
  mode: 'custom' | 'standard';
}

export type VbenchEvaluateResult = EvaluateRunResult;

/** Score samples for the given dimensions into a run directory (resuming), then write scores.json and vbench_eval_results.json. */
export function evaluateVbench(o: VbenchEvaluateOptions): Promise<VbenchEvaluateResult> {
  return evaluateRun({ ...o, suite: VBENCH_SUITE });
}
