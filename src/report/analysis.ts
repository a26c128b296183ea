import { comparabilityConflicts, describeConflicts } from './compare/comparability.ts';
import type { ReportEntry } from './sources/entry.ts';
import { headlineIntervals, dimensionInterval, type BootstrapOptions, type Interval } from './stats/bootstrap.ts';
import { pairedDimensionDifference, pairedHeadlineDifferences, type PairedDifference } from './stats/paired-bootstrap.ts';
import { promptSamplesOf, sampleMean, type PromptSamples } from './stats/prompt-samples.ts';
import { layoutFor, orderDimensions } from './suites/layout-for.ts';
import type { ColumnSpec, SuiteLayout } from '../core/suite-contract.ts';
import { dimensionColumn } from './suites/layout-for.ts';

/** Everything the writers (tables, charts, HTML) need, computed once. */
export interface ReportAnalysis {
  layout: SuiteLayout;
  title: string;
  entries: ReportEntry[];
  /** Headline columns, then the dimension columns some entry has, in the papers' order. */
  columns: ColumnSpec[];
  /** Per run entry id: interval per column (absent when --no-ci or too few prompts). */
  intervals: Record<string, Record<string, Interval | null>>;
  /** Each later run against the first run, paired over shared prompts. */
  differences: { reference: string; candidate: string; cells: Record<string, PairedDifference | null> }[];
  /** Comparability problems between runs, one line each. */
  warnings: string[];
  allowPartial: boolean;
  bootstrap: BootstrapOptions | null;
}

/** Per-sample values of each scored dimension of a run, on the score's scale (the dimension's declared per-sample scale divided out). */
export function samplesByDimension(e: ReportEntry): Record<string, PromptSamples> {
  const out: Record<string, PromptSamples> = {};
  const layout = layoutFor(e.suite);
  for (const [dim, recs] of Object.entries(e.run?.records ?? {})) {
    if (e.dimensions[dim] == null) continue;
    const s = promptSamplesOf(recs, layout.perSampleScale(dim));
    if (s.values.length > 0) out[dim] = s;
  }
  return out;
}

function runIntervals(layout: SuiteLayout, e: ReportEntry, o: BootstrapOptions, allowPartial: boolean): Record<string, Interval | null> {
  const tables = samplesByDimension(e);
  const out: Record<string, Interval | null> = {};
  for (const [dim, t] of Object.entries(tables)) {
    const iv = dimensionInterval(t, o, `${e.label}/${dim}`);
    const official = e.dimensions[dim];
    if (iv && official != null && Math.abs(sampleMean(t) - official) > 1e-9 * Math.max(1, Math.abs(official))) iv.approximate = true;
    out[dim] = iv;
  }
  // Headline intervals only where the headline itself exists with these dimensions.
  const complete = Object.fromEntries(Object.entries(tables).filter(([d]) => layout.dimensions.some((c) => c.id === d)));
  const hl = headlineIntervals(layout, complete, o, e.label, allowPartial);
  for (const h of layout.headlines) out[h.id] = e.headline[h.id]?.value == null ? null : (hl[h.id] ?? null);
  return out;
}

export function analyze(o: {
  layout: SuiteLayout;
  title: string;
  entries: ReportEntry[];
  allowPartial: boolean;
  bootstrap: BootstrapOptions | null;
}): ReportAnalysis {
  const { layout, entries } = o;
  const dimIds = orderDimensions(
    layout,
    entries.flatMap((e) => Object.keys(e.dimensions)),
  );
  const columns = [...layout.headlines, ...dimIds.map((id) => dimensionColumn(layout, id))];
  const runs = entries.filter((e) => e.kind === 'run');
  const intervals: ReportAnalysis['intervals'] = {};
  const differences: ReportAnalysis['differences'] = [];
  if (o.bootstrap) {
    for (const e of runs) intervals[e.id] = runIntervals(layout, e, o.bootstrap, o.allowPartial);
    const ref = runs[0];
    if (ref) {
      const refTables = samplesByDimension(ref);
      for (const cand of runs.slice(1)) {
        const candTables = samplesByDimension(cand);
        const cells: Record<string, PairedDifference | null> = {};
        for (const dim of dimIds) {
          const a = refTables[dim];
          const b = candTables[dim];
          cells[dim] = a && b ? pairedDimensionDifference(a, b, o.bootstrap, `${ref.label}|${cand.label}/${dim}`) : null;
        }
        const known = (t: Record<string, PromptSamples>) => Object.fromEntries(Object.entries(t).filter(([d]) => layout.dimensions.some((c) => c.id === d)));
        const hl = pairedHeadlineDifferences(layout, known(refTables), known(candTables), o.bootstrap, `${ref.label}|${cand.label}`, o.allowPartial);
        for (const h of layout.headlines) {
          cells[h.id] = ref.headline[h.id]?.value == null || cand.headline[h.id]?.value == null ? null : (hl[h.id] ?? null);
        }
        differences.push({ reference: ref.id, candidate: cand.id, cells });
      }
    }
  }
  const warnings: string[] = [];
  const first = runs[0];
  for (const other of runs.slice(1)) {
    const c = comparabilityConflicts(first!.run!.provenance, other.run!.provenance);
    if (c.length > 0) warnings.push(`${first!.label} and ${other.label} are not comparable: ${describeConflicts(c, first!.label, other.label).join('; ')}`);
  }
  const suites = new Set(entries.map((e) => e.suite));
  if (suites.size > 1) warnings.push(`entries of different suites in one report: ${[...suites].join(', ')}`);
  for (const e of runs) {
    if (e.smoke) warnings.push(`SMOKE RUN: ${e.label} is a smoke run (fixture models with random weights: ${(e.smokeReasons ?? []).join('; ') || 'marked smoke'}): its numbers check the pipeline, they are not real scores`);
  }
  for (const e of runs) {
    const short = layout.headlines.filter((h) => e.headline[h.id]?.coverage && e.headline[h.id]?.value != null);
    if (short.length === 0) continue;
    const parts = short.map((h) => `${h.label} on ${e.headline[h.id]!.coverage!.samples} of ${e.headline[h.id]!.coverage!.expected} expected samples`);
    warnings.push(`${e.label}: PARTIAL: ${parts.join(', ')} (samples missing or failed)`);
  }
  return { layout, title: o.title, entries, columns, intervals, differences, warnings, allowPartial: o.allowPartial, bootstrap: o.bootstrap };
}
