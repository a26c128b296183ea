import type { ScoresFile } from '../core/scores-file.ts';
import { percent, scoreRows } from './score-rows.ts';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Markdown report of one run: a scores table (percent and raw) and notes. */
export function markdownReport(s: ScoresFile, title: string): string {
  const lines: string[] = [`# ${cell(title)}`, ''];
  if (s.smoke) lines.push('> **Smoke run**: fixture models with random weights. These numbers check the pipeline; they are not real scores.', '');
  lines.push(`Suite: ${s.suite} · mode: ${s.mode} · sample errors: ${s.errors}`, '');
  lines.push('| Dimension | Score (%) | Raw | Samples | Errors | Note |', '|---|---:|---:|---:|---:|---|');
  for (const r of scoreRows(s)) {
    const raw = r.score === null ? '—' : r.score.toFixed(6);
    const samples = r.samples === null ? '' : `${r.samples}/${r.expected}`;
    const label = r.kind === 'headline' ? `**${r.label}**` : r.label;
    lines.push(`| ${cell(label)} | ${percent(r.score)} | ${raw} | ${samples} | ${r.errors ?? ''} | ${cell(r.note)} |`);
  }
  lines.push('');
  return lines.join('\n');
}
