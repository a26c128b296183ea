import { join } from 'node:path';
import { GenbenchError } from '../core/errors.ts';
import { analyze, type ReportAnalysis } from './analysis.ts';
import { distributionCharts } from './charts/histograms.ts';
import { radarChart, scoreBarsChart, type RenderedChart } from './charts/score-charts.ts';
import { htmlReport } from './html/html-report.ts';
import { selectBaselines } from './sources/baselines.ts';
import type { ReportEntry } from './sources/entry.ts';
import { loadRunEntry, uniqueLabels } from './sources/load-run.ts';
import { DEFAULT_BOOTSTRAP, type BootstrapOptions } from './stats/bootstrap.ts';
import { layoutFor } from './suites/layout-for.ts';
import { csvReport } from './tables/csv-table.ts';
import { latexReport } from './tables/latex-table.ts';
import { markdownReport } from './tables/markdown-table.ts';
import { buildScoreTable } from './tables/score-table.ts';
import { writeFileAtomic } from '../core/atomic-file.ts';

export type ReportFormat = 'md' | 'tex' | 'csv' | 'html' | 'png';
export const REPORT_FORMATS: readonly ReportFormat[] = ['md', 'tex', 'csv', 'html', 'png'];

export interface ReportOptions {
  runs: string[];
  /** Names for --baseline (file ids, aliases such as `nova`, model ids, `all`, or .json paths). */
  baselines?: string[];
  formats?: readonly ReportFormat[];
  out: string;
  allowPartial?: boolean;
  /** null: no intervals. */
  bootstrap?: BootstrapOptions | null;
  title?: string;
  /** Worst samples shown per dimension in the HTML drill-down. */
  worst?: number;
  /** Thumbnails of the worst samples in the HTML (default true). */
  thumbnails?: boolean;
}

export interface ReportResult {
  files: string[];
  analysis: ReportAnalysis;
}

/** Load the runs and baselines and analyse them (intervals, paired differences, comparability). */
export function analyzeRuns(o: Omit<ReportOptions, 'out' | 'formats'>): ReportAnalysis {
  if (o.runs.length === 0) throw new GenbenchError('E_USAGE', 'give at least one run directory');
  const allowPartial = o.allowPartial ?? false;
  const labels = uniqueLabels(o.runs);
  const runs = o.runs.map((p, i) => loadRunEntry(p, { allowPartial, label: labels[i] }));
  const suites = [...new Set(runs.map((r) => r.suite))];
  if (suites.length > 1) {
    throw new GenbenchError('E_USAGE', `runs of different suites cannot share a table: ${suites.join(', ')}`, 'report each suite separately');
  }
  const suite = suites[0]!;
  const published: ReportEntry[] = o.baselines?.length ? selectBaselines(o.baselines, suite) : [];
  const layout = layoutFor(suite);
  const title = o.title ?? (runs.length === 1 ? `${layout.title} report: ${runs[0]!.label}` : `${layout.title} comparison of ${runs.length} runs`);
  return analyze({ layout, title, entries: [...runs, ...published], allowPartial, bootstrap: o.bootstrap === undefined ? DEFAULT_BOOTSTRAP : o.bootstrap });
}

/** Render the charts a report shows (bars, VBench radar, per-dimension distributions). */
export function renderCharts(a: ReportAnalysis): RenderedChart[] {
  return [scoreBarsChart(a), radarChart(a), ...distributionCharts(a)].filter((c): c is RenderedChart => c !== null);
}

/** Write the report files: scores.md, scores.tex, scores.csv, report.html, charts/*.png. */
export async function writeReport(o: ReportOptions): Promise<ReportResult> {
  const formats = new Set(o.formats ?? REPORT_FORMATS);
  const a = analyzeRuns(o);
  const table = buildScoreTable(a);
  const files: string[] = [];
  if (formats.has('md')) files.push(writeFileAtomic(join(o.out, 'scores.md'), markdownReport(a, table)));
  if (formats.has('tex')) files.push(writeFileAtomic(join(o.out, 'scores.tex'), latexReport(a, table)));
  if (formats.has('csv')) files.push(writeFileAtomic(join(o.out, 'scores.csv'), csvReport(a, table)));
  const charts = formats.has('png') || formats.has('html') ? renderCharts(a) : [];
  if (formats.has('png')) for (const c of charts) files.push(writeFileAtomic(join(o.out, 'charts', c.file), c.png));
  if (formats.has('html')) {
    const html = await htmlReport(a, table, charts, { worst: o.worst ?? 5, thumbnails: o.thumbnails ?? true });
    files.push(writeFileAtomic(join(o.out, 'report.html'), html));
  }
  return { files, analysis: a };
}
