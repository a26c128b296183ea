/**
 * The evaluation every suite shares: verify the models, open the run directory with its provenance
 * (resuming a run of the same measurement), score each dimension's samples into resumable records,
 * let the suite write scores.json and its official exports, and mark the run finished. What differs
 * between suites comes in through the Suite object (core/suite-contract.ts) and the listed samples.
 */
import { GenbenchError } from './errors.ts';
import type { Progress } from './progress.ts';
import { evaluationProvenance, type GeneratorInfo, type ModelInfo, type PromptSetInfo } from './provenance.ts';
import { RunDir } from './run-dir.ts';
import { scoreRunDimensions } from './score-dimension.ts';
import type { Shard } from './shard.ts';
import type { Dimension, DimensionContext, ModelSource, SampleRef } from './contracts.ts';
import type { Suite, SuiteFinalized, SuiteSamples } from './suite-contract.ts';

export interface EvaluateRunOptions extends SuiteSamples {
  /** The suite whose finalize writes the scores (only its id and scores are used). */
  suite: Pick<Suite, 'id' | 'scores'>;
  out: string;
  mode: string;
  dimensions: Dimension[];
  /** Models known beforehand (their sha256 enters the record keys); the provider's are added. */
  models?: Record<string, ModelInfo>;
  /** Resolves the models the dimensions list (verified, signature-checked sessions). */
  modelProvider?: ModelSource;
  device: DimensionContext['device'];
  shard?: Shard;
  concurrency?: number;
  allowPartial?: boolean;
  /** Fixture models: a smoke run, marked as such. */
  smoke?: boolean;
  /** The generator that made the samples, when genbench made them. */
  generator?: GeneratorInfo;
  progress: Progress;
  command: string[];
  signal?: AbortSignal;
  versions?: Record<string, string>;
}

export interface EvaluateRunResult extends SuiteFinalized {
  run: RunDir;
}

/** Score samples for the given dimensions into a run directory (resuming), then write scores and exports. */
export async function evaluateRun(o: EvaluateRunOptions): Promise<EvaluateRunResult> {
  // Every model is loaded and verified (checksum, signature) before any sample is scored.
  const models: Record<string, ModelInfo> = { ...o.models };
  const needed = [...new Set(o.dimensions.flatMap((d) => d.models))];
  if (needed.length > 0 && !o.modelProvider) {
    throw new GenbenchError('E_USAGE', `dimensions need models (${needed.join(', ')}) but no model provider was given`);
  }
  for (const id of needed) models[id] = { sha256: (await o.modelProvider!.get(id)).sha256 };
  const samplesOf = (d: Dimension): SampleRef[] => o.dimensionSamples?.[d.id] ?? o.samples;
  const expectedOf = (d: Dimension): number => o.expectedByDimension?.[d.id] ?? samplesOf(d).length;
  const run = new RunDir(o.out);
  const fresh = evaluationProvenance({
    suite: o.suite.id,
    mode: o.mode,
    promptSet: o.promptSet ?? null,
    samples: o.samples,
    expected: Object.fromEntries(o.dimensions.map((d) => [d.id, expectedOf(d)])),
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
    samplesOf,
    expectedOf,
    modelHashes: Object.fromEntries(Object.entries(models).map(([k, v]) => [k, v.sha256])),
    ctx,
    progress: o.progress,
    concurrency: o.concurrency,
    shard: o.shard,
  });
  const finalized = await o.suite.scores.finalize({ run, mode: o.mode, scored, allowPartial: o.allowPartial, smoke: o.smoke });
  run.finish(prov);
  return { run, ...finalized };
}
