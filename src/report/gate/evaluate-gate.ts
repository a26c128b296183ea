import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GenbenchError } from '../../core/errors.ts';
import { readJson } from '../../core/json-file.ts';
import type { ScoresFile } from '../../core/scores-file.ts';
import { samplesByDimension } from '../analysis.ts';
import { comparabilityConflicts, describeConflicts } from '../compare/comparability.ts';
import type { ReportEntry } from '../sources/entry.ts';
import { loadRunEntry } from '../sources/load-run.ts';
import { dimensionInterval, headlineIntervals, type BootstrapOptions, type Interval } from '../stats/bootstrap.ts';
import { pairedDimensionDifference, pairedHeadlineDifferences, type PairedDifference } from '../stats/paired-bootstrap.ts';
import { dimensionColumn, layoutFor, orderDimensions } from '../suites/layout-for.ts';
import type { SuiteLayout } from '../suites/layout.ts';
import { allowedDrop } from './thresholds.ts';

export interface GateOptions {
  /** Baseline run directory, or a scores.json file. */
  baseline: string;
  candidate: string;
  /** Allowed drops in percentage points per score id. */
  maxDrop: Record<string, number>;
  defaultMaxDrop: number;
  bootstrap: BootstrapOptions;
  allowPartial: boolean;
}

export type GateStatus = 'pass' | 'fail' | 'new' | 'info';

export interface GateRow {
  id: string;
  label: string;
  kind: 'dimension' | 'headline';
  baseline: number | null;
  candidate: number | null;
  /** candidate − baseline in percentage points. */
  change: number | null;
  /** Interval of the change in percentage points. */
  interval: [number, number] | null;
  /** How the interval was obtained. */
  method: 'paired' | 'candidate-interval' | 'none';
  significant: boolean;
  allowed: number;
  status: GateStatus;
  reason: string;
}

export interface GateResult {
  exitCode: 0 | 1 | 2;
  baselineLabel: string;
  candidateLabel: string;
  suite: string;
  conflicts: string[];
  notes: string[];
  rows: GateRow[];
}

const POINTS = 100;

/** The baseline: a run directory, a run's scores.json, or a standalone scores.json (no records: no pairing). */
function loadBaseline(path: string, allowPartial: boolean): ReportEntry {
  if (existsSync(path) && statSync(path).isDirectory()) return loadRunEntry(path, { allowPartial });
  if (!existsSync(path)) throw new GenbenchError('E_NOT_FOUND', `baseline not found: ${path}`, 'pass a run directory or a scores.json file');
  if (existsSync(join(dirname(path), 'run.json'))) return loadRunEntry(dirname(path), { allowPartial });
  const scores = readJson<ScoresFile>(path, 'baseline scores file');
  if (scores.schema !== 1 || typeof scores.dimensions !== 'object') {
    throw new GenbenchError('E_INPUT', `${path} is not a genbench scores.json`, 'pass the scores.json of a run, or the run directory');
  }
  const layout = layoutFor(scores.suite);
  const dims = Object.fromEntries(Object.entries(scores.dimensions).map(([k, d]) => [k, d.score]));
  const present = Object.fromEntries(Object.entries(dims).filter(([, v]) => v !== null)) as Record<string, number>;
  return { kind: 'run', id: path, label: basename(path), suite: scores.suite, dimensions: dims, headline: layout.headline(present, allowPartial), smoke: scores.smoke };
}

function valueOf(e: ReportEntry, id: string, kind: 'dimension' | 'headline'): number | null {
  return kind === 'headline' ? (e.headline[id]?.value ?? null) : (e.dimensions[id] ?? null);
}

function knownOnly<T>(layout: SuiteLayout, t: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(t).filter(([d]) => layout.dimensions.some((c) => c.id === d)));
}

/**
 * The regression gate. A score fails when it dropped by more than its allowed drop AND the drop is
 * significant: the paired-bootstrap interval of candidate − baseline lies entirely below 0 (without
 * the baseline's records: the baseline value lies above the candidate's own interval). Runs that do
 * not measure the same thing (suite, mode, prompt set, metric model hashes, dimension settings)
 * are not compared at all.
 */
