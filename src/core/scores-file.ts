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
}

export interface ScoresFile {
  schema: 1;
  suite: string;
  mode: string;
  dimensions: Record<string, DimensionScore>;
  headline: Record<string, { value: number | null; missing: string[]; partial: boolean }>;
  errors: number;
  /** Fixture models give smoke scores, not real ones. */
  smoke: boolean;
}
