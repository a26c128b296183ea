/**
 * `evaluateGeneval`: the generic evaluation (core/evaluate-run.ts) of a listed GenEval folder
 * (input.ts) with GenEval's finalize: scores.json (six task accuracies + the overall score),
 * results.jsonl (the official per-image format, readable by summary_scores.py) and summary.txt
 * (what summary_scores.py prints). The CLI goes through the suite registry.
 */
import { join } from 'node:path';
import { evaluateRun, type EvaluateRunOptions, type EvaluateRunResult } from '../../core/evaluate-run.ts';
import type { PromptSetInfo } from '../../core/provenance.ts';
import type { ModelSource } from '../../core/contracts.ts';
import { genevalRunSamples, type GenevalInput } from './input.ts';
import { GENEVAL_SUITE } from './suite.ts';

export interface GenevalEvaluateOptions extends Omit<EvaluateRunOptions, 'suite' | 'mode' | 'samples' | 'dimensionSamples' | 'expectedByDimension' | 'promptSet' | 'models' | 'versions'> {
  input: GenevalInput;
  promptSet: PromptSetInfo;
  modelProvider: ModelSource;
}

export interface GenevalEvaluateResult extends EvaluateRunResult {
  resultsPath: string;
  summaryText: string;
}

/** Score every image with its task (resuming), then write scores.json, results.jsonl and summary.txt. */
export async function evaluateGeneval(o: GenevalEvaluateOptions): Promise<GenevalEvaluateResult> {
  const { input, ...rest } = o;
  const r = await evaluateRun({ ...rest, ...genevalRunSamples(input, o.dimensions.map((d) => d.id)), suite: GENEVAL_SUITE, mode: 'standard' });
  return { ...r, resultsPath: join(r.run.root, 'results.jsonl'), summaryText: r.summaryText ?? '' };
}
