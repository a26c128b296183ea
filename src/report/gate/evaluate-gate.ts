import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { withCoverage } from '../../suites/coverage.ts';
import { getSuite } from '../../suites/registry.ts';
import { GenbenchError } from '../../core/errors.ts';
import { readJson } from '../../core/json-file.ts';
import type { ScoresFile } from '../../core/scores-file.ts';
import { samplesByDimension } from '../analysis.ts';
import { comparabilityConflicts, describeConflicts } from '../compare/comparability.ts';
import type { ReportEntry } from '../sources/entry.ts';
import { loadRunEntry, SMOKE_MARK } from '../sources/load-run.ts';
import type { SampleRecord } from '../../core/contracts.ts';
import { dimensionAggregate } from '../compare/dimension-aggregate.ts';
import { dimensionInterval, headlineIntervals, type BootstrapOptions, type Interval } from '../stats/bootstrap.ts';
import { pairedDimensionDifference, pairedHeadlineDifferences, type PairedDifference } from '../stats/paired-bootstrap.ts';
import { dimensionColumn, layoutFor, orderDimensions } from '../suites/layout-for.ts';
import type { SuiteLayout } from '../../core/suite-contract.ts';
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
  /** Compare on the samples both runs scored when their sample sets differ (both sides recomputed on them). */
  allowSubset?: boolean;
  /** Compare two smoke runs (fixture models); a smoke run is never compared with a real one. */
  allowSmoke?: boolean;
}

/** How the scored samples of one dimension differ between the runs. */
export interface SampleSetDifference {
  dimension: string;
  /** Baseline samples the candidate did not score (first few), and how many. */
  missing: string[];
  missingCount: number;
  /** Candidate samples the baseline did not score (first few), and how many. */
  extra: string[];
  extraCount: number;
  shared: number;
  baseline: number;
  candidate: number;
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
  /** Which side is a smoke run (fixture models): its numbers are not real scores. */
  smoke: { baseline: boolean; candidate: boolean };
  /** Dimensions whose scored samples differ (exit 2 unless --allow-subset). */
  sampleDifferences: SampleSetDifference[];
  /** True when the table compares both runs on their shared samples only (--allow-subset). */
  subset: boolean;
}

