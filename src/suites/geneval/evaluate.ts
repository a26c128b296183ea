/**
 * `genbench evaluate --suite geneval`: a GenEval sample folder → a run directory.
 * Images are listed as the official evaluator lists them (samples.ts, with named problems and
 * coverage), each is scored by its task's dimension (task-dimension.ts; resumable records), and
 * the run gets scores.json (six task accuracies + the overall score), results.jsonl (the official
 * per-image format, readable by summary_scores.py) and summary.txt (what summary_scores.py prints).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { GenbenchError } from '../../core/errors.ts';
import { sha256File } from '../../core/hash.ts';
import { writeFileAtomic } from '../../core/atomic-file.ts';
import { readJson, writeJsonAtomic } from '../../core/json-file.ts';
import type { Progress } from '../../core/progress.ts';
import { evaluationProvenance, type GeneratorInfo, type ModelInfo, type PromptSetInfo } from '../../core/provenance.ts';
import { RunDir } from '../../core/run-dir.ts';
import { scoreRunDimensions } from '../../core/score-dimension.ts';
import type { DimensionScore, ScoresFile } from '../../core/scores-file.ts';
import { withCoverage } from '../coverage.ts';
import { runSmokeReasons } from '../../runtime/smoke.ts';
import type { Shard } from '../../core/shard.ts';
import { readLatestRecords } from '../../core/records-store.ts';
import type { Dimension, DimensionContext, SampleRecord, SampleRef } from '../../core/contracts.ts';
import type { ModelProvider } from '../../runtime/model-handle.ts';
import { genevalOverall } from './overall.ts';
import { pythonPathJoin } from '../../core/pycompat/path.ts';
import { resultRow, resultsJsonl } from './results-file.ts';
import { GENEVAL_IMAGES_PER_PROMPT, listGenevalSamples, type GenevalListing } from './samples.ts';
import { summarizeGeneval } from './summary.ts';
import { GENEVAL_TASK_IDS, type GenevalSampleInfo } from './task-dimension.ts';
import type { GenevalMetadata } from './task-checks.ts';

// TODO(#15): re-export kept while H4a owns tests/geneval/evaluate.test.ts (import it from src/core/pycompat/path.ts).
export { pythonPathJoin };

export interface GenevalInput {
  samples: SampleRef[];
  listing: GenevalListing;
  expectedByTask: Record<string, number>;
}

/**
 * List `imagesDir` against the pinned prompts and turn the images into samples. Folder problems
 * (renumbered or edited metadata, unknown classes, no samples/) and missing images refuse the run
 * unless `allowPartial`; then they are reported and the run covers what is there.
 */
export async function genevalInput(o: {
  imagesDir: string;
  prompts: readonly (GenevalMetadata | undefined)[];
  classes: readonly string[];
  allowPartial?: boolean;
  progress: Progress;
}): Promise<GenevalInput> {
  const listing = listGenevalSamples({ imagesDir: o.imagesDir, prompts: o.prompts, classes: o.classes });
  const issues: string[] = listing.problems.map((p) => `${p.folder}/: ${p.reason}`);
  const missingImages = listing.expectedImages - listing.samples.length;
  if (listing.missingPrompts.length > 0 || listing.shortPrompts.length > 0) {
    const short = listing.shortPrompts[0];
    issues.push(
      `${missingImages > 0 ? missingImages : 0} of ${listing.expectedImages} images missing: ${listing.missingPrompts.length} prompt folder(s) absent` +
        `${listing.missingPrompts.length > 0 ? ` (e.g. ${String(listing.missingPrompts[0]).padStart(5, '0')}/)` : ''}` +
        `, ${listing.shortPrompts.length} with fewer than ${GENEVAL_IMAGES_PER_PROMPT} images${short ? ` (e.g. ${String(short.index).padStart(5, '0')}/ has ${short.images})` : ''}`,
    );
  }
  if (issues.length > 0) {
    const shown = issues.slice(0, 8).join('; ') + (issues.length > 8 ? `; … ${issues.length - 8} more` : '');
    if (!o.allowPartial) {
      throw new GenbenchError(
        'E_INPUT',
        `the GenEval folder ${o.imagesDir} does not match the official prompt set: ${shown}`,
        'fix or regenerate those folders (NNNNN/metadata.jsonl must be line NNNNN of evaluation_metadata.jsonl), or pass --allow-partial to score what is there',
      );
    }
    o.progress.log(`warning (--allow-partial): ${shown}`);
  }
  const samples: SampleRef[] = [];
  for (const s of listing.samples) {
    const folder = s.id.split('/')[0]!;
    const info: GenevalSampleInfo = {
      metadata: s.metadata,
      promptIndex: s.promptIndex,
      filename: pythonPathJoin(o.imagesDir, folder, 'samples', s.id.split('/').at(-1)!),
    };
    samples.push({
      id: s.id,
      path: s.path,
      // The prompt identity is the folder (summary_scores.py groups by the metadata string).
      prompt: `${folder}:${s.metadata.prompt ?? ''}`,
      index: s.imageIndex,
      contentSha256: await sha256File(s.path),
      dimensions: [s.metadata.tag],
      auxiliary: { geneval: info },
      // The record key covers the folder's metadata line (not the images folder's location).
      identity: { metadata: s.metadata },
    });
  }
  const expectedByTask: Record<string, number> = {};
  for (const p of o.prompts) if (p) expectedByTask[p.tag] = (expectedByTask[p.tag] ?? 0) + GENEVAL_IMAGES_PER_PROMPT;
  return { samples, listing, expectedByTask };
}