export function evaluateGate(o: GateOptions): GateResult {
  const base = loadBaseline(o.baseline, o.allowPartial);
  const cand = loadRunEntry(o.candidate, { allowPartial: o.allowPartial });
  const notes: string[] = [];
  const conflicts: string[] = [];
  if (base.suite !== cand.suite) conflicts.push(`suite: ${base.label} ${base.suite} vs ${cand.label} ${cand.suite}`);
  else if (base.run && cand.run) {
    conflicts.push(...describeConflicts(comparabilityConflicts(base.run.provenance, cand.run.provenance), base.label, cand.label));
  } else notes.push('The baseline is a scores file without run.json: prompt set, model hashes and settings could not be checked.');
  const result = (exitCode: 0 | 1 | 2, rows: GateRow[]): GateResult => ({
    exitCode,
    baselineLabel: base.label,
    candidateLabel: cand.label,
    suite: cand.suite,
    conflicts,
    notes,
    rows,
  });
  if (conflicts.length > 0) return result(2, []);

  const layout = layoutFor(cand.suite);
  const knownIds = new Set([...layout.headlines.map((h) => h.id), ...layout.dimensions.map((d) => d.id), ...Object.keys(base.dimensions), ...Object.keys(cand.dimensions)]);
  const unknown = Object.keys(o.maxDrop).filter((k) => !knownIds.has(k));
  if (unknown.length > 0) {
    throw new GenbenchError('E_USAGE', `--max-drop names unknown ${cand.suite} scores: ${unknown.join(', ')}`, `use ${[...knownIds].join(', ')}`);
  }
  const baseTables = samplesByDimension(base);
  const candTables = samplesByDimension(cand);
  const paired = base.run !== undefined;
  if (!paired) notes.push('Significance uses the candidate\'s own bootstrap interval (the baseline has no per-sample records to pair with).');
  const dimIds = orderDimensions(layout, [...Object.keys(base.dimensions), ...Object.keys(cand.dimensions)]);
  const pairedHl = paired ? pairedHeadlineDifferences(layout, knownOnly(layout, baseTables), knownOnly(layout, candTables), o.bootstrap, 'gate', o.allowPartial) : {};
  const candHl: Record<string, Interval | null> = paired ? {} : headlineIntervals(layout, knownOnly(layout, candTables), o.bootstrap, 'gate', o.allowPartial);
  const rows: GateRow[] = [];
  const specs = [...layout.headlines, ...dimIds.map((id) => dimensionColumn(layout, id))];
  for (const col of specs) {
    const kind = col.kind;
    const b = valueOf(base, col.id, kind);
    const c = valueOf(cand, col.id, kind);
    const allowed = allowedDrop(col.id, o.maxDrop, o.defaultMaxDrop);
    const row: GateRow = { id: col.id, label: col.label, kind, baseline: b, candidate: c, change: null, interval: null, method: 'none', significant: false, allowed, status: 'pass', reason: '' };
    if (b === null && c === null) continue;
    if (b === null) {
      rows.push({ ...row, status: 'new', reason: 'not in the baseline' });
      continue;
    }
    if (c === null) {
      const inCandidate = kind === 'headline' || col.id in cand.dimensions;
      rows.push({
        ...row,
        status: 'fail',
        reason: kind === 'headline' ? `candidate has no ${col.label} (missing: ${cand.headline[col.id]?.missing.join(', ') || 'all'})` : inCandidate ? 'no sample scored in the candidate' : 'not scored in the candidate',
      });
      continue;
    }
    row.change = (c - b) * POINTS;
    let diff: PairedDifference | null | undefined;
    let own: Interval | null | undefined;
    if (paired) {
      diff = kind === 'headline' ? pairedHl[col.id] : baseTables[col.id] && candTables[col.id] ? pairedDimensionDifference(baseTables[col.id]!, candTables[col.id]!, o.bootstrap, `gate/${col.id}`) : null;
      if (diff) {
        row.interval = [diff.low * POINTS, diff.high * POINTS];
        row.method = 'paired';
        row.significant = diff.high < 0 || diff.low > 0;
      }
    } else {
      own = kind === 'headline' ? candHl[col.id] : candTables[col.id] ? dimensionInterval(candTables[col.id]!, o.bootstrap, `gate/${col.id}`) : null;
      if (own) {
        row.interval = [(own.low - b) * POINTS, (own.high - b) * POINTS];
        row.method = 'candidate-interval';
        row.significant = own.high < b || own.low > b;
      }
    }
    const drop = -row.change;
    if (drop > allowed && row.significant) {
      row.status = 'fail';
      row.reason = `dropped ${fmt(drop)} > allowed ${fmt(allowed)}, significant`;
    } else if (drop > allowed && row.method === 'none') {
      row.status = 'fail';
      row.reason = `dropped ${fmt(drop)} > allowed ${fmt(allowed)}; no interval (too few shared prompts), so the drop counts`;
    } else if (drop > allowed) {
      row.reason = `dropped ${fmt(drop)} > allowed ${fmt(allowed)} but not significant`;
    } else if (drop > 0 && row.significant) {
      row.reason = `significant drop of ${fmt(drop)} within allowed ${fmt(allowed)}`;
    } else if (drop < 0 && row.significant) {
      row.reason = `improved by ${fmt(-drop)}, significant`;
    } else {
      row.reason = drop > 0 ? `within allowed ${fmt(allowed)}` : 'no drop';
    }
    rows.push(row);
  }
  return result(rows.some((r) => r.status === 'fail') ? 1 : 0, rows);
}

function fmt(points: number): string {
  return points.toFixed(2);
}
