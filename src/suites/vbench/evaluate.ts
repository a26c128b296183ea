import { GenbenchError } from '../../core/errors.ts';
import type { Progress } from '../../core/progress.ts';
import { evaluationProvenance, type GeneratorInfo, type ModelInfo, type PromptSetInfo } from '../../core/provenance.ts';
import { RunDir } from '../../core/run-dir.ts';
import { scoreRunDimensions } from '../../core/score-dimension.ts';
import type { Shard } from '../../core/shard.ts';
import type { Dimension, DimensionContext, SampleRecord, SampleRef } from '../../core/contracts.ts';
import type { ModelProvider } from '../../runtime/model-handle.ts';
import { VBENCH_CUSTOM_MODE_EXCLUDED, VBENCH_DIMENSION_IDS } from './constants.ts';
import { finalizeVbenchRun } from './finalize.ts';
import type { ScoresFile } from '../../core/scores-file.ts';

export interface VbenchEvaluateOptions {
  out: string;
  mode: 'custom' | 'standard';
  samples: SampleRef[];
  /** The prompt suite the samples follow (standard mode). */
  promptSet?: PromptSetInfo;
  /** Standard mode: each dimension's samples in the official order (default: all samples). */
  dimensionSamples?: Record<string, SampleRef[]>;
  /** Standard mode: samples each dimension expects, found or not (coverage). */
  expectedByDimension?: Record<string, number>;
  dimensions: Dimension[];
  models: Record<string, ModelInfo>;
  /** Resolves the models the dimensions list (verified, signature-checked sessions). */
  modelProvider?: ModelProvider;
  device: DimensionContext['device'];
  shard?: Shard;
  concurrency?: number;
  allowPartial?: boolean;
  progress: Progress;
  command: string[];
  signal?: AbortSignal;
  versions?: Record<string, string>;
  smoke?: boolean;
  /** The generator that made the samples, when genbench made them. */
  generator?: GeneratorInfo;
}

export interface VbenchEvaluateResult {
  run: RunDir;
  scores: ScoresFile;
  errorRecords: SampleRecord[];
}

/** Check the requested dimension ids against VBench's list and the mode's restrictions. */
export function checkVbenchDimensions(ids: string[], mode: 'custom' | 'standard'): void {
  for (const id of ids) {
    if (!VBENCH_DIMENSION_IDS.includes(id)) {
      throw new GenbenchError('E_USAGE', `unknown VBench dimension "${id}"`, `known: ${VBENCH_DIMENSION_IDS.join(', ')}`);
    }
    if (mode === 'custom' && VBENCH_CUSTOM_MODE_EXCLUDED.includes(id)) {
      throw new GenbenchError(
        'E_USAGE',
        `dimension "${id}" needs VBench's per-prompt auxiliary info and cannot run in custom mode`,
        'use --mode standard with videos named after VBench prompts',
      );
    }
  }
}

/** Score samples for the given dimensions into a run directory (resuming), then write scores and exports. */
export async function evaluateVbench(o: VbenchEvaluateOptions): Promise<VbenchEvaluateResult> {
  // Every model is loaded and verified (checksum, signature) before any sample is scored.
  const models: Record<string, ModelInfo> = { ...o.models };
  const needed = [...new Set(o.dimensions.flatMap((d) => d.models))];
  if (needed.length > 0 && !o.modelProvider) {
    throw new GenbenchError('E_USAGE', `dimensions need models (${needed.join(', ')}) but no model provider was given`);
  }
  for (const id of needed) models[id] = { sha256: (await o.modelProvider!.get(id)).sha256 };
  const run = new RunDir(o.out);
  const fresh = evaluationProvenance({
    suite: 'vbench',
    mode: o.mode,
    promptSet: o.promptSet ?? null,
    samples: o.samples,
    expected: Object.fromEntries(o.dimensions.map((d) => [d.id, o.expectedByDimension?.[d.id] ?? (o.dimensionSamples?.[d.id] ?? o.samples).length])),
    generator: o.generator,
    models,
    dimensions: o.dimensions,
    executionProvider: o.device,
    shard: o.shard,
    versions: o.versions,
    command: o.command,
  });
  const prov = run.open(fresh);
  const ctx: DimensionContext = { log: (m) => o.progress.log(m), device: o.device, signal: o.signal, models: o.modelProvider };
  const scored = await scoreRunDimensions({
    run,
    dimensions: o.dimensions,
    samplesOf: (d) => o.dimensionSamples?.[d.id] ?? o.samples,
    expectedOf: (d, all) => o.expectedByDimension?.[d.id] ?? all.length,
    modelHashes: Object.fromEntries(Object.entries(models).map(([k, v]) => [k, v.sha256])),
    ctx,
    progress: o.progress,
    concurrency: o.concurrency,
    shard: o.shard,
  });
  const { scores, errorRecords } = finalizeVbenchRun({ run, mode: o.mode, scored, allowPartial: o.allowPartial, smoke: o.smoke });
  run.finish(prov);
  return { run, scores, errorRecords };
}
