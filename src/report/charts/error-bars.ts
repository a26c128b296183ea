import type { Chart, Plugin } from 'chart.js';

/**
 * Whiskers for bar charts: a dataset may carry `intervals`, one [low, high] (in axis units) or null
 * per bar; they are drawn after the bars, centred on each bar, in dark grey.
 */
export interface WithIntervals {
  intervals?: ([number, number] | null)[];
}

export const errorBarsPlugin: Plugin = {
  id: 'genbenchErrorBars',
  afterDatasetsDraw(chart: Chart) {
    const { ctx } = chart;
    const y = chart.scales.y;
    if (!y) return;
    chart.data.datasets.forEach((ds, di) => {
      const intervals = (ds as WithIntervals).intervals;
      if (!intervals) return;
      const meta = chart.getDatasetMeta(di);
      if (meta.hidden) return;
      ctx.save();
      ctx.strokeStyle = '#333333';
      ctx.lineWidth = 2;
      meta.data.forEach((bar, i) => {
        const iv = intervals[i];
        if (!iv) return;
        const x = bar.x;
        const half = Math.max(3, Math.min(10, ((bar as unknown as { width: number }).width ?? 12) / 4));
        const top = y.getPixelForValue(iv[1]);
        const bottom = y.getPixelForValue(iv[0]);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
        ctx.moveTo(x - half, top);
        ctx.lineTo(x + half, top);
        ctx.moveTo(x - half, bottom);
        ctx.lineTo(x + half, bottom);
        ctx.stroke();
      });
      ctx.restore();
    });
  },
};
