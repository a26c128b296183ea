import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { ReportAnalysis } from '../analysis.ts';
import type { ReportEntry } from '../sources/entry.ts';
import { errorBarsPlugin, type WithIntervals } from './error-bars.ts';
import { seriesColour, withAlpha } from './palette.ts';
import { CHART_FONT, renderChartPng } from './render-chart.ts';

export interface RenderedChart {
  /** File name under charts/. */
  file: string;
  title: string;
  /** Text alternative for the HTML report. */
  alt: string;
  width: number;
  height: number;
  png: Buffer;
}

/** Sizes and fonts for a figure printed across a two-column paper page (≈ 7 in wide at 250+ dpi). */
const WIDE = { width: 2000, height: 1000 };
const SQUARE = { width: 1500, height: 1400 };
const FONT = { tick: 26, legend: 28, title: 34, axis: 28 };

function seriesName(e: ReportEntry): string {
  return e.kind === 'published' ? `${e.label} (published)` : e.label;
}

function axisScale(a: ReportAnalysis): { factor: number; max: number; title: string } {
  return a.layout.display.scale === 'percent' ? { factor: 100, max: 100, title: 'Score (%)' } : { factor: 1, max: 1, title: 'Score (fraction correct)' };
}

function legendAndTitle(title: string, subtitle?: string) {
  return {
    subtitle: { display: subtitle !== undefined, text: subtitle ?? '', font: { size: FONT.legend, family: CHART_FONT }, color: '#555555', padding: { bottom: 8 } },
    legend: { position: 'top' as const, labels: { font: { size: FONT.legend, family: CHART_FONT }, boxWidth: 36, padding: 24 } },
    title: { display: true, text: title, font: { size: FONT.title, family: CHART_FONT, weight: 'bold' as const }, padding: { top: 10, bottom: 16 } },
  };
}

/**
 * Grouped bars: one group per score (headline scores first, then dimensions in the papers' order),
 * one bar per run or published model, with the bootstrap interval as a whisker on measured bars.
 * VBench: "vbench-dimensions.png"; GenEval: "geneval-tasks.png".
 */
export function scoreBarsChart(a: ReportAnalysis): RenderedChart | null {
  const cols = a.columns.filter((c) => a.entries.some((e) => (c.kind === 'headline' ? e.headline[c.id]?.value != null : e.dimensions[c.id] != null)));
  if (cols.length === 0) return null;
  const { factor, max, title: yTitle } = axisScale(a);
  const datasets: ChartDataset<'bar'>[] = a.entries.map((e, i) => {
    const colour = seriesColour(i);
    const published = e.kind === 'published';
    const values = cols.map((c) => {
      const v = c.kind === 'headline' ? (e.headline[c.id]?.value ?? null) : (e.dimensions[c.id] ?? null);
      return v === null ? null : v * factor;
    });
    const intervals = cols.map((c) => {
      const iv = a.intervals[e.id]?.[c.id];
      return iv ? ([iv.low * factor, iv.high * factor] as [number, number]) : null;
    });
    const ds: ChartDataset<'bar'> & WithIntervals = {
      label: seriesName(e),
      data: values as number[],
      backgroundColor: published ? withAlpha(colour, 0.25) : colour,
      borderColor: colour,
      borderWidth: published ? 3 : 0,
      borderDash: published ? [8, 5] : [],
      intervals,
    } as ChartDataset<'bar'> & WithIntervals;
    return ds;
  });
  const title = `${a.layout.title}: scores per ${a.layout.dimensionNoun}`;
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: { labels: cols.map((c) => c.short), datasets },
    options: {
      plugins: legendAndTitle(title, a.title),
      scales: {
        x: { ticks: { font: { size: FONT.tick }, maxRotation: 45, minRotation: cols.length > 8 ? 45 : 0, autoSkip: false }, grid: { display: false } },
        y: { min: 0, max, ticks: { font: { size: FONT.tick } }, title: { display: true, text: yTitle, font: { size: FONT.axis } } },
      },
    },
  };
  const file = `${a.layout.suite}-${a.layout.dimensionNoun}s.png`;
  const size = cols.length > 8 ? WIDE : { width: 1600, height: 1000 };
  return {
    file,
    title,
    alt: `${title}. Series: ${a.entries.map(seriesName).join(', ')}.`,
    ...size,
    png: renderChartPng(config as ChartConfiguration, size, [errorBarsPlugin]),
  };
}

/**
 * VBench radar over the dimensions every plotted entry has, normalized as VBench normalizes them
 * ((score − min)/(max − min), without the weights). Needs at least three dimensions.
 */
export function radarChart(a: ReportAnalysis): RenderedChart | null {
  if (!a.layout.radar) return null;
  const dims = a.layout.dimensions.filter((d) => a.columns.some((c) => c.id === d.id));
  const plotted = a.entries.filter((e) => dims.every((d) => e.dimensions[d.id] != null));
  if (dims.length < 3 || plotted.length === 0) return null;
  const datasets: ChartDataset<'radar'>[] = plotted.map((e) => {
    const colour = seriesColour(a.entries.indexOf(e));
    const published = e.kind === 'published';
    return {
      label: seriesName(e),
      data: dims.map((d) => a.layout.normalized(d.id, e.dimensions[d.id]!)),
      borderColor: colour,
      backgroundColor: withAlpha(colour, 0.12),
      fill: plotted.length === 1,
      borderWidth: 4,
      borderDash: published ? [10, 6] : [],
      pointRadius: 5,
      pointBackgroundColor: colour,
    };
  });
  const title = 'VBench: normalized dimension scores';
  const config: ChartConfiguration<'radar'> = {
    type: 'radar',
    data: { labels: dims.map((d) => d.label), datasets },
    options: {
      layout: { padding: 24 },
      plugins: legendAndTitle(title, a.title),
      scales: {
        r: {
          min: 0,
          max: 1,
          ticks: { stepSize: 0.2, font: { size: 20 }, backdropColor: 'rgba(255,255,255,0.8)' },
          pointLabels: { font: { size: 25 } },
          grid: { color: '#cccccc' },
          angleLines: { color: '#cccccc' },
        },
      },
    },
  };
  return {
    file: 'vbench-radar.png',
    title,
    alt: `${title} (0 = VBench's minimum, 1 = its maximum for the dimension). Series: ${plotted.map(seriesName).join(', ')}.`,
    ...SQUARE,
    png: renderChartPng(config as ChartConfiguration, SQUARE),
  };
}