/** Samples named in messages per side and dimension. */
const NAMED = 5;

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
  const label = scores.smoke === true ? `${basename(path)} ${SMOKE_MARK}` : basename(path);
  const headline = withCoverage(getSuite(scores.suite).scores, layout.headline(present, allowPartial), scores.dimensions);
  return { kind: 'run', id: path, label, suite: scores.suite, dimensions: dims, headline, smoke: scores.smoke === true, counts: scores.dimensions };
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
export async function evaluateGate(o: GateOptions): Promise<GateResult> {
  let base = loadBaseline(o.baseline, o.allowPartial);
  let cand = loadRunEntry(o.candidate, { allowPartial: o.allowPartial });
  const notes: string[] = [];
  const conflicts: string[] = [];
  let sampleDifferences: SampleSetDifference[] = [];
  let subset = false;
  const smoke = { baseline: base.smoke, candidate: cand.smoke };
  const result = (exitCode: 0 | 1 | 2, rows: GateRow[]): GateResult => ({
    exitCode,
    baselineLabel: base.label,
    candidateLabel: cand.label,
    suite: cand.suite,
    conflicts,
    notes,
    rows,
    smoke,
    sampleDifferences,
    subset,
  });
  if (base.suite !== cand.suite) conflicts.push(`suite: ${base.label} ${base.suite} vs ${cand.label} ${cand.suite}`);
  else if (base.run && cand.run) {
    conflicts.push(...describeConflicts(comparabilityConflicts(base.run.provenance, cand.run.provenance), base.label, cand.label));
  } else notes.push('The baseline is a scores file without run.json: prompt set, model hashes and settings could not be checked.');
  // A smoke run's numbers come from random-weight fixtures: never gated against real scores, and
  // smoke against smoke (a pipeline check) only when asked, marked SMOKE.
  if (smoke.baseline !== smoke.candidate) {
    const which = smoke.baseline ? base : cand;
    conflicts.push(`smoke run: ${which.label} was scored with fixture models (random weights)${which.smokeReasons?.length ? ` — ${which.smokeReasons.join('; ')}` : ''}; the other run was not`);
  } else if (smoke.baseline && !o.allowSmoke) {
    conflicts.push(`smoke runs: both ${base.label} and ${cand.label} were scored with fixture models (random weights); pass --allow-smoke to gate them as a pipeline check`);
  }
  if (conflicts.length > 0) return result(2, []);

  // The same samples on both sides, or (--allow-subset) both sides recomputed on the shared ones.
  const sets = compareSampleSets(base, cand);
  sampleDifferences = sets.differences;
  if (sets.unchecked.length > 0) {
    conflicts.push(...sets.unchecked);
    return result(2, []);
  }
  if (!base.run && sampleDifferences.length === 0) notes.push('Sample identities could not be checked (the baseline has no records); the sample counts agree.');
  if (sampleDifferences.length > 0) {
    const empty = sampleDifferences.filter((d) => d.shared === 0);
    if (!o.allowSubset || empty.length > 0) {
      conflicts.push(...sampleDifferences.map((d) => describeSampleDifference(d, base.label, cand.label)));
      if (o.allowSubset) conflicts.push(`no sample in common for ${empty.map((d) => d.dimension).join(', ')}: there is nothing to compare`);
      return result(2, []);
    }
    const restricted = await restrictToShared(base, cand, sets.shared, o.allowPartial);
    if (typeof restricted === 'string') {
      conflicts.push(restricted);
      return result(2, []);
    }
    [base, cand] = restricted;
    subset = true;
    for (const d of sampleDifferences) {
      notes.push(`--allow-subset: ${d.dimension} compared on the ${d.shared} sample(s) both runs scored (baseline ${d.baseline}, candidate ${d.candidate}); both scores in the table are recomputed on them.`);
    }
  }

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

/** Identity of a scored sample: its prompt and its id within the run (file name, NNNNN/samples/NNNN.png). */
function sampleKey(r: SampleRecord): string {
  return `${r.prompt}\u0000${r.sample}`;
}

function scoredKeys(records: readonly SampleRecord[]): Map<string, SampleRecord> {
  return new Map(records.filter((r) => r.ok).map((r) => [sampleKey(r), r]));
}

/**
 * Per dimension both runs scored: which scored samples only one side has. Without the baseline's
 * records (a lone scores.json) only the counts can be compared; a mismatch there is `unchecked`.
 */
export function compareSampleSets(
  base: ReportEntry,
  cand: ReportEntry,
): { differences: SampleSetDifference[]; shared: Record<string, Set<string>>; unchecked: string[] } {
  const differences: SampleSetDifference[] = [];
  const shared: Record<string, Set<string>> = {};
  const unchecked: string[] = [];
  const dims = Object.keys(base.dimensions).filter((d) => d in cand.dimensions);
  if (!base.run || !cand.run) {
    const counts = base.counts;
    for (const d of dims) {
      const b = counts?.[d]?.samples;
      const c = cand.run?.dimensionScores[d]?.samples;
      if (b !== undefined && c !== undefined && b !== c) {
        unchecked.push(`${d}: the baseline scored ${b} sample(s), the candidate ${c}; pass the baseline's run directory (with its records) to see which differ or to compare on the shared ones (--allow-subset)`);
      }
    }
    return { differences, shared, unchecked };
  }
  for (const d of dims) {
    const b = scoredKeys(base.run.records[d] ?? []);
    const c = scoredKeys(cand.run.records[d] ?? []);
    const both = new Set([...b.keys()].filter((k) => c.has(k)));
    shared[d] = both;
    const missing = [...b.keys()].filter((k) => !c.has(k));
    const extra = [...c.keys()].filter((k) => !b.has(k));
    if (missing.length === 0 && extra.length === 0) continue;
    const failedIn = (recs: readonly SampleRecord[] | undefined) => new Map((recs ?? []).filter((r) => !r.ok).map((r) => [sampleKey(r), r.error?.code ?? 'error']));
    const candFailed = failedIn(cand.run.records[d]);
    const baseFailed = failedIn(base.run.records[d]);
    const name = (k: string, failed: Map<string, string>) => {
      const id = k.slice(k.indexOf('\u0000') + 1);
      return failed.has(k) ? `${id} (${failed.get(k)})` : id;
    };
    const byName = (a: string, z: string) => (a < z ? -1 : a > z ? 1 : 0);
    differences.push({
      dimension: d,
      missing: missing.map((k) => name(k, candFailed)).sort(byName).slice(0, NAMED),
      missingCount: missing.length,
      extra: extra.map((k) => name(k, baseFailed)).sort(byName).slice(0, NAMED),
      extraCount: extra.length,
      shared: both.size,
      baseline: b.size,
      candidate: c.size,
    });
  }
  return { differences, shared, unchecked };
}

export function describeSampleDifference(d: SampleSetDifference, baseLabel: string, candLabel: string): string {
  const list = (names: string[], n: number) => `${names.join(', ')}${n > names.length ? `, … ${n - names.length} more` : ''}`;
  const parts: string[] = [];
  if (d.missingCount > 0) parts.push(`${d.missingCount} of ${baseLabel}'s ${d.baseline} scored sample(s) not scored in ${candLabel}: ${list(d.missing, d.missingCount)}`);
  if (d.extraCount > 0) parts.push(`${d.extraCount} of ${candLabel}'s ${d.candidate} scored sample(s) not in ${baseLabel}: ${list(d.extra, d.extraCount)}`);
  return `samples of ${d.dimension} differ (${d.shared} shared): ${parts.join('; ')}`;
}

/**
 * Both entries on their shared samples: each dimension's score recomputed with the dimension's own
 * aggregate over the shared records, headline scores from those. A string says why it cannot be done.
 */
async function restrictToShared(
  base: ReportEntry,
  cand: ReportEntry,
  shared: Record<string, Set<string>>,
  allowPartial: boolean,
): Promise<[ReportEntry, ReportEntry] | string> {
  const layout = layoutFor(cand.suite);
  const aggregates: Record<string, (r: readonly SampleRecord[]) => number> = {};
  for (const d of Object.keys(shared)) {
    const agg = await dimensionAggregate(cand.suite, d);
    if (!agg) return `${d}: no aggregate is known for this dimension, so it cannot be recomputed on the shared samples`;
    aggregates[d] = agg;
  }
  const restrict = (e: ReportEntry): ReportEntry => {
    const run = e.run!;
    const records: Record<string, SampleRecord[]> = { ...run.records };
    const dimensions = { ...e.dimensions };
    for (const [d, keep] of Object.entries(shared)) {
      records[d] = (run.records[d] ?? []).filter((r) => r.ok && keep.has(sampleKey(r)));
      dimensions[d] = records[d]!.length > 0 ? aggregates[d]!(records[d]!) : null;
    }
    const present = Object.fromEntries(Object.entries(dimensions).filter(([, v]) => v != null)) as Record<string, number>;
    return { ...e, dimensions, headline: layout.headline(present, allowPartial), run: { ...run, records } };
  };
  return [restrict(base), restrict(cand)];
}
