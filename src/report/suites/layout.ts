/**
 * How a suite's scores are laid out in tables and charts: which columns, in which order, named as
 * the papers name them, how values are printed, and how headline scores follow from dimension scores.
 */

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

export interface SuiteLayout {
  suite: string;
  /** Human name for titles. */
  title: string;
  /** Dimension columns in the papers' order. */
  dimensions: ColumnSpec[];
  /** Headline columns, most important first. */
  headlines: ColumnSpec[];
  /** Tables are split into panels of columns (ids) so they fit a page. */
  panels: { title: string; columns: string[] }[];
  /** How a score (stored on the official 0..1 scale) is printed in tables: VBench 80.12, GenEval 0.75. */
  display: { scale: 'percent' | 'fraction'; decimals: number; unit: string };
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

export function columnsOf(layout: SuiteLayout): ColumnSpec[] {
  return [...layout.headlines, ...layout.dimensions];
}

export function columnOf(layout: SuiteLayout, id: string): ColumnSpec | undefined {
  return columnsOf(layout).find((c) => c.id === id);
}
