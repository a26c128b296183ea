import type { ReportAnalysis } from '../analysis.ts';
import type { ScoreTable } from './score-table.ts';

/** Marks shared by all table formats. */
export const MARK = {
  published: '†',
  partial: '‡',
  missing: '—',
  refused: 'n/a',
} as const;

/** Text of an unranked cell, with its mark: "80.12", "80.12‡", "—", "n/a". */
export function plainCellText(status: string, text: string): string {
  if (status === 'ok') return text;
  if (status === 'partial') return `${text}${MARK.partial}`;
  if (status === 'refused') return MARK.refused;
  return MARK.missing;
}

/** The notes under a table: what the marks mean, which headline scores were refused and why. */
export function tableNotes(a: ReportAnalysis, t: ScoreTable): string[] {
  const notes: string[] = [];
  const unit = a.layout.display.scale === 'percent' ? 'percentages' : 'fractions';
  notes.push(
    `Scores are ${unit} with ${a.layout.display.decimals} decimals, rounded as the papers' Python code rounds (exact value, ties to even); best in bold, second underlined, per column, compared as printed.`,
  );
  if (t.rows.some((r) => r.entry.kind === 'published')) {
    notes.push(`${MARK.published} published numbers, copied from the source listed below, not re-measured.`);
  }
  notes.push(`${MARK.missing} not measured.`);
  // One line per (score, missing set), naming the runs it applies to.
  const groups = new Map<string, { status: string; label: string; missing: string[]; coverage?: { samples: number; expected: number }; runs: string[] }>();
  for (const c of t.columns) {
    for (const r of t.rows) {
      const cell = r.cells[c.id]!;
      if (cell.status !== 'refused' && cell.status !== 'partial') continue;
      const cov = cell.coverage ? `${cell.coverage.samples}/${cell.coverage.expected}` : '';
      const key = `${cell.status}|${c.id}|${cell.missing.join(',')}|${cov}`;
      const g = groups.get(key) ?? { status: cell.status, label: c.label, missing: cell.missing, coverage: cell.coverage, runs: [] };
      g.runs.push(r.entry.label);
      groups.set(key, g);
    }
  }
  for (const g of groups.values()) {
    const who = `${g.label} (${g.runs.join(', ')})`;
    const missing = `missing ${g.missing.length}: ${g.missing.join(', ')}`;
    if (g.status === 'partial' && g.coverage) {
      const also = g.missing.length > 0 ? `; ${missing}, their raw scores set to 0 as the official script does` : '';
      notes.push(`${MARK.partial} ${who}: PARTIAL, computed on ${g.coverage.samples} of ${g.coverage.expected} expected samples${also}; not comparable to complete scores.`);
    } else if (g.status === 'partial') {
      notes.push(`${MARK.partial} ${who}: PARTIAL, computed as the official script does, with the missing dimensions' raw scores set to 0 (${missing}); not comparable to complete scores.`);
    } else if (a.allowPartial) {
      notes.push(`${MARK.refused} ${who}: not computed even with --allow-partial: no dimension of a group it needs was scored (${missing}).`);
    } else {
      notes.push(`${MARK.refused} ${who}: needs every dimension of its group (${missing}). Score them, or pass --allow-partial for a marked partial value.`);
    }
  }
  return notes;
}

/** One line per published source: "† Name: authors, title, venue; table; url". */
export function sourceLines(t: ScoreTable): string[] {
  return t.rows
    .filter((r) => r.entry.published)
    .map((r) => {
      const s = r.entry.published!.source;
      return `${r.entry.label}: ${s.authors}, "${s.title}", ${s.venue}; ${s.table}; ${s.url}${s.note ? ` — ${s.note}` : ''}`;
    });
}
