import type { Provenance } from '../../core/provenance.ts';
import type { DimensionScore, ScoresFile } from '../../core/scores-file.ts';
import type { SampleRecord } from '../../core/contracts.ts';
import type { HeadlineValue } from '../../core/suite-contract.ts';

/** Where a published number comes from. */
export interface BaselineSource {
  title: string;
  authors: string;
  venue: string;
  /** Which table of the source (and what it is). */
  table: string;
  url: string;
  /** Anything the reader needs to know (scale, rounding, settings). */
  note?: string;
}

/** A row of a comparison: a measured run or a published model's numbers. */
export interface ReportEntry {
  kind: 'run' | 'published';
  /** Unique within a report. */
  id: string;
  /** Row name in tables and legend name in charts. */
  label: string;
  suite: string;
  /** Dimension scores on the official 0..1 scale (null: present but not scored). */
  dimensions: Record<string, number | null>;
  /** Headline scores (runs: recomputed from the dimensions with the report's --allow-partial). */
  headline: Record<string, HeadlineValue>;
  /** Fixture-model smoke run (any record scored with a fixture model; runtime/smoke.ts). */
  smoke: boolean;
  /** Why it is a smoke run. */
  smokeReasons?: string[];
  run?: LoadedRun;
  /** Per-dimension counts of an entry without records (a lone scores.json baseline). */
  counts?: Record<string, DimensionScore>;
  published?: { source: BaselineSource; baselineId: string; modelId: string; decimals: number };
}

export interface LoadedRun {
  root: string;
  provenance: Provenance;
  scores: ScoresFile;
  /** Per dimension: the latest record of each sample, in file order. */
  records: Record<string, SampleRecord[]>;
  dimensionScores: Record<string, DimensionScore>;
}
