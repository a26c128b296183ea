/**
 * `genbench generate` with a NOVA checkpoint: a benchmark's prompt set (or one prompt) into the
 * benchmark's own sample layout, resumably.
 *
 *   OUT/{prompt}-{i}.mp4                      --suite vbench (VBench standard names), --prompt with a video checkpoint
 *   OUT/{prompt}-{i}.png                      --prompt with an image checkpoint
 *   OUT/NNNNN/metadata.jsonl, samples/NNNNN.png   --suite geneval (the official layout)
 *   OUT/genbench/samples.jsonl                one record per sample, appended and fsynced
 *   OUT/genbench/generation.json              provenance of the generation (checkpoint, settings, prompt files, host, times)
 *
 * Order of work, cheapest first, so that bad input fails before anything heavy: usage and
 * settings (ranges, checkpoint/suite agreement) → checkpoint identity (catalogue id, or the local
 * folder's configs, unsupported fields refused by name) → prompt files → the revision (--revision,
 * pinned, the one the folder recorded, else main's current commit from the Hub) → the output
 * folder's earlier settings (a folder holds one configuration) → download → scheduler
 * config → which samples are missing → only then graphs, sessions, the text encoder.
 * A sample file appears under its final name only when complete (written under a partial name,
 * fsynced, renamed), then its record is appended. A re-run checks file ↔ record
 * (outputs/sample-records.ts) and regenerates exactly the samples that are not there with a record
 * of their bytes, so samples.jsonl ends with one record per file whatever was interrupted.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import sharp from 'sharp';
import { GenbenchError } from '../../core/errors.ts';
import { sha256File, stableStringify } from '../../core/hash.ts';
import { appendJsonLine } from '../../core/atomic-file.ts';
import { writeJsonAtomic } from '../../core/json-file.ts';
import type { Progress } from '../../core/progress.ts';
import { hostInfo } from '../../core/provenance.ts';
import { inShard, formatShard, type Shard } from '../../core/shard.ts';
import { toolInfo } from '../../core/tool-info.ts';
import type { Device } from '../../core/contracts.ts';
import { genevalImagePath, writeGenevalImage, writeGenevalMetadata } from '../outputs/geneval-images.ts';
import { writeBytesAtomic } from '../outputs/partial-file.ts';
import { describeReconciled, reconcileSampleRecords } from '../outputs/sample-records.ts';
import { vbenchVideoName, vbenchVideoPath, writeVbenchVideo } from '../outputs/vbench-videos.ts';
import { findCheckpoint, fetchRevision, type NovaCheckpoint } from './checkpoints.ts';
import { loadTransformerConfig, parsePhiConfig, readJsonConfig } from './config.ts';
import { describeCheckpointDir, fetchCheckpoint, localCheckpoint, resolveMainRevision, type ResolvedCheckpoint } from './fetch-checkpoint.ts';
import { openNovaNetworks } from './networks/ort-networks.ts';
import { OrtPhiTextEncoder } from './networks/ort-text-encoder.ts';
import { loadPromptSet, type GenerationPrompt } from './prompt-sets.ts';
import { philoxNoiseSource } from './rng/noise-source.ts';
import { generateSamples, type GenerationPlan, type SampleSpec } from './sampler/generate-sample.ts';
import type { TextFeatures } from './sampler/networks.ts';
import { makeSchedule } from './sampler/schedulers/make-schedule.ts';
import { parseSchedulerConfig } from './sampler/schedulers/scheduler-config.ts';
import { generatorInfo, resolveGenerationSettings, sampleKey, type GenerationSettings, type GenerationSettingsInput, type GenerationSuite, type NovaSampleRecord } from './settings.ts';
import { TextEmbeddingCache, textEncoderKey } from './text-embeddings.ts';

export interface NovaGenerateOptions {
  /** Catalogue id (nova-osp480, …); optional with checkpointDir. */
  model?: string;
  checkpointDir?: string;
  revision?: string;
  suite?: 'vbench' | 'geneval';
  prompt?: string;
  out: string;
  limit?: number;
  shard?: Shard;
  device?: Device;
  threads?: number;
  settings?: GenerationSettingsInput;
  promptsDir?: string;
  progress: Progress;
  command?: string[];
  signal?: AbortSignal;
  /** Hub endpoint for downloads (default HF_ENDPOINT or huggingface.co). */
  endpoint?: string;
}

