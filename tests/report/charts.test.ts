import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { analyzeRuns, renderCharts } from '../../src/report/build-report.ts';
import { histogram } from '../../src/report/charts/histograms.ts';
import { OKABE_ITO } from '../../src/report/charts/palette.ts';
import { Prng } from '../../src/report/stats/prng.ts';
import { VBENCH_DIMENSIONS } from '../../src/suites/vbench/constants.ts';
import { promptEffectSamples, promptNames, writeSyntheticRun } from './helpers/synthetic-runs.ts';

function runs(): string[] {
  const w = mkdtempSync(join(tmpdir(), 'gb-charts-'));
  const rng = new Prng(2);
  const prompts = promptNames(12);
  return ['a', 'b'].map((name, k) =>
    writeSyntheticRun(join(w, name), {
      dimensions: Object.fromEntries(
        VBENCH_DIMENSIONS.map((d) => [d.id, promptEffectSamples({ prompts, perPrompt: 2, mu: d.min + (0.5 + 0.1 * k) * (d.max - d.min), promptSd: 0.03, noiseSd: 0.02, rng, clamp: [0, 1] })]),
      ),
    }),
  );
}

test('charts decode as PNGs of the announced size, and two renders give identical bytes', async () => {
  const paths = runs();
  const opts = { runs: paths, baselines: ['nova'], bootstrap: { resamples: 100, seed: 1, confidence: 0.95 } };
  const first = renderCharts(analyzeRuns(opts));
  const second = renderCharts(analyzeRuns(opts));
  const names = first.map((c) => c.file);
  assert.ok(names.includes('vbench-dimensions.png'));
  assert.ok(names.includes('vbench-radar.png'));
  assert.equal(names.filter((n) => n.startsWith('distribution-')).length, 16);
  assert.deepEqual(second.map((c) => c.file), names);
  for (const [i, c] of first.entries()) {
    const meta = await sharp(c.png).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, c.width, c.file);
    assert.equal(meta.height, c.height, c.file);
    assert.ok(Buffer.compare(c.png, second[i]!.png) === 0, `${c.file} differs between two renders`);
  }
});

test('the bar chart is drawn: white background, the first two palette colours as bars, text in dark ink', async () => {
  const [bars] = renderCharts(analyzeRuns({ runs: runs(), bootstrap: null }));
  const { data, info } = await sharp(bars!.png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const counts = new Map<string, number>();
  for (let i = 0; i < data.length; i += info.channels) {
    const hex = `#${[data[i]!, data[i + 1]!, data[i + 2]!].map((v) => v.toString(16).padStart(2, '0')).join('')}`.toUpperCase();
    counts.set(hex, (counts.get(hex) ?? 0) + 1);
  }
  const total = info.width * info.height;
  assert.ok((counts.get('#FFFFFF') ?? 0) / total > 0.4, 'mostly white background');
  for (const colour of OKABE_ITO.slice(0, 2)) assert.ok((counts.get(colour) ?? 0) > 2000, `bars in ${colour}`);
  assert.ok((counts.get('#222222') ?? 0) > 200, 'labels in #222222');
});

test('histogram: shares per bin over a common range; pass/fail scores get two bins', () => {
  const h = histogram([Float64Array.from([0, 0.25, 0.5, 1]), Float64Array.from([1, 1])], 4);
  assert.deepEqual(h.labels, ['0.00–0.25', '0.25–0.50', '0.50–0.75', '0.75–1.00']);
  assert.deepEqual(h.shares, [
    [0.25, 0.25, 0.25, 0.25],
    [0, 0, 0, 1],
  ]);
  const b = histogram([Float64Array.from([0, 1, 1, 1])]);
  assert.deepEqual(b.labels, ['0 (fail)', '1 (pass)']);
  assert.deepEqual(b.shares, [[0.25, 0.75]]);
});
