import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { GenbenchError } from '../../core/errors.ts';
import { readJson } from '../../core/json-file.ts';
import { RunDir } from '../../core/run-dir.ts';
import type { ScoresFile } from '../../core/scores-file.ts';
import { layoutFor } from '../suites/layout-for.ts';
import type { ReportEntry } from './entry.ts';
import { readLatestRecords } from './read-records.ts';

/** Load a run directory as a report entry: provenance, scores and per-sample records. */
export function loadRunEntry(path: string, opts: { allowPartial: boolean; label?: string }): ReportEntry {
  const dir = new RunDir(path);
  if (!dir.exists()) {
    throw new GenbenchError('E_NOT_FOUND', `not a run directory (no run.json): ${dir.root}`, 'pass the --out directory of an evaluate or bench run');
  }
  if (!existsSync(dir.scoresPath)) {
    throw new GenbenchError('E_NOT_FOUND', `run has no scores.json yet: ${dir.root}`, 'finish the run (re-run its evaluate/bench command) before reporting');
  }
  const provenance = dir.readProvenance();
  const scores = readJson<ScoresFile>(dir.scoresPath, 'scores.json');
  if (scores.schema !== 1 || typeof scores.dimensions !== 'object') {
    throw new GenbenchError('E_INPUT', `scores.json of ${dir.root} has an unknown shape`, 'it was written by another genbench version; re-run the evaluation');
  }
  const layout = layoutFor(scores.suite);
  const records: ReportEntry['dimensions'] = {};
  const recordsByDim: Record<string, ReturnType<typeof readLatestRecords>['records']> = {};
  for (const [dim, d] of Object.entries(scores.dimensions)) {
    records[dim] = d.score;
    recordsByDim[dim] = readLatestRecords(dir.recordsPath(dim)).records;
  }
  const present = Object.fromEntries(Object.entries(records).filter(([, v]) => v !== null)) as Record<string, number>;
  return {
    kind: 'run',
    id: dir.root,
    label: opts.label ?? basename(dir.root),
    suite: scores.suite,
    dimensions: records,
    headline: layout.headline(present, opts.allowPartial),
    smoke: scores.smoke === true,
    run: { root: dir.root, provenance, scores, records: recordsByDim, dimensionScores: scores.dimensions },
  };
}

/** Row labels: the folder name, or more of the path where two runs share a folder name. */
export function uniqueLabels(paths: string[]): string[] {
  const names = paths.map((p) => basename(p.replace(/\/+$/, '')));
  return names.map((n, i) => (names.filter((m) => m === n).length > 1 ? paths[i]!.replace(/\/+$/, '') : n));
}
