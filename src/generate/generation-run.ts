/**
 * `genbench generate` with any generator (contract.ts): a benchmark's prompt set (or one prompt)
 * into the benchmark's own sample layout (outputs/sample-layouts.ts), resumably.
 *
 *   OUT/{prompt}-{i}.mp4                      --suite vbench (VBench standard names), --prompt with a video generator
 *   OUT/{prompt}-{i}.png                      --prompt with an image generator
 *   OUT/NNNNN/metadata.jsonl, samples/NNNNN.png   --suite geneval (the official layout)
 *   OUT/genbench/samples.jsonl                one record per sample, appended and fsynced
 *   OUT/genbench/generation.json              provenance of the generation (generator, settings, prompt files, host, times)
 *
 * Order of work, cheapest first, so that bad input fails before anything heavy: usage and
 * settings (the generator's prepare: ranges, model/suite agreement, the model's identity) → prompt
 * files → which model exactly (the generator's identify: NOVA's revision, which may ask the Hub)
 * → the output folder's earlier settings (a folder holds one configuration) → which samples are
 * missing → only then the generator's open (download, hashing) and start (sessions), and its batches.
 * A sample file appears under its final name only when complete (written under a partial name,
 * fsynced, renamed), then its record is appended. A re-run checks file ↔ record
 * (outputs/sample-records.ts) and regenerates exactly the samples that are not there with a record
 * of their bytes, so samples.jsonl ends with one record per file whatever was interrupted.
 */
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { appendJsonLine } from '../core/atomic-file.ts';
import type { Device } from '../core/contracts.ts';
import { GenbenchError } from '../core/errors.ts';
import { sha256File } from '../core/hash.ts';
import { writeJsonAtomic } from '../core/json-file.ts';
import type { Progress } from '../core/progress.ts';
import { hostInfo } from '../core/provenance.ts';
import { formatShard, inShard, type Shard } from '../core/shard.ts';
import { toolInfo } from '../core/tool-info.ts';
import { loadPromptSet, type BenchmarkSuite, type GenerationSuite } from '../prompts/prompt-sets.ts';
import type { Generator, GeneratorContext, ModelRequest } from './contract.ts';
import { checkFolder, readPreviousGeneration, type FolderIdentity } from './outputs/folder-identity.ts';
import { writeSampleFile, writeTextIfChanged } from './outputs/sample-files.ts';
import { SAMPLE_LAYOUTS, sampleKey } from './outputs/sample-layouts.ts';
import { describeReconciled, reconcileSampleRecords } from './outputs/sample-records.ts';

export interface GenerateOptions extends ModelRequest {
  /** The generator (registry.ts resolves `--model` to one). */
  generator: Generator;
  suite?: BenchmarkSuite;
  prompt?: string;
  out: string;
  limit?: number;
  shard?: Shard;
  device?: Device;
  threads?: number;
  /** The caller's settings, validated by the generator's settings schema. */
  settings?: unknown;
  promptsDir?: string;
  progress: Progress;
  command?: string[];
  signal?: AbortSignal;
}

export interface GenerateResult {
  out: string;
  suite: GenerationSuite;
  /** The model the samples come from (NOVA: checkpoint id, revision, local folder). */
  checkpoint: { id: string; revision: string; dir: string };
  /** Samples this run is responsible for (after --limit and --shard). */
  planned: number;
  generated: number;
  /** Already complete before this run. */
  skipped: number;
  /** Wall seconds per generated sample (generation, encoding, writing), null when none was generated. */
  secondsPerSample: number | null;
  records: string;
  provenance: string;
}

const GENBENCH_DIR = 'genbench';

