import { join } from 'node:path';
import { coverageText } from '../suites/coverage.ts';
import { findSuite } from '../suites/registry.ts';
import type { ScoresFile } from '../core/scores-file.ts';
import type { SampleRecord } from '../core/contracts.ts';

export function defaultRunDir(suite: string, mode: string): string {
  const t = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
  return join('results', `${suite}-${mode}-${t}`);
}

function fmt(v: number | null): string {
  return v === null ? '—' : v.toFixed(6);
}

/** Short human summary of a finished evaluation on stdout. */
export function printRunSummary(root: string, scores: ScoresFile, errors: readonly SampleRecord[]): void {
  const lines: string[] = [];
  if (scores.smoke) lines.push('SMOKE RUN: fixture models with random weights — these are not real scores.');
  lines.push(`run: ${root}`);
  for (const [id, d] of Object.entries(scores.dimensions)) {
    lines.push(`  ${id.padEnd(24)} ${fmt(d.score)}  (${d.samples}/${d.expected} samples${d.errors ? `, ${d.errors} errors` : ''})`);
  }
  for (const [name, h] of Object.entries(scores.headline)) {
    const list = h.missing.length > 3 ? `${h.missing.length} dimensions` : h.missing.join(', ');
    const short = h.coverage ? `computed on ${coverageText(h.coverage)}` : '';
    const note = h.value === null ? `not computed: ${list} missing` : h.partial ? `PARTIAL: ${[short, h.missing.length ? `${list} missing, counted as 0` : ''].filter(Boolean).join('; ')}` : '';
    lines.push(`  ${name.padEnd(24)} ${fmt(h.value)}${note ? `  (${note})` : ''}`);
  }
  if (errors.length > 0) {
    lines.push(`${errors.length} sample(s) failed (see records/*.jsonl):`);
    for (const r of errors.slice(0, 10)) lines.push(`  ${r.dimension} ${r.sample}: ${r.error?.message}`);
    if (errors.length > 10) lines.push(`  … and ${errors.length - 10} more`);
  }
  // The suite's official-format export (GenEval results.jsonl, VBench vbench_eval_results.json).
  const official = findSuite(scores.suite)?.officialExport;
  lines.push(`scores: ${join(root, 'scores.json')}${official ? ` · ${official.label}: ${join(root, official.file)}` : ''}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
