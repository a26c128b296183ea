import { basename, join } from 'node:path';
import { GenbenchError } from '../core/errors.ts';
import { readJson, writeFileAtomic } from '../core/json-file.ts';
import { RunDir } from '../core/run-dir.ts';
import type { ScoresFile } from '../core/scores-file.ts';
import { csvReport } from './csv.ts';
import { markdownReport } from './markdown.ts';

export type ReportFormat = 'md' | 'csv';
export const REPORT_FORMATS: readonly ReportFormat[] = ['md', 'csv'];

/** Write the report files of one run; returns their paths. */
export function writeRunReport(runPath: string, opts: { formats?: ReportFormat[]; out?: string } = {}): string[] {
  const run = new RunDir(runPath);
  if (!run.exists()) throw new GenbenchError('E_NOT_FOUND', `not a run directory (no run.json): ${run.root}`, 'pass the --out directory of an evaluate run');
  const scores = readJson<ScoresFile>(run.scoresPath, 'scores.json');
  const out = opts.out ?? run.reportDir;
  const written: string[] = [];
  for (const f of opts.formats ?? REPORT_FORMATS) {
    const path = join(out, `scores.${f}`);
    writeFileAtomic(path, f === 'md' ? markdownReport(scores, basename(run.root)) : csvReport(scores));
    written.push(path);
  }
  return written;
}
