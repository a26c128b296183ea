/**
 * What a generator is to genbench: the contract between the generic generation run
 * (generation-run.ts: prompt selection, shards, resume, folder identity, samples.jsonl,
 * generation.json, the suite's sample layout) and one way of making samples (NOVA over ONNX
 * Runtime; later an external command). A generator is looked up in the registry (registry.ts)
 * and works in stages, cheapest first, so that bad input fails before anything heavy:
 *
 *   prepare(request)     settings validated against its schema, the model named; no network
 *   identify(previous)   pins what exactly will run (NOVA: the checkpoint revision; may ask the Hub)
 *   open()               the model's files ready (download or hash) — only when the folder is new or samples are missing
 *   start()              heavy: sessions — only when samples are missing, after generation.json is written
 *   generate(batch)      one prompt's missing samples → pixels, and the record fields of each
 *
 * What it records: `GeneratorInfo` (src/core/provenance.ts: id, settings, seeds) in generation.json
 * and in the evaluation's run.json, its identity in the folder identity, its own provenance fields
 * in generation.json and its fields in each sample's record.
 */
import type { z } from 'zod';
import type { Device } from '../core/contracts.ts';
import type { Progress } from '../core/progress.ts';
import type { GeneratorInfo } from '../core/provenance.ts';
import type { GenerationPrompt, GenerationSuite, PromptVariant } from '../prompts/prompt-sets.ts';
import type { PreviousGeneration } from './outputs/folder-identity.ts';
import type { SampleMedia, SampleMediaKind } from './outputs/sample-files.ts';

/** The model as the caller named it: `--model` and the options that locate it. */
export interface ModelRequest {
  /** `--model` (NOVA: a catalogue id; optional with checkpointDir). */
  model?: string;
  /** NOVA: a local checkpoint folder instead of a download. */
  checkpointDir?: string;
  /** NOVA: the repository commit to download. */
  revision?: string;
  /** Hub endpoint for downloads (default HF_ENDPOINT or huggingface.co). */
  endpoint?: string;
}

/** What every stage may use. */
export interface GeneratorContext {
  device?: Device;
  threads?: number;
  progress: Progress;
  signal?: AbortSignal;
}

export interface Generator {
  /** Registry id (`nova`): the prefix of GeneratorInfo.id and of default run folders. */
  id: string;
  /** One line for help and listings. */
  describe: string;
  /** The settings a caller may set (CLI flags, a config file), every field optional; prepare validates against it and names a bad field. */
  settingsSchema: z.ZodType;
  /** Cheap: validates the request and settings for the suite; nothing downloaded or loaded. */
  prepare(request: ModelRequest, settings: unknown, suite: GenerationSuite, ctx: GeneratorContext): Promise<PreparedGenerator>;
}

export interface PreparedGenerator {
  /** Samples each prompt gets. */
  samplesPerPrompt: number;
  /** Which text of a prompt set the generator encodes (samples are named after the original either way). */
  promptVariant: PromptVariant;
  /** What each sample is (decides the file type where the layout leaves it open). */
  media: SampleMediaKind;
  /**
   * Pins down what exactly will run; `previous` is the output folder's earlier generation.json
   * (null when none or unreadable), so a folder can keep what its first run chose.
   */
  identify(previous: PreviousGeneration | null, ctx: GeneratorContext): Promise<IdentifiedGenerator>;
}

export interface IdentifiedGenerator {
  /** The model the samples come from, as the run's summary names it (`dir`: its local folder when known before open, else ''). */
  model: { id: string; revision: string; dir: string };
  /** The generator's part of the folder identity (every sample of a folder shares it; NOVA: checkpoint and settings). */
  identity: Record<string, unknown>;
  /** Heavy: makes the model ready (download, hashing, sessions). Called only when samples are missing or the folder is new. */
  open(ctx: GeneratorContext): Promise<OpenGenerator>;
}

export interface OpenGenerator {
  /** The model's local folder. */
  dir: string;
  /** The run-level generator block of the provenance (generation.json, and the evaluation's run.json through bench). */
  info: GeneratorInfo;
  /** Fields of generation.json after `generator` (NOVA: checkpointRevision, checkpointFiles, checkpointDir, checkpointSource). */
  provenance: Record<string, unknown>;
  /** Differences from the folder's earlier generation.json that its identity does not show (NOVA: checkpoint file hashes). */
  conflicts(previous: Record<string, unknown>): string[];
  /** Heavy: loads what generating needs (NOVA: the text encoder, transformer and VAE sessions). */
  start(ctx: GeneratorContext): Promise<SampleGenerator>;
}

export interface SampleGenerator {
  /** One prompt's missing samples, in request order. */
  generate(batch: PromptBatch, ctx: GeneratorContext): Promise<GeneratedBatch>;
}

/** One sample to make: its index among the prompt's samples and its key (sample-layouts.ts sampleKey), which names its noise. */
export interface SampleRequest {
  sampleIndex: number;
  key: string;
}

export interface PromptBatch {
  prompt: GenerationPrompt;
  samples: SampleRequest[];
}

export interface GeneratedSample {
  media: SampleMedia;
  /** The generator's fields of the sample's record (after the prompt fields, before executionProvider). */
  record: Record<string, unknown>;
}

export interface GeneratedBatch {
  samples: GeneratedSample[];
  /** Wall milliseconds the batch's media took (recorded as timings.batchMs). */
  batchMs: number;
  /** The generator's timing fields, first in each record's timings (NOVA: textEncodeMs, textCached). */
  timings: Record<string, number | boolean>;
}

/* ---- Registry entries (registry.ts): what a `--model` value names ---- */

interface ModelEntryBase {
  /** Registry id: names the entry in messages and bench's default run folders (`results/<suite>-<id>-<mode>-<time>`). */
  id: string;
  /** One line for help and listings. */
  describe: string;
  /** Whether this entry handles a `--model` value. */
  claims(model: string): boolean;
}

/** A model that generates samples from a prompt set into the suite's layout. */
export interface GeneratorEntry extends ModelEntryBase {
  kind: 'generator';
  /** Set while the generator is planned but not built: what is missing (the CLI says so and exits 4). */
  planned?: string;
  load(): Promise<Generator>;
}

/** Samples someone already has: evaluated where they are, nothing generated. */
export interface SampleFolderEntry extends ModelEntryBase {
  kind: 'folder';
  /** The folder a `--model` value names. */
  samplesDir(model: string): string;
}

export type ModelEntry = GeneratorEntry | SampleFolderEntry;

