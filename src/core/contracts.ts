/**
 * Contracts shared by every layer (see ../shared/specs/design.md "Core types"): samples, records,
 * dimensions and the execution device. A Dimension turns one sample into one record; `aggregate`
 * turns the records of a run into the dimension score exactly as the official implementation
 * aggregates them. Model handles (with their ONNX Runtime sessions) are runtime's; core only knows
 * the `LoadedModel` part of them.
 */

/** Execution provider a run uses. */
export type Device = 'cpu' | 'webgpu' | 'cuda';
export const DEVICES: readonly Device[] = ['cpu', 'webgpu', 'cuda'];

/** One sample (a video or image file) to be scored. */
export interface SampleRef {
  /** Stable id inside the run, e.g. the file name relative to the samples folder. */
  id: string;
  /** Absolute path of the file. */
  path: string;
  /** Prompt text the sample was generated from (custom mode: from the file name). */
  prompt: string;
  /** Index of the sample among the prompt's samples, when known. */
  index?: number;
  /** sha256 of the file's bytes (part of the resume key). */
  contentSha256: string;
  /** Dimensions this sample is scored for (VBench standard mode: its prompt's tags); all when absent. */
  dimensions?: readonly string[];
  /** Per-dimension auxiliary info from the prompt suite (objects, colours, relations…). */
  auxiliary?: Readonly<Record<string, unknown>>;
  /**
   * Suite metadata that identifies the sample besides id, prompt and index (GenEval: the folder's
   * metadata line); part of the record key. When absent, `auxiliary` is used.
   */
  identity?: Readonly<Record<string, unknown>>;
}

/** What a dimension returns for one sample. `value` is the per-sample score VBench calls `video_results`. */
export interface SampleResult {
  value: number | boolean;
  /** Anything else needed to recompute the aggregate exactly (frame counts, sums, per-pair values). */
  extra?: Record<string, unknown>;
}

/**
 * What core needs to know of a loaded metric model: its id (the one served: a fixture id when
 * `--fixture-models` substituted it), its sha256 and whether it is a random-weight fixture. The
 * concrete handle, with its ONNX Runtime session, is runtime's ModelHandle (src/runtime/model-handle.ts).
 */
export interface LoadedModel {
  id: string;
  sha256: string;
  /** True when the model is a random-weight fixture (its scores are smoke scores). */
  fixture?: boolean;
}

/**
 * Where dimensions get their models. The run resolves every model a dimension lists (checksum and
 * signature checked, session created once per run) before any sample is scored. Runtime's
 * ModelProvider is `ModelSource<ModelHandle>`.
 */
export interface ModelSource<H extends LoadedModel = LoadedModel> {
  get(id: string): Promise<H>;
}

/** Services a dimension may use while scoring; `H` is the model handle type its models come as. */
export interface DimensionContext<H extends LoadedModel = LoadedModel> {
  /** Models by registry id (present when the dimension lists models). */
  models?: ModelSource<H>;
  /** Log a line (progress output decides where it goes). */
  log(message: string): void;
  /** Execution provider requested by the user. */
  device: Device;
  /** Abort signal: set when the user interrupts. */
  signal?: AbortSignal;
}

/** A stored per-sample record: the key fields plus the result or the error. */
export interface SampleRecord {
  key: string;
  dimension: string;
  sample: string;
  path: string;
  prompt: string;
  index?: number;
  /** Position in the dimension's full sample list (official order), so merged shards keep it. */
  order?: number;
  contentSha256: string;
  ok: boolean;
  value?: number | boolean;
  extra?: Record<string, unknown>;
  error?: { code: string; message: string };
  seconds?: number;
  at: string;
  /** Scored with a fixture model (random weights): a smoke score, not a real one. */
  smoke?: boolean;
}

/** A dimension; `H` is the model handle type its scoreSample uses (runtime's ModelHandle for ONNX models). */
export interface Dimension<H extends LoadedModel = LoadedModel> {
  /** VBench/GenEval id with underscores, e.g. `temporal_flickering`. */
  id: string;
  /** Id of the suite the dimension belongs to (src/suites/registry.ts), e.g. `vbench`. */
  suite: string;
  /** Registry ids of the models the dimension needs (empty for model-free dimensions). */
  models: string[];
  /**
   * What changes the numbers (parameter values, inputs such as a class list's hash, a revision):
   * it enters every record's key and the run.json resume comparison. Descriptions go to `notes`.
   */
  settings: Record<string, unknown>;
  /**
   * Descriptions (frames read, transform, official source, aggregation) and the values of
   * parameters that do not change numbers: recorded in run.json, never part of a record key or a
   * resume comparison, so rewording them re-scores nothing (core/define-dimension.ts).
   */
  notes?: Record<string, unknown>;
  /**
   * The settings object this dimension's records were keyed by before `settings` and `notes` were
   * split (prose included), for the same parameter values; absent for dimensions defined since.
   * Only for finding records (and accepting run.json files) written then: score-dimension.ts looks
   * records up under it when none is stored under `settings`.
   */
  previousSettings?: Record<string, unknown>;
  scoreSample(sample: SampleRef, ctx: DimensionContext<H>): Promise<SampleResult>;
  /**
   * Start cheap preparation for a sample that will be scored soon (e.g. probing the video file),
   * so that it overlaps the samples in flight. Must not throw; a failure surfaces when the
   * sample is scored.
   */
  prefetch?(sample: SampleRef): void;
  /** Dimension score from the successful records, as the official code aggregates (single process). */
  aggregate(records: readonly SampleRecord[]): number;
  /**
   * Per-sample values (`SampleRecord.value`) are this many times the unit of the dimension score
   * (absent: 1). imaging_quality: 100 (per-video MOS 0–100, score 0–1). Reports, intervals and the
   * gate divide per-sample values by it; records and official exports keep the official scale.
   */
  perSampleScale?: number;
}
