import { stringify } from 'csv-stringify/sync';
import type { ReportAnalysis } from '../analysis.ts';
import type { ScoreTable } from './score-table.ts';

/** One row per (model, score): tidy, so spreadsheets and pandas pivot it as they like. */
export const CSV_COLUMNS = [
  'model',
  'kind',
  'score_id',
  'score_label',
  'score_kind',
  'value',
  'printed',
  'rank',
  'status',
  'missing',
  'ci_low',
  'ci_high',
  'ci_prompts',
  'samples',
  'expected',
  'errors',
  'source',
] as const;

/**
 * Full-precision values (shortest round-tripping decimal of the float64), the printed value, the
 * best/second mark and the interval; empty cells where there is nothing.
 */
export function csvReport(_a: ReportAnalysis, t: ScoreTable): string {
  const rows: (string | number)[][] = [];
  for (const r of t.rows) {
    for (const c of t.columns) {
      const cell = r.cells[c.id]!;
      if (cell.status === 'missing') continue;
      const d = r.entry.run?.dimensionScores[c.id];
      const iv = cell.interval;
      rows.push([
        r.entry.label,
        r.entry.kind,
        c.id,
        c.label,
        c.kind,
        cell.value === null ? '' : String(cell.value),
        cell.text,
        cell.rank ?? '',
        cell.status,
        cell.missing.join(' '),
        iv ? String(iv.low) : '',
        iv ? String(iv.high) : '',
        iv ? iv.prompts : '',
        d ? d.samples : '',
        d ? d.expected : '',
        d ? d.errors : '',
        r.entry.published?.source.url ?? '',
      ]);
    }
  }
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS] });
}