export interface NovaGenerateResult {
  out: string;
  suite: GenerationSuite;
  checkpoint: { id: string; revision: string; dir: string };
  /** Samples this run is responsible for (after --limit and --shard). */
  planned: number;
  generated: number;
  /** Already complete before this run. */
  skipped: number;
  /** Wall seconds per generated sample (text encoding, sampling, decoding, writing), null when none was generated. */
  secondsPerSample: number | null;
  records: string;
  provenance: string;
}

/** One sample record as written to OUT/genbench/samples.jsonl. */
export type NovaSampleRecordLine = NovaSampleRecord & {
  timings: {
    /** Prompt features (0–1 ms when cached). */
    textEncodeMs: number;
    textCached: boolean;
    /** Sampling + VAE decode of the prompt's batch (its missing samples together). */
    batchMs: number;
    batchSize: number;
    /** Encoding and writing this sample's file. */
    writeMs: number;
    /** batchMs / batchSize + writeMs. */
    sampleMs: number;
  };
};

/** The part of the provenance a folder's samples must share (a second configuration is refused). */
interface FolderIdentity {
  suite: GenerationSuite;
  checkpoint: { id: string; repo: string; revision: string };
  /** Every setting but the number of samples per prompt (more samples may be added to a folder). */
  settings: Omit<GenerationSettings, 'samplesPerPrompt'>;
  prompts: { name: string; sha256: string }[];
}

const GENBENCH_DIR = 'genbench';

function sameJson(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

function differences(a: Record<string, unknown>, b: Record<string, unknown>, prefix = ''): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[k];
    const y = b[k];
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y)) out.push(...differences(x as Record<string, unknown>, y as Record<string, unknown>, `${prefix}${k}.`));
    else if (!sameJson(x, y)) out.push(`${prefix}${k}: ${JSON.stringify(y)} here, ${JSON.stringify(x)} requested`);
  }
  return out;
}

/** Refuses to add samples of another configuration to a folder that already has some. */
function checkFolder(provenancePath: string, want: FolderIdentity, files: Record<string, string> | null): void {
  if (!existsSync(provenancePath)) return;
  let prev: { identity?: FolderIdentity; checkpointFiles?: Record<string, string> };
  try {
    prev = JSON.parse(readFileSync(provenancePath, 'utf8'));
  } catch {
    throw new GenbenchError('E_INPUT', `${provenancePath} is damaged`, 'restore it, or generate into a new --out folder');
  }
  const diff = prev.identity ? differences(want as unknown as Record<string, unknown>, prev.identity as unknown as Record<string, unknown>) : ['no identity recorded'];
  if (files && prev.checkpointFiles && !sameJson(files, prev.checkpointFiles)) diff.push('checkpoint file hashes differ');
  if (diff.length) {
    throw new GenbenchError('E_USAGE', `${resolve(provenancePath, '../..')} already holds samples made with other settings: ${diff.slice(0, 4).join('; ')}`, 'use another --out folder for another configuration (a folder holds one configuration, so its samples stay comparable)');
  }
}

/** How the checkpoint revision of a run was chosen (recorded in generation.json). */
type RevisionSource = 'local' | 'requested' | 'pinned' | 'recorded' | 'resolved-main';

/**
 * The catalogue entry or local folder behind the options, without downloading anything; the
 * revision when known without the Hub (local, --revision, pinned), else null.
 */
