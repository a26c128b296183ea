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
  for (const r of t.rows) {
    for (const c of t.columns) {
      const cell = r.cells[c.id]!;
      if (cell.status === 'refused' && a.allowPartial) {
        notes.push(`${MARK.refused} ${r.entry.label}, ${c.label}: not computed even with --allow-partial: no dimension of a group it needs was scored (missing ${cell.missing.join(', ')}).`);
      } else if (cell.status === 'refused') {
        notes.push(
          `${MARK.refused} ${r.entry.label}, ${c.label}: needs every dimension of its group; missing ${cell.missing.join(', ')}. Score them, or pass --allow-partial for a marked partial value.`,
        );
      } else if (cell.status === 'partial') {
        notes.push(
          `${MARK.partial} ${r.entry.label}, ${c.label}: PARTIAL, computed as the official script does with missing dimensions (${cell.missing.join(', ')}); not comparable to complete scores.`,
        );
      }
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