export async function runGeneration(o: GenerateOptions): Promise<GenerateResult> {
  const startedAt = new Date().toISOString();
  if (o.prompt !== undefined && o.suite !== undefined) throw new GenbenchError('E_USAGE', 'pass either --suite or --prompt, not both');
  const suite: GenerationSuite = o.prompt !== undefined ? 'prompt' : (o.suite ?? 'vbench');
  const layout = SAMPLE_LAYOUTS[suite];
  const out = resolve(o.out);
  const ctx: GeneratorContext = { device: o.device, threads: o.threads, progress: o.progress, signal: o.signal };
  const { model, checkpointDir, revision, endpoint } = o;
  const prepared = await o.generator.prepare({ model, checkpointDir, revision, endpoint }, o.settings ?? {}, suite, ctx);
  const note = layout.samplesNote?.(prepared.samplesPerPrompt);
  if (note) o.progress.log(note);

  const set = await loadPromptSet(suite, prepared.promptVariant, { promptsDir: o.promptsDir, prompt: o.prompt });
  let prompts = set.prompts;
  if (o.limit !== undefined) prompts = prompts.slice(0, o.limit);
  // By prompt text, as evaluate shards (so `bench --shard I/N` scores exactly what it generated).
  prompts = prompts.filter((p) => inShard(p.prompt, o.shard));
  if (layout.media !== null && prepared.media !== layout.media) throw new GenbenchError('E_USAGE', `--suite ${suite} scores ${layout.media}s; ${o.generator.id} makes ${prepared.media}s with these settings`, 'check the generator\'s settings');
  // Names are checked now (a VBench prompt that cannot be a file name fails before any work).
  const sampleFiles = prompts.map((p) => Array.from({ length: prepared.samplesPerPrompt }, (_, j) => relative(out, layout.samplePath(out, p, j, prepared.media))));
  const planned = prompts.length * prepared.samplesPerPrompt;

  const provenancePath = join(out, GENBENCH_DIR, 'generation.json');
  const recordsPath = join(out, GENBENCH_DIR, 'samples.jsonl');
  const identified = await prepared.identify(readPreviousGeneration(provenancePath), ctx);
  const identity: FolderIdentity = {
    suite,
    ...identified.identity,
    prompts: set.sources.map((s) => ({ name: s.name, sha256: s.sha256 })),
  };
  checkFolder(provenancePath, identity);
  // File ↔ record: a sample is done when its file is there with a record of its bytes; anything
  // else (a file whose record a kill lost, a deleted or replaced file) is generated again, and
  // samples.jsonl keeps exactly one record per file.
  const reconciled = await reconcileSampleRecords(out, recordsPath, sampleFiles.flat());
  const reconciledNote = describeReconciled(reconciled);
  if (reconciledNote) o.progress.log(reconciledNote);
  const todo = prompts
    .map((p, k) => ({ p, missing: sampleFiles[k]!.flatMap((f, j) => (reconciled.done.has(f) ? [] : [j])) }))
    .filter((t) => t.missing.length > 0);
  const missingCount = todo.reduce((a, t) => a + t.missing.length, 0);
  const { id, revision: modelRevision } = identified.model;
  const result = (generated: number, seconds: number | null, dir: string): GenerateResult => ({
    out, suite, checkpoint: { id, revision: modelRevision, dir }, planned, generated, skipped: planned - missingCount, secondsPerSample: seconds, records: recordsPath, provenance: provenancePath,
  });
  // Everything there already, made with these settings: no need to open (fetch, hash) the model.
  if (todo.length === 0 && existsSync(provenancePath)) return result(0, null, identified.model.dir);

  // Heavy from here on.
  const gen = await identified.open(ctx);
  checkFolder(provenancePath, identity, (prev) => gen.conflicts(prev));
  const provenance = (finishedAt: string | null, generated: number) => ({
    schema: 1,
    tool: toolInfo(),
    identity,
    generator: gen.info,
    ...gen.provenance,
    promptSets: set.sources,
    limit: o.limit ?? null,
    shard: o.shard ? formatShard(o.shard) : null,
    samples: { planned, generatedThisRun: generated, presentBefore: planned - missingCount },
    executionProvider: o.device ?? 'cpu',
    host: hostInfo(),
    command: o.command ?? [],
    startedAt,
    finishedAt,
  });
  writeJsonAtomic(provenancePath, provenance(null, 0));
  if (todo.length === 0) {
    writeJsonAtomic(provenancePath, provenance(new Date().toISOString(), 0));
    return result(0, null, gen.dir);
  }

  const sampler = await gen.start(ctx);
  o.progress.start(`generate ${id}`, missingCount);
  const t0 = performance.now();
  let generated = 0;
  for (const { p, missing } of todo) {
    if (o.signal?.aborted) break;
    const requests = missing.map((j) => ({ sampleIndex: j, key: sampleKey(suite, { index: p.index, text: p.prompt }, j) }));
    const batch = await sampler.generate({ prompt: p, samples: requests }, ctx);
    for (const f of layout.promptFiles?.(out, p) ?? []) writeTextIfChanged(f.path, f.text);
    for (const [b, { sampleIndex: j, key }] of requests.entries()) {
      const s = batch.samples[b]!;
      const tw = performance.now();
      const path = layout.samplePath(out, p, j, prepared.media);
      await writeSampleFile(path, s.media);
      const writeMs = performance.now() - tw;
      const record = {
        schema: 1,
        file: relative(out, path),
        sha256: await sha256File(path),
        sampleKey: key,
        promptIndex: p.index,
        sampleIndex: j,
        prompt: p.prompt,
        promptVariant: prepared.promptVariant,
        promptUsed: p.used,
        ...s.record,
        executionProvider: o.device ?? 'cpu',
        createdAt: new Date().toISOString(),
        timings: { ...batch.timings, batchMs: Math.round(batch.batchMs), batchSize: missing.length, writeMs: Math.round(writeMs), sampleMs: Math.round(batch.batchMs / missing.length + writeMs) },
      };
      appendJsonLine(recordsPath, record);
      generated += 1;
      o.progress.tick(record.file);
    }
  }
  const seconds = generated > 0 ? (performance.now() - t0) / 1000 / generated : null;
  o.progress.stop(`generated ${generated} sample(s) into ${out}${seconds !== null ? ` (${seconds.toFixed(2)} s per sample)` : ''}`);
  writeJsonAtomic(provenancePath, provenance(new Date().toISOString(), generated));
  return result(generated, seconds, gen.dir);
}