function checkpointIdentity(o: NovaGenerateOptions): { checkpoint: NovaCheckpoint; revision: string | null; source: RevisionSource | null } {
  if (o.checkpointDir) {
    if (o.revision) throw new GenbenchError('E_USAGE', '--revision applies to downloads; a --checkpoint-dir folder is used as it is', 'drop --revision');
    return { checkpoint: describeCheckpointDir(resolve(o.checkpointDir), o.model ? findCheckpoint(o.model) : undefined), revision: 'local', source: 'local' };
  }
  if (!o.model) throw new GenbenchError('E_USAGE', 'missing --model', 'pass a NOVA checkpoint id (nova-osp480, nova-sd512, nova-sdxl1024-w768|w1024|w1536) or --checkpoint-dir DIR');
  const checkpoint = findCheckpoint(o.model);
  const revision = fetchRevision(checkpoint, o.revision);
  return { checkpoint, revision, source: revision === null ? null : o.revision !== undefined ? 'requested' : 'pinned' };
}

/** The revision of `repo` an output folder's earlier run recorded (null when none, or unreadable: checkFolder reports that). */
function recordedRevision(provenancePath: string, repo: string): { revision: string; record: unknown } | null {
  if (!existsSync(provenancePath)) return null;
  try {
    const prev = JSON.parse(readFileSync(provenancePath, 'utf8')) as { identity?: FolderIdentity; checkpointRevision?: unknown };
    const c = prev.identity?.checkpoint;
    return c && c.repo === repo && /^[0-9a-f]{40}$/.test(c.revision) ? { revision: c.revision, record: prev.checkpointRevision ?? null } : null;
  } catch {
    return null;
  }
}

function pngPath(out: string, prompt: string, i: number): string {
  return join(out, vbenchVideoName(prompt, i).replace(/\.mp4$/, '.png'));
}

async function writePng(path: string, rgb: Uint8Array, width: number, height: number): Promise<void> {
  writeBytesAtomic(path, await sharp(rgb, { raw: { width, height, channels: 3 } }).png().toBuffer());
}

