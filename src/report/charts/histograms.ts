import type { ChartConfiguration, ChartDataset } from 'chart.js';
import { samplesByDimension, type ReportAnalysis } from '../analysis.ts';
import { seriesColour } from './palette.ts';
import { CHART_FONT, renderChartPng } from './render-chart.ts';
import type { RenderedChart } from './score-charts.ts';

const SIZE = { width: 1200, height: 800 };
const BINS = 20;

export interface Histogram {
  /** Bin labels ("0.80–0.85", or "0"/"1" for pass/fail scores). */
  labels: string[];
  /** Per series: share of its samples in each bin (0..1). */
  shares: number[][];
}

/**
 * Histogram of per-sample scores over a common range for several runs. Scores that are all 0 or 1
 * (pass/fail, GenEval and several VBench dimensions) get two bins; others BINS equal bins between
 * the smallest and largest score seen (a bin includes its lower edge; the last also its upper edge).
 */
export function histogram(series: Float64Array[], bins = BINS): Histogram {
  const all: number[] = [];
  for (const s of series) for (const v of s) all.push(v);
  const binary = all.every((v) => v === 0 || v === 1);
  if (binary) {
    return {
      labels: ['0 (fail)', '1 (pass)'],
      shares: series.map((s) => {
        const ones = s.reduce((n, v) => n + v, 0);
        return s.length === 0 ? [0, 0] : [(s.length - ones) / s.length, ones / s.length];
      }),
    };
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of all) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const digits = Math.min(6, Math.max(0, Math.ceil(-Math.log10(width))) + 1);
  const labels = Array.from({ length: bins }, (_, k) => `${(lo + k * width).toFixed(digits)}–${(lo + (k + 1) * width).toFixed(digits)}`);
  const shares = series.map((s) => {
    const counts = new Array<number>(bins).fill(0);
    for (const v of s) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]! += 1;
    return counts.map((c) => (s.length === 0 ? 0 : c / s.length));
  });
  return { labels, shares };
}

/** One chart per dimension: the distribution of per-sample scores of each run. */
export function distributionCharts(a: ReportAnalysis): RenderedChart[] {
  const runs = a.entries.filter((e) => e.kind === 'run');
  const tables = runs.map((e) => samplesByDimension(e));
  const out: RenderedChart[] = [];
  for (const col of a.columns.filter((c) => c.kind === 'dimension')) {
    const present = runs.map((e, i) => ({ e, i, t: tables[i]![col.id] })).filter((x) => x.t !== undefined);
    if (present.length === 0) continue;
    const h = histogram(present.map((x) => x.t!.values));
    const datasets: ChartDataset<'bar'>[] = present.map((x, k) => ({
      label: `${x.e.label} (n = ${x.t!.values.length})`,
      data: h.shares[k]!.map((s) => s * 100),
      backgroundColor: seriesColour(a.entries.indexOf(x.e)),
      borderWidth: 0,
      barPercentage: 0.95,
      categoryPercentage: 0.9,
    }));
    const title = `${col.label}: per-sample scores`;
    const config: ChartConfiguration<'bar'> = {
      type: 'bar',
      data: { labels: h.labels, datasets },
      options: {
        plugins: {
          legend: { position: 'top', labels: { font: { size: 22, family: CHART_FONT }, boxWidth: 28 } },
          title: { display: true, text: title, font: { size: 28, weight: 'bold', family: CHART_FONT } },
        },
        scales: {
          x: { ticks: { font: { size: 18 }, maxRotation: 60, minRotation: h.labels.length > 2 ? 60 : 0, autoSkip: false }, grid: { display: false }, title: { display: true, text: 'Per-sample score', font: { size: 22 } } },
          y: { min: 0, ticks: { font: { size: 20 } }, title: { display: true, text: 'Samples (%)', font: { size: 22 } } },
        },
      },
    };
    out.push({
      file: `distribution-${col.id}.png`,
      title,
      alt: `Histogram of per-sample ${col.label} scores for ${present.map((x) => x.e.label).join(', ')}.`,
      ...SIZE,
      png: renderChartPng(config as ChartConfiguration, SIZE),
    });
  }
  return out;
}
