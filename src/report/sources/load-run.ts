import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { GenbenchError } from '../../core/errors.ts';
import { readJson } from '../../core/json-file.ts';
import { RunDir } from '../../core/run-dir.ts';
import type { ScoresFile } from '../../core/scores-file.ts';
import { withCoverage } from '../../suites/coverage.ts';
import { getSuite } from '../../suites/registry.ts';
import { smokeReasons } from '../../runtime/smoke.ts';
import { layoutFor } from '../suites/layout-for.ts';
import type { ReportEntry } from './entry.ts';
import { readLatestRecords } from '../../core/records-store.ts';

/** Load a run directory as a report entry: provenance, scores and per-sample records. */
export function loadRunEntry(
  path: string,
  opts: { allowPartial: boolean; label?: string; /** Where warnings go (damaged record lines); default: stderr. */ warn?: (message: string) => void },
): ReportEntry {
  const warn = opts.warn ?? ((m: string) => process.stderr.write(`genbench: warning: ${m}\n`));
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
    const read = readLatestRecords(dir.recordsPath(dim));
    recordsByDim[dim] = read.records;
    // A report never writes into a run, so it cannot compact the file: it says what it left out.
    if (read.damaged > 0) {
      warn(`${dir.recordsPath(dim)}: ${read.damaged} damaged line(s) could not be read and are left out of the intervals and sample tables; re-run the run's evaluate command to compact the file and score those samples again`);
    }
  }
  const present = Object.fromEntries(Object.entries(records).filter(([, v]) => v !== null)) as Record<string, number>;
  // Smoke is decided from what the run stores (run.json's models, records' marks), not only from the
  // flag in scores.json, which an older genbench could lose; the row name carries the mark everywhere.
  const smoke = smokeReasons({ provenance, records: recordsByDim, smokeFlag: scores.smoke === true });
  const label = opts.label ?? runName(dir.root);
  return {
    kind: 'run',
    id: dir.root,
    label: smoke.length > 0 ? `${label} ${SMOKE_MARK}` : label,
    suite: scores.suite,
    dimensions: records,
    headline: withCoverage(getSuite(scores.suite).scores, layout.headline(present, opts.allowPartial), scores.dimensions),
    smoke: smoke.length > 0,
    ...(smoke.length > 0 ? { smokeReasons: smoke } : {}),
    run: { root: dir.root, provenance, scores, records: recordsByDim, dimensionScores: scores.dimensions },
  };
}

/** Appended to the name of a smoke run wherever it is printed (tables, charts, HTML, gate). */
export const SMOKE_MARK = '[SMOKE]';

/**
 * A run's name: the basename of its directory, resolved to an absolute real path first, so that
 * `.`, `./run/` or a symlink name the directory itself ("report ." is never titled ".").
 */
export function runName(path: string): string {
  const abs = resolve(path);
  let real = abs;
  try {
    real = realpathSync(abs);
  } catch {
    // a path that does not exist yet: its resolved name
  }
  const name = basename(real) || real;
  // A generic folder name ("run", "out", …) says nothing: name it with its parent ("nova-fp16/run").
  return GENERIC_NAMES.has(name.toLowerCase()) && basename(dirname(real)) ? `${basename(dirname(real))}/${name}` : name;
}

const GENERIC_NAMES = new Set(['run', 'runs', 'out', 'output', 'outputs', 'result', 'results', 'tmp', 'temp', 'report']);

/** Row labels: the run's name, or more of the path where two runs share a name. */
export function uniqueLabels(paths: string[]): string[] {
  const names = paths.map(runName);
  return names.map((n, i) => (names.filter((m) => m === n).length > 1 ? paths[i]!.replace(/\/+$/, '') : n));
}
