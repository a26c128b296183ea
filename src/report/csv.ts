import { stringify } from 'csv-stringify/sync';
import type { ScoresFile } from '../core/scores-file.ts';
import { scoreRows } from './score-rows.ts';

export const CSV_COLUMNS = ['id', 'label', 'kind', 'score', 'samples', 'expected', 'errors', 'note'] as const;

/** CSV of one run's scores (full precision; empty cells for missing values). */
export function csvReport(s: ScoresFile): string {
  const rows = scoreRows(s).map((r) => [
    r.id,
    r.label,
    r.kind,
    r.score === null ? '' : String(r.score),
    r.samples ?? '',
    r.expected ?? '',
    r.errors ?? '',
    r.note,
  ]);
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS] });
}