export interface GenevalEvaluateOptions {
  out: string;
  input: GenevalInput;
  promptSet: PromptSetInfo;
  dimensions: Dimension[];
  modelProvider: ModelProvider;
  device: DimensionContext['device'];
  shard?: Shard;
  concurrency?: number;
  allowPartial?: boolean;
  smoke?: boolean;
  /** The generator that made the samples, when genbench made them. */
  generator?: GeneratorInfo;
  progress: Progress;
  command: string[];
  signal?: AbortSignal;
}

export interface GenevalEvaluateResult {
  run: RunDir;
  scores: ScoresFile;
  errorRecords: SampleRecord[];
  resultsPath: string;
  summaryText: string;
}

/** Score every image with its task (resuming), then write scores.json, results.jsonl and summary.txt. */
export async function evaluateGeneval(o: GenevalEvaluateOptions): Promise<GenevalEvaluateResult> {
  const models: Record<string, ModelInfo> = {};
  // Every model is loaded and verified (checksum, signature) before any image is scored.
  for (const id of [...new Set(o.dimensions.flatMap((d) => d.models))]) models[id] = { sha256: (await o.modelProvider.get(id)).sha256 };
  const run = new RunDir(o.out);
  const byTask = new Map<string, SampleRef[]>();
  for (const s of o.input.samples) {
    const tag = s.dimensions![0]!;
    byTask.set(tag, [...(byTask.get(tag) ?? []), s]);
  }
  const fresh = evaluationProvenance({
    suite: 'geneval',
    mode: 'standard',
    promptSet: o.promptSet,
    samples: o.input.samples,
    expected: Object.fromEntries(o.dimensions.map((d) => [d.id, o.input.expectedByTask[d.id] ?? 0])),
    generator: o.generator,
    models,
    dimensions: o.dimensions,
    executionProvider: o.device,
    shard: o.shard,
    command: o.command,
  });
  const prov = run.open(fresh);
  const ctx: DimensionContext = { log: (m) => o.progress.log(m), device: o.device, signal: o.signal, models: o.modelProvider };
  const scored = await scoreRunDimensions({
    run,
    dimensions: o.dimensions,
    samplesOf: (d) => byTask.get(d.id) ?? [],
    expectedOf: (d) => o.input.expectedByTask[d.id] ?? 0,
    modelHashes: Object.fromEntries(Object.entries(models).map(([k, v]) => [k, v.sha256])),
    ctx,
    progress: o.progress,
    concurrency: o.concurrency,
    shard: o.shard,
  });
  const result = finalizeGenevalRun({ run, scored, allowPartial: o.allowPartial, smoke: o.smoke });
  run.finish(prov);
  return { run, ...result };
}

/**
 * scores.json (task accuracies, overall = mean over the six tasks, refused when one is missing
 * unless `allowPartial`), results.jsonl (rows in folder/sample order) and summary.txt.
 */
export function finalizeGenevalRun(o: {
  run: RunDir;
  scored: { dimension: Dimension; records: readonly SampleRecord[]; expected: number }[];
  allowPartial?: boolean;
  smoke?: boolean;
}): { scores: ScoresFile; errorRecords: SampleRecord[]; resultsPath: string; summaryText: string } {
  const dims: Record<string, DimensionScore> = {};
  const errorRecords: SampleRecord[] = [];
  const okRecords: SampleRecord[] = [];
  for (const { dimension, records, expected } of o.scored) {
    const ok = records.filter((r) => r.ok);
    errorRecords.push(...records.filter((r) => !r.ok));
    okRecords.push(...ok);
    dims[dimension.id] = { score: ok.length > 0 ? dimension.aggregate(ok) : null, samples: ok.length, errors: records.length - ok.length, expected };
  }
  // Tasks scored into this run earlier and not now are kept (scores and rows).
  const earlier = existsSync(o.run.scoresPath) ? readJson<ScoresFile>(o.run.scoresPath, 'scores.json').dimensions : {};
  for (const [id, d] of Object.entries(earlier)) {
    if (id in dims) continue;
    dims[id] = d;
    okRecords.push(...readLatestRecords(o.run.recordsPath(id)).records.filter((r) => r.ok));
  }
  // The official order: prompt folders by index, images by number (record ids are NNNNN/samples/NNNN.png).
  okRecords.sort((a, b) => a.sample.localeCompare(b.sample, 'en', { numeric: true }));
  const rows = okRecords.map(resultRow);
  const resultsPath = join(o.run.root, 'results.jsonl');
  writeFileAtomic(resultsPath, resultsJsonl(rows));
  const summaryText = rows.length > 0 ? summarizeGeneval(rows).text : 'no image was scored\n';
  writeFileAtomic(join(o.run.root, 'summary.txt'), summaryText);
  const present = Object.fromEntries(Object.entries(dims).filter(([, d]) => d.score !== null).map(([k, d]) => [k, d.score!]));
  const overall = genevalOverall(present, o.allowPartial ?? false);
  const ordered = Object.fromEntries(
    [...GENEVAL_TASK_IDS.filter((t) => t in dims), ...Object.keys(dims).filter((k) => !(GENEVAL_TASK_IDS as readonly string[]).includes(k))].map((k) => [k, dims[k]!]),
  );
  const scores: ScoresFile = {
    schema: 1,
    suite: 'geneval',
    mode: 'standard',
    dimensions: ordered,
    headline: withCoverage('geneval', { overall }, dims),
    errors: Object.values(dims).reduce((n, d) => n + d.errors, 0),
    ...runSmokeReasons(o.run, Object.keys(dims), Object.fromEntries(o.scored.map((s) => [s.dimension.id, s.records])), o.smoke),
  };
  writeJsonAtomic(o.run.scoresPath, scores);
  return { scores, errorRecords, resultsPath, summaryText };
}
