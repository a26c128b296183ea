import type { ReportAnalysis } from '../analysis.ts';
import { scoreText } from '../format/score-text.ts';
import type { ReportEntry } from '../sources/entry.ts';
import type { Interval } from '../stats/bootstrap.ts';
import type { ColumnSpec } from '../../core/suite-contract.ts';
import { rankColumn, type Rank } from './rank.ts';

/** One cell of the comparison table, ready to print in any format. */
export interface TableCell {
  value: number | null;
  /** The number as printed ("80.12"), or "" when there is none. */
  text: string;
  rank: Rank;
  /** Why there is no value, or why the value is marked. */
  status: 'ok' | 'missing' | 'not-scored' | 'partial' | 'refused';
  /** Dimensions that are missing (headline cells). */
  missing: string[];
  /** Headline cells computed on fewer samples than expected: scored / expected. */
  coverage?: { samples: number; expected: number };
  interval: Interval | null;
}

export interface TableRow {
  entry: ReportEntry;
  cells: Record<string, TableCell>;
}

export interface ScoreTable {
  columns: ColumnSpec[];
  rows: TableRow[];
}

function cellOf(a: ReportAnalysis, e: ReportEntry, col: ColumnSpec): TableCell {
  const interval = a.intervals[e.id]?.[col.id] ?? null;
  if (col.kind === 'headline') {
    const h = e.headline[col.id];
    if (!h || h.value === null) {
      const missing = h?.missing ?? [];
      return { value: null, text: '', rank: null, status: e.kind === 'run' && missing.length > 0 ? 'refused' : 'missing', missing, interval: null };
    }
    return { value: h.value, text: scoreText(a.layout, h.value), rank: null, status: h.partial ? 'partial' : 'ok', missing: h.missing, interval, ...(h.coverage ? { coverage: h.coverage } : {}) };
  }
  if (!(col.id in e.dimensions)) return { value: null, text: '', rank: null, status: 'missing', missing: [], interval: null };
  const v = e.dimensions[col.id];
  if (v === null || v === undefined) return { value: null, text: '', rank: null, status: 'not-scored', missing: [], interval: null };
  return { value: v, text: scoreText(a.layout, v), rank: null, status: 'ok', missing: [], interval };
}

/**
 * The comparison table: one row per entry (runs, then published baselines), one column per score.
 * Best and second-best are marked per column on the printed values (ties share the mark); partial
 * headline values are never ranked.
 */
export function buildScoreTable(a: ReportAnalysis): ScoreTable {
  const rows: TableRow[] = a.entries.map((e) => ({ entry: e, cells: Object.fromEntries(a.columns.map((c) => [c.id, cellOf(a, e, c)])) }));
  for (const col of a.columns) {
    const cells = rows.map((r) => r.cells[col.id]!);
    const ranks = rankColumn(cells.map((c) => (c.status === 'ok' ? c.text : null)));
    cells.forEach((c, i) => (c.rank = ranks[i]!));
  }
  return { columns: a.columns, rows };
}
