/**
 * What a benchmark suite (VBench, GenEval, …) declares, so that evaluate, bench, merge, report and
 * gate look the suite up by its id (src/suites/registry.ts) instead of branching on its name: the
 * samples it scores and how they are listed from the user's input, its dimensions, its `--options`,
 * how records become scores.json and the official exports, its report layout and how shards merge.
 *
 * The evaluation itself is the same for every suite (core/evaluate-run.ts):
 *   select dimensions → parse options → load prompts → create dimensions → list samples →
 *   load models → score (resumable records) → suite.scores.finalize → run.json finished.
 */
import type { Dimension, SampleRecord, SampleRef } from './contracts.ts';
import type { Progress } from './progress.ts';
import type { PromptSetInfo, Provenance } from './provenance.ts';
import type { RunDir } from './run-dir.ts';
import type { ScoredDimension } from './score-dimension.ts';
import type { ScoresFile } from './scores-file.ts';

/** What a suite's samples are: videos (`--videos`) or images (`--images`). */
export type SampleKind = 'video' | 'image';

/** The user's input as the suite's listing sees it. */
export interface SuiteInputRequest {
  /** The samples folder (`--videos` / `--images`). */
  path: string;
  /** One of the suite's modes. */
  mode: string;
  /** The selected dimensions (SuiteDimensions.select). */
  dimensionIds: readonly string[];
  /** `--prompts-dir`: the pinned prompt files offline. */
  promptsDir?: string;
  /** `--folder-prompts`: prompts taken from the sample folders, unchecked. */
  folderPrompts?: boolean;
  /** `--allow-partial`: missing samples are reported, not refused. */
  allowPartial?: boolean;
  progress: Progress;
  /** An input warning printed even with --quiet (nothing left out silently). */
  warn(message: string): void;
}

/** The samples of a run, as the suite lists them. */
export interface SuiteSamples {
  samples: SampleRef[];
  /** Each dimension's samples in the official order (default: all samples). */
  dimensionSamples?: Record<string, SampleRef[]>;
  /** Samples each dimension expects, found or not (coverage; default: its samples). */
  expectedByDimension?: Record<string, number>;
  /** The prompt set the samples follow (recorded in run.json). */
  promptSet?: PromptSetInfo;
}

export interface SuiteFinalizeRequest {
  run: RunDir;
  mode: string;
  scored: readonly ScoredDimension[];
  allowPartial?: boolean;
  smoke?: boolean;
}

/** What finalize wrote: scores.json and the suite's official exports. */
export interface SuiteFinalized {
  scores: ScoresFile;
  errorRecords: SampleRecord[];
  /** Paths of the official-format files written (VBench vbench_eval_results.json; GenEval results.jsonl, summary.txt). */
  exports: string[];
  /** What the official summary script prints, when the suite has one (GenEval's summary_scores.py). */
  summaryText?: string;
}

/** A finished evaluation, as the suite's run summary sees it. */
export interface SuiteEvaluation extends SuiteFinalized {
  root: string;
}

export interface SuiteDimensions<S, P> {
  /** Every dimension id the suite defines (implemented or not). */
  ids: readonly string[];
  /**
   * The dimensions a run scores: those requested (checked against the suite and the mode), else the
   * mode's defaults; `notes` are said once the input is known to be usable (dimensions not built yet).
   */
  select(requested: readonly string[] | undefined, mode: string): { ids: string[]; notes: string[] };
  /** Build the selected dimensions with the parsed options and the loaded prompts. */
  create(ids: readonly string[], settings: S, prompts: P): Promise<Dimension[]>;
  /** A dimension as merge and gate need it (its aggregate; it is never asked to score); null when unknown. */
  forAggregate(id: string): Promise<Dimension | null>;
}

export interface SuiteOptions<S> {
  /** `--options` help for this suite (after "NAME: "). */
  help: string;
  /** `--options k=v …` for the selected dimensions → the settings `dimensions.create` takes. */
  parse(pairs: readonly string[] | undefined, dimensionIds: readonly string[]): S;
}

