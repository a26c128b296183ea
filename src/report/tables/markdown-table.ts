import type { ReportAnalysis } from '../analysis.ts';
import { deltaIntervalText, deltaText, deltaUnit, intervalText, scoreText } from '../format/score-text.ts';
import { MARK, plainCellText, sourceLines, tableNotes } from './notes.ts';
import type { ScoreTable, TableCell } from './score-table.ts';

function esc(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\*/g, '\\*').replace(/_/g, '\\_');
}

/** Markdown cell: **best**, <ins>second</ins> (GitHub renders <ins> underlined). */
export function markdownCell(c: TableCell): string {
  const t = plainCellText(c.status, c.text);
  if (c.rank === 'best') return `**${t}**`;
  if (c.rank === 'second') return `<ins>${t}</ins>`;
  return t;
}

function rowName(label: string, published: boolean): string {
  return published ? `${esc(label)} ${MARK.published}` : esc(label);
}

/** The comparison tables (one per panel), the per-run interval tables, the paired differences, notes and sources. */
export function markdownReport(a: ReportAnalysis, t: ScoreTable): string {
  const out: string[] = [`# ${esc(a.title)}`, ''];
  for (const w of a.warnings) out.push(`> **Warning:** ${esc(w)}`, '');
  for (const panel of a.layout.panels) {
    const cols = t.columns.filter((c) => panel.columns.includes(c.id));
    if (cols.length === 0) continue;
    if (a.layout.panels.length > 1) out.push(`## ${panel.title}`, '');
    out.push(`| Model | ${cols.map((c) => esc(c.label)).join(' | ')} |`);
    out.push(`|---|${cols.map(() => '---:').join('|')}|`);
    for (const r of t.rows) out.push(`| ${rowName(r.entry.label, r.entry.kind === 'published')} | ${cols.map((c) => markdownCell(r.cells[c.id]!)).join(' | ')} |`);
    out.push('');
  }
  // Columns the layout does not know (test or future dimensions).
  const extra = t.columns.filter((c) => !a.layout.panels.some((p) => p.columns.includes(c.id)));
  if (extra.length > 0) {
    out.push('## Other dimensions', '', `| Model | ${extra.map((c) => esc(c.label)).join(' | ')} |`, `|---|${extra.map(() => '---:').join('|')}|`);
    for (const r of t.rows) out.push(`| ${rowName(r.entry.label, r.entry.kind === 'published')} | ${extra.map((c) => markdownCell(r.cells[c.id]!)).join(' | ')} |`);
    out.push('');
  }
  out.push(...tableNotes(a, t).map((n) => `- ${esc(n)}`), '');
  if (a.bootstrap) {
    const pct = Math.round(a.bootstrap.confidence * 100);
    out.push(`## ${pct} % bootstrap intervals`, '');
    out.push(
      `Percentile intervals over prompts (${a.bootstrap.resamples} resamples, seed ${a.bootstrap.seed}; the samples of one prompt move together).`,
      '',
    );
    for (const r of t.rows.filter((x) => x.entry.kind === 'run')) {
      const ds = r.entry.run!.dimensionScores;
      out.push(`### ${esc(r.entry.label)}`, '', `| Score | Value | ${pct} % interval | Samples | Prompts | Errors |`, '|---|---:|---:|---:|---:|---:|');
      for (const c of t.columns) {
        const cell = r.cells[c.id]!;
        if (cell.status === 'missing') continue;
        const iv = cell.interval;
        const d = ds[c.id];
        out.push(
          `| ${esc(c.label)} | ${plainCellText(cell.status, cell.text)} | ${iv ? intervalText(a.layout, iv.low, iv.high) + (iv.approximate ? ' ≈' : '') : MARK.missing} | ${d ? `${d.samples}/${d.expected}` : ''} | ${iv ? iv.prompts : ''} | ${d ? d.errors : ''} |`,
        );
      }
      out.push('');
    }
    if (t.rows.some((r) => r.entry.kind === 'run' && Object.values(a.intervals[r.entry.id] ?? {}).some((iv) => iv?.approximate))) {
      out.push('- ≈ the dimension\'s official aggregate is not the plain per-sample mean; the interval is that of the per-sample mean.', '');
    }
  }
  for (const d of a.differences) {
    const ref = a.entries.find((e) => e.id === d.reference)!;
    const cand = a.entries.find((e) => e.id === d.candidate)!;
    const unit = deltaUnit(a.layout);
    out.push(`## ${esc(cand.label)} − ${esc(ref.label)}`, '');
    out.push(`Paired bootstrap over the prompts both runs scored${unit ? `; differences in ${unit}` : ''}. ▲/▼ marks a difference whose interval excludes 0.`, '');
    out.push(`| Score | Difference | ${Math.round(a.bootstrap!.confidence * 100)} % interval | Shared prompts | |`, '|---|---:|---:|---:|:---:|');
    for (const c of t.columns) {
      const p = d.cells[c.id];
      if (!p) continue;
      out.push(`| ${esc(c.label)} | ${deltaText(a.layout, p.delta)} | ${deltaIntervalText(a.layout, p.low, p.high)} | ${p.sharedPrompts} | ${p.significant ? (p.delta > 0 ? '▲' : '▼') : ''} |`);
    }
    out.push('');
  }
  const sources = sourceLines(t);
  if (sources.length > 0) out.push('## Sources of published numbers', '', ...sources.map((s) => `- ${MARK.published} ${s.replace(/\|/g, '\\|')}`), '');
  return out.join('\n');
}

/** Score of one cell for one-line summaries ("80.12"). */
export function summaryValue(a: ReportAnalysis, v: number | null): string {
  return v === null ? MARK.missing : scoreText(a.layout, v);
}