export async function runNovaGeneration(o: NovaGenerateOptions): Promise<NovaGenerateResult> {
  const startedAt = new Date().toISOString();
  if (o.prompt !== undefined && o.suite !== undefined) throw new GenbenchError('E_USAGE', 'pass either --suite or --prompt, not both');
  const suite: GenerationSuite = o.prompt !== undefined ? 'prompt' : (o.suite ?? 'vbench');
  const out = resolve(o.out);
  const known = checkpointIdentity(o);
  const { checkpoint } = known;
  const input: GenerationSettingsInput = { ...(o.settings ?? {}) };
  if (suite === 'prompt' && checkpoint.task === 't2v' && input.latentFrames === undefined) input.latentFrames = 9;
  const settings = resolveGenerationSettings(input, checkpoint, suite);
  if (suite === 'geneval' && settings.samplesPerPrompt !== 4) o.progress.log(`note: GenEval scores 4 images per prompt; generating ${settings.samplesPerPrompt}`);

  const set = await loadPromptSet(suite, settings.promptVariant, { promptsDir: o.promptsDir, prompt: o.prompt });
  let prompts = set.prompts;
  if (o.limit !== undefined) prompts = prompts.slice(0, o.limit);
  // By prompt text, as evaluate shards (so `bench --shard I/N` scores exactly what it generated).
  prompts = prompts.filter((p) => inShard(p.prompt, o.shard));
  const video = settings.latentFrames > 1;
  if (suite === 'vbench' && !video) throw new GenbenchError('E_USAGE', 'VBench scores videos: latent frames must be at least 2', 'drop --frames for NOVA\'s 9 latent frames (33 video frames)');
  // Names are checked now (a VBench prompt that cannot be a file name fails before any work).
  const samplePath = (p: GenerationPrompt, j: number): string => {
    if (suite === 'geneval') return genevalImagePath(out, p.index, j);
    if (video) return vbenchVideoPath(out, p.prompt, j);
    return pngPath(out, p.prompt, j);
  };
  const sampleFiles = prompts.map((p) => Array.from({ length: settings.samplesPerPrompt }, (_, j) => relative(out, samplePath(p, j))));
  const planned = prompts.length * settings.samplesPerPrompt;

  const provenancePath = join(out, GENBENCH_DIR, 'generation.json');
  const recordsPath = join(out, GENBENCH_DIR, 'samples.jsonl');
  // An unpinned checkpoint without --revision: the folder keeps the revision its first run
  // resolved (main moving on must not change a folder's samples); a new folder asks the Hub which
  // commit main is at now, prints it and records it.
  let revision: string;
  let revisionRecord: Record<string, unknown>;
  if (known.revision !== null) {
    revision = known.revision;
    revisionRecord = { revision, source: known.source };
  } else {
    const recorded = recordedRevision(provenancePath, checkpoint.repo);
    if (recorded) {
      revision = recorded.revision;
      o.progress.log(`${checkpoint.id}: using revision ${revision}, recorded in ${provenancePath} (a folder keeps its revision)`);
      const prev = recorded.record && typeof recorded.record === 'object' ? (recorded.record as Record<string, unknown>) : {};
      revisionRecord = { ...prev, revision, source: prev.source ?? 'recorded' };
    } else {
      const r = await resolveMainRevision(checkpoint, { endpoint: o.endpoint, signal: o.signal });
      revision = r.revision;
      o.progress.log(r.note);
      revisionRecord = { revision, source: 'resolved-main', resolvedAt: new Date().toISOString() };
    }
  }
  const identity: FolderIdentity = {
    suite,
    // A local folder is identified by its files' hashes (checked below), not by where it lies.
    checkpoint: { id: checkpoint.id, repo: o.checkpointDir ? 'local' : checkpoint.repo, revision },
    settings: (({ samplesPerPrompt: _n, ...rest }) => rest)(settings),
    prompts: set.sources.map((s) => ({ name: s.name, sha256: s.sha256 })),
  };
  checkFolder(provenancePath, identity, null);
  // File ↔ record: a sample is done when its file is there with a record of its bytes; anything
  // else (a file whose record a kill lost, a deleted or replaced file) is generated again, and
  // samples.jsonl keeps exactly one record per file.
  const reconciled = await reconcileSampleRecords(out, recordsPath, sampleFiles.flat());
  const note = describeReconciled(reconciled);
  if (note) o.progress.log(note);
  const todo = prompts
    .map((p, k) => ({ p, missing: sampleFiles[k]!.flatMap((f, j) => (reconciled.done.has(f) ? [] : [j])) }))
    .filter((t) => t.missing.length > 0);
  const missingCount = todo.reduce((a, t) => a + t.missing.length, 0);
  const result = (generated: number, seconds: number | null, dir: string): NovaGenerateResult => ({
    out, suite, checkpoint: { id: checkpoint.id, revision, dir }, planned, generated, skipped: planned - missingCount, secondsPerSample: seconds, records: recordsPath, provenance: provenancePath,
  });
  // Everything there already, made with these settings: no need to fetch or even hash the checkpoint.
  if (todo.length === 0 && existsSync(provenancePath)) return result(0, null, o.checkpointDir ? resolve(o.checkpointDir) : '');

  // Heavy from here on: download (or hash) the checkpoint.
  const resolved: ResolvedCheckpoint = o.checkpointDir
    ? await localCheckpoint(o.checkpointDir, o.model)
    : await fetchCheckpoint(checkpoint, revision, {
      endpoint: o.endpoint,
      signal: o.signal,
      onFile: (path, state) => { if (state !== 'cached') o.progress.log(`${state === 'resume' ? 'resuming' : 'downloading'} ${checkpoint.repo}/${path}`); },
    });
  checkFolder(provenancePath, identity, resolved.files);
  const dir = resolved.dir;
  const sPath = join(dir, 'scheduler/scheduler_config.json');
  const schedule = makeSchedule(parseSchedulerConfig(readJsonConfig(sPath), sPath), settings.diffusionSteps, settings.flowShift ?? undefined);
  const tcfg = loadTransformerConfig(join(dir, 'transformer/config.json'));
  const plan: GenerationPlan = {
    arSteps: settings.arSteps,
    schedule,
    guidance: { scale: settings.guidanceScale, trunc: settings.guidanceTrunc, renorm: settings.guidanceRenorm },
    motionFlow: settings.motionFlow ?? 0,
    latentFrames: settings.latentFrames,
  };

  const provenance = (finishedAt: string | null, generated: number) => ({
    schema: 1,
    tool: toolInfo(),
    identity,
    generator: generatorInfo(settings, checkpoint, revision, resolved.files),
    checkpointRevision: revisionRecord,
    checkpointFiles: resolved.files,
    checkpointDir: dir,
    checkpointSource: resolved.source,
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
    return result(0, null, dir);
  }

  const textFiles = Object.fromEntries(Object.entries(resolved.files).filter(([p]) => p.startsWith('text_encoder/') || p.startsWith('tokenizer/')));
  const phi = parsePhiConfig(readJsonConfig(join(dir, 'text_encoder/config.json')));
  const texts = new TextEmbeddingCache(textEncoderKey(textFiles, tcfg.textTokenLen), phi.hiddenSize, () =>
    OrtPhiTextEncoder.open(join(dir, 'text_encoder'), join(dir, 'tokenizer'), { device: o.device, threads: o.threads, maxTokens: tcfg.textTokenLen }));
  const net = await openNovaNetworks({ transformer: join(dir, 'transformer'), vae: join(dir, 'vae') }, { device: o.device, threads: o.threads });
  const noise = philoxNoiseSource(settings.seed);
  const negative: TextFeatures | null = settings.negativePrompt === '' ? null : await texts.get(settings.negativePrompt);

  o.progress.start(`generate ${checkpoint.id}`, missingCount);
  const t0 = performance.now();
  let generated = 0;
  for (const { p, missing } of todo) {
    if (o.signal?.aborted) break;
    const te = performance.now();
    const features = await texts.get(p.used);
    const textEncodeMs = performance.now() - te;
    const specs: SampleSpec[] = missing.map((j) => ({ key: sampleKey(suite, { index: p.index, text: p.prompt }, j), prompt: features, negative }));
    const tb = performance.now();
    const decoded = await generateSamples(net, plan, specs, noise);
    const batchMs = performance.now() - tb;
    if (suite === 'geneval') writeGenevalMetadata(out, p.index, p.metadata!);
    for (const [b, j] of missing.entries()) {
      const s = decoded[b]!;
      const tw = performance.now();
      let path: string;
      if (suite === 'geneval') path = await writeGenevalImage(out, p.index, j, s.frames[0]!, s.width, s.height);
      else if (video) path = await writeVbenchVideo(out, p.prompt, j, s.frames, s.width, s.height, { fps: settings.fps! });
      else {
        path = pngPath(out, p.prompt, j);
        await writePng(path, s.frames[0]!, s.width, s.height);
      }
      const writeMs = performance.now() - tw;
      const record: NovaSampleRecordLine = {
        schema: 1,
        file: relative(out, path),
        sha256: await sha256File(path),
        sampleKey: specs[b]!.key,
        promptIndex: p.index,
        sampleIndex: j,
        prompt: p.prompt,
        promptVariant: settings.promptVariant,
        promptUsed: p.used,
        promptTokens: features.length,
        promptTruncated: features.truncated,
        negativePrompt: settings.negativePrompt,
        checkpoint: { id: checkpoint.id, repo: checkpoint.repo, revision, files: resolved.files },
        settings,
        rng: { generator: 'philox4x32-10', seed: settings.seed, streams: 'sha256(purpose/sampleKey) per draw' },
        executionProvider: o.device ?? 'cpu',
        createdAt: new Date().toISOString(),
        timings: { textEncodeMs: Math.round(textEncodeMs), textCached: features.cached, batchMs: Math.round(batchMs), batchSize: missing.length, writeMs: Math.round(writeMs), sampleMs: Math.round(batchMs / missing.length + writeMs) },
      };
      appendJsonLine(recordsPath, record);
      generated += 1;
      o.progress.tick(record.file);
    }
  }
  const seconds = generated > 0 ? (performance.now() - t0) / 1000 / generated : null;
  o.progress.stop(`generated ${generated} sample(s) into ${out}${seconds !== null ? ` (${seconds.toFixed(2)} s per sample)` : ''}`);
  writeJsonAtomic(provenancePath, provenance(new Date().toISOString(), generated));
  return result(generated, seconds, dir);
}

