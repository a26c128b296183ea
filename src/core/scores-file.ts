/** Shape of RUN/scores.json: deterministic for the same records (no timings, sorted keys). */
export interface DimensionScore {
  /** Dimension score on the official scale (VBench 0..1), or null when no sample was scored. */
  score: number | null;
  /** Samples with a score. */
  samples: number;
  /** Samples with an error record (left out of the score, as the official code skips them). */
  errors: number;
  /** Samples expected (standard mode: from the prompt suite; custom mode: files found). */
  expected: number;
  /**
   * Present when the records' per-sample values are not on the score's scale: value ÷ this is on
   * it (imaging_quality: 100, per-video MOS 0–100 vs a 0–1 score). Declared with the dimension.
   */
  perSampleScale?: number;
}

export interface ScoresFile {
  schema: 1;
  suite: string;
  mode: string;
  dimensions: Record<string, DimensionScore>;
  /** Headline scores; `partial` also when their dimensions scored fewer samples than expected (`coverage`, suites/coverage.ts). */
  headline: Record<string, { value: number | null; missing: string[]; partial: boolean; coverage?: { samples: number; expected: number } }>;
  errors: number;
  /**
   * Fixture models give smoke scores, not real ones: true when any record of the run was scored
   * with a fixture, whichever command scored it (decided from the run's records and run.json, see
   * runtime/smoke.ts).
   */
  smoke: boolean;
  /** Why the run is a smoke run (present only then). */
  smokeReasons?: string[];
}