export interface SuiteInput<P> {
  kind: SampleKind;
  /** Help of the input flag for this suite. */
  help: string;
  /** What to do when the input flag is missing. */
  missingHint: string;
  /** The pinned prompt files it reads, for `--prompts-dir`'s help. */
  promptFiles: string;
  /** Load what the dimensions and the listing need from the prompt suite (VBench standard: VBench_full_info.json). */
  loadPrompts(req: SuiteInputRequest): Promise<P>;
  /** List the samples from the user's folder (names, coverage, refusals, warnings). */
  list(req: SuiteInputRequest, prompts: P): Promise<SuiteSamples>;
}

export interface SuiteScores {
  /** Records → scores.json (dimension scores, headline scores with coverage) and the official exports. */
  finalize(o: SuiteFinalizeRequest): Promise<SuiteFinalized>;
  /** Dimensions a headline score is computed from (null: every dimension of the run). */
  headlineMembers(headline: string): readonly string[] | null;
}

export interface SuiteMerge {
  /** The dimension merge aggregates with (refuses an unknown one with the suite's message). */
  dimensionFor(id: string): Promise<Dimension>;
  /** Expected samples of a dimension when run.json has no expectation (older runs). */
  defaultExpected?(first: Provenance): number | undefined;
}

/** A benchmark suite. `S`: its parsed `--options`; `P`: what it loads from its prompt files. */
export interface Suite<S = unknown, P = unknown> {
  /** Id in run.json, scores.json and `--suite` (e.g. `vbench`). */
  id: string;
  /** Human name (e.g. `VBench`). */
  name: string;
  /** Modes, the default first (GenEval: standard only). */
  modes: readonly string[];
  input: SuiteInput<P>;
  dimensions: SuiteDimensions<S, P>;
  options: SuiteOptions<S>;
  scores: SuiteScores;
  /** The main official-format file, named in run summaries. */
  officialExport: { label: string; file: string };
  /** How its scores are laid out in reports and gates. */
  layout: SuiteLayout;
  merge: SuiteMerge;
  /** The suite's own summary after evaluate (else the generic per-dimension one). */
  evaluationSummary?(r: SuiteEvaluation): string;
}

// ---- report layout -----------------------------------------------------------------------------

export interface ColumnSpec {
  /** Dimension id (e.g. `subject_consistency`) or headline id (`total`). */
  id: string;
  /** Column header as the papers write it. */
  label: string;
  /** Short header for narrow places (charts' axes). */
  short: string;
  kind: 'dimension' | 'headline';
  /** Group shown above the column (VBench: Quality / Semantic). */
  group?: string;
}

export interface HeadlineValue {
  value: number | null;
  /** Dimensions that were missing when the value was computed. */
  missing: string[];
  /** True when computed with missing dimensions (only with allowPartial), or on fewer samples than expected (`coverage`). */
  partial: boolean;
  /** Samples scored / expected over the headline's dimensions, present when fewer were scored (suites/coverage.ts). */
  coverage?: { samples: number; expected: number };
}

/**
 * How a suite's scores are laid out in tables and charts: which columns, in which order, named as
 * the papers name them, how values are printed, and how headline scores follow from dimension scores.
 */
export interface SuiteLayout {
  suite: string;
  /** Human name for titles. */
  title: string;
  /** What a dimension is called in titles and chart file names (GenEval: task). */
  dimensionNoun: string;
  /** Dimension columns in the papers' order. */
  dimensions: ColumnSpec[];
  /** Headline columns, most important first. */
  headlines: ColumnSpec[];
  /** Tables are split into panels of columns (ids) so they fit a page. */
  panels: { title: string; columns: string[] }[];
  /** How a score (stored on the official 0..1 scale) is printed in tables: VBench 80.12, GenEval 0.75. */
  display: { scale: 'percent' | 'fraction'; decimals: number; unit: string };
  /** Whether the report draws a radar of `normalized` dimension scores (VBench). */
  radar: boolean;
  /** Headline scores from dimension scores (0..1); missing dimensions are absent from the record. */
  headline(scores: Record<string, number>, allowPartial: boolean): Record<string, HeadlineValue>;
  /** Dimension score mapped to 0..1 for the radar chart (VBench: its normalization, without weights). */
  normalized(id: string, score: number): number;
  /**
   * Per-sample values of a dimension are this many times its score's unit (declared with the
   * suite's dimensions; imaging_quality: 100). Divide a record's value by it before comparing it
   * with a score, an interval or another run.
   */
  perSampleScale(id: string): number;
}
