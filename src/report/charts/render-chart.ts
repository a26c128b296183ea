import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type Plugin } from 'chart.js';
import { fileURLToPath } from 'node:url';

/**
 * Chart.js rendered to PNG in Node on @napi-rs/canvas. No animation, device pixel ratio 1, fonts
 * from files shipped with the package (never system fonts), white background: the same input gives
 * the same PNG bytes on every machine with the same package versions.
 */
export const CHART_FONT = 'GenbenchSans';

let ready = false;
function setup(): void {
  if (ready) return;
  const dir = new URL('../fonts/', import.meta.url);
  GlobalFonts.registerFromPath(fileURLToPath(new URL('DejaVuSansCondensed.ttf', dir)), CHART_FONT);
  GlobalFonts.registerFromPath(fileURLToPath(new URL('DejaVuSansCondensed-Bold.ttf', dir)), CHART_FONT);
  Chart.register(...registerables);
  Chart.defaults.font.family = CHART_FONT;
  Chart.defaults.color = '#222222';
  ready = true;
}

const whiteBackground: Plugin = {
  id: 'genbenchWhiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

export interface ChartSize {
  width: number;
  height: number;
}

/** Render a chart configuration to PNG bytes. */
export function renderChartPng(config: ChartConfiguration, size: ChartSize, plugins: Plugin[] = []): Buffer {
  setup();
  const canvas = createCanvas(size.width, size.height);
  const options = { ...(config.options ?? {}), responsive: false, animation: false as const, devicePixelRatio: 1 };
  const chart = new Chart(canvas as unknown as HTMLCanvasElement, {
    ...config,
    options,
    plugins: [whiteBackground, ...(config.plugins ?? []), ...plugins],
  } as ChartConfiguration);
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}
