import { pythonFixed } from '../../core/pycompat/format.ts';
import type { GateResult, GateRow } from './evaluate-gate.ts';

/** Percentage points with two decimals; a signed change uses a real minus sign. */
function pts(v: number | null, signed = false): string {
  if (v === null) return '—';
  const t = pythonFixed(v, 2);
  if (!signed) return t;
  return t.startsWith('-') ? `−${t.slice(1)}` : `+${t}`;
}

function score(v: number | null): string {
  return v === null ? '—' : pythonFixed(v * 100, 2);
}

function verdict(r: GateResult): string {
  if (r.exitCode === 2) return 'NOT COMPARABLE';
  const smoke = r.smoke.baseline || r.smoke.candidate ? ' (SMOKE)' : '';
  if (r.exitCode === 1) return `FAIL${smoke}`;
  return `PASS${smoke}`;
}

/** Printed above the table when either side is a smoke run (only reached with --allow-smoke). */
function smokeLine(r: GateResult): string | null {
  if (!r.smoke.baseline && !r.smoke.candidate) return null;
  return 'SMOKE: fixture models with random weights — this checks the pipeline, not the model; the scores are not real.';
}

function subsetLine(r: GateResult): string | null {
  return r.subset ? 'SUBSET: the runs scored different samples; both sides are compared on the samples both scored (--allow-subset), see the notes.' : null;
}

function conflictHint(r: GateResult): string {
  if (r.sampleDifferences.length > 0) {
    // Reached with --allow-subset only when some dimension shares no sample: passing it again would not help.
    if (r.conflicts.some((c) => c.startsWith('no sample in common'))) return 'Score the same prompts in both runs: --allow-subset compares only samples both runs scored, and for these dimensions there are none.';
    return 'Score the same samples in both runs, or pass --allow-subset to compare both on the samples both scored.';
  }
  if (r.conflicts.some((c) => c.startsWith('smoke run'))) return 'Gate real runs (metric models, not --fixture-models); two smoke runs may be gated with --allow-smoke.';
  return 'Compare runs of the same prompt set, metric models and settings (see run.json), or re-run the baseline.';
}

function headline(r: GateResult): string {
  const failed = r.rows.filter((x) => x.status === 'fail').length;
  if (r.exitCode === 2 && r.sampleDifferences.length > 0 && r.conflicts.every((c) => c.startsWith('samples of ') || c.startsWith('no sample in common'))) {
    return `gate ${verdict(r)}: ${r.baselineLabel} and ${r.candidateLabel} scored different samples`;
  }
  if (r.exitCode === 2) return `gate ${verdict(r)}: ${r.baselineLabel} and ${r.candidateLabel} do not measure the same thing`;
  if (r.exitCode === 1) return `gate ${verdict(r)}: ${failed} of ${r.rows.length} scores dropped beyond the allowed drop (${r.candidateLabel} vs ${r.baselineLabel})`;
  return `gate ${verdict(r)}: no score dropped significantly beyond its allowed drop (${r.candidateLabel} vs ${r.baselineLabel})`;
}

function cells(x: GateRow): string[] {
  return [
    x.label,
    score(x.baseline),
    score(x.candidate),
    pts(x.change, true),
    x.interval ? `[${pts(x.interval[0], true)}, ${pts(x.interval[1], true)}]` : '—',
    pts(x.allowed),
    `${x.status === 'fail' ? 'FAIL' : x.status === 'new' ? 'new' : 'ok'}: ${x.reason}`,
  ];
}

const HEAD = ['Score', 'Baseline', 'Candidate', 'Change', '95% interval', 'Max drop', 'Result'];

/** Plain-text table for the terminal and CI logs: failures first, then what moved, then the rest. */
export function gateText(r: GateResult): string {
  const lines = [headline(r)];
  if (r.conflicts.length > 0) {
    lines.push('', 'What differs:', ...r.conflicts.map((c) => `  - ${c}`), '', conflictHint(r));
    return `${lines.join('\n')}\n`;
  }
  for (const l of [smokeLine(r), subsetLine(r)]) if (l) lines.push(l);
  const ordered = [...r.rows].sort((a, b) => rankOf(a) - rankOf(b));
  const body = ordered.map(cells);
  const widths = HEAD.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const fmtRow = (row: string[]) => row.map((c, i) => (i === 0 || i === row.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  lines.push('', fmtRow(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(fmtRow));
  lines.push('', 'Scores in %, changes and drops in percentage points; intervals: paired bootstrap over shared prompts.', ...r.notes);
  return `${lines.join('\n')}\n`;
}

/** Markdown for a pull-request comment or $GITHUB_STEP_SUMMARY. */
export function gateMarkdown(r: GateResult): string {
  const lines = [`### ${headline(r)}`, ''];
  if (r.conflicts.length > 0) return `${[...lines, ...r.conflicts.map((c) => `- ${c}`), '', conflictHint(r)].join('\n')}\n`;
  for (const l of [smokeLine(r), subsetLine(r)]) if (l) lines.push(`**${l}**`, '');
  lines.push(`| ${HEAD.join(' | ')} |`, `|---|${HEAD.slice(1, -1).map(() => '---:').join('|')}|---|`);
  for (const x of [...r.rows].sort((a, b) => rankOf(a) - rankOf(b))) {
    const c = cells(x).map((s) => s.replace(/\|/g, '\\|'));
    if (x.status === 'fail') c[0] = `**${c[0]}**`;
    lines.push(`| ${c.join(' | ')} |`);
  }
  lines.push('', 'Scores in %, changes and drops in percentage points; intervals: paired bootstrap over shared prompts.', ...r.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

function rankOf(x: GateRow): number {
  if (x.status === 'fail') return 0;
  if (x.significant) return 1;
  if (x.kind === 'headline') return 2;
  return 3;
}
