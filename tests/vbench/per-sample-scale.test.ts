import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRuns } from '../../src/report/build-report.ts';
import { htmlReport } from '../../src/report/html/html-report.ts';
import { buildScoreTable } from '../../src/report/tables/score-table.ts';
import { evaluateGate } from '../../src/report/gate/evaluate-gate.ts';
import { VBENCH_LAYOUT } from '../../src/suites/vbench/report-layout.ts';
import { createVbenchDimension, implementedVbenchDimensions } from '../../src/suites/vbench/dimension-registry.ts';
import { imagingQualityAggregate } from '../../src/suites/vbench/imaging-quality.ts';
import type { SampleRecord } from '../../src/core/contracts.ts';
import { writeSyntheticRun, type SyntheticSample } from '../report/helpers/synthetic-runs.ts';

/**
 * imaging_quality's per-video values are MUSIQ MOS on 0–100 (VBench imaging_quality.py: video_results
 * = mean per-frame MOS, score = mean(video_results) / 100). The scale is declared with the dimension
 * and every per-sample consumer (intervals, worst samples, gate) divides it out.
 */

test('each implemented VBench dimension declares the per-sample scale the report uses; imaging_quality is 100', async () => {
  for (const id of implementedVbenchDimensions()) {
    const d = await createVbenchDimension(id);
    assert.equal(d.perSampleScale ?? 1, VBENCH_LAYOUT.perSampleScale(id), id);
  }
  assert.equal(VBENCH_LAYOUT.perSampleScale('imaging_quality'), 100);
  assert.equal(VBENCH_LAYOUT.perSampleScale('temporal_flickering'), 1);
  // The official aggregate is unchanged: mean of the per-video MOS / 100.
  const rec = (value: number): SampleRecord => ({ key: String(value), dimension: 'imaging_quality', sample: `${value}.mp4`, path: '', prompt: 'p', contentSha256: '', ok: true, value, at: '' });
  assert.equal(imagingQualityAggregate([rec(10), rec(30), rec(35)]), 25 / 100);
});

// 20 prompts × 2 videos, MOS between 14 and 26 (mean 20): the score is 0.20.
const mos = (shift: number): SyntheticSample[] =>
  Array.from({ length: 40 }, (_, i) => ({ prompt: `prompt ${String(i >> 1).padStart(2, '0')}`, index: i & 1, value: 20 + shift + ((i * 7) % 13) - 6 }));
const W = mkdtempSync(join(tmpdir(), 'gb-iq-scale-'));
const base = writeSyntheticRun(join(W, 'base'), { mode: 'custom', dimensions: { imaging_quality: mos(0) }, perSampleScale: { imaging_quality: 100 } });
const plus = writeSyntheticRun(join(W, 'plus'), { mode: 'custom', dimensions: { imaging_quality: mos(1) }, perSampleScale: { imaging_quality: 100 } });

test('report: the imaging_quality interval brackets its 0–1 score and is not flagged approximate', () => {
  const score = JSON.parse(readFileSync(join(base, 'scores.json'), 'utf8')).dimensions.imaging_quality.score as number;
  const values = mos(0).map((s) => s.value as number);
  assert.ok(Math.abs(score - values.reduce((a, b) => a + b, 0) / values.length / 100) < 1e-12);
  const a = analyzeRuns({ runs: [base], bootstrap: { resamples: 300, seed: 1, confidence: 0.95 } });
  const iv = a.intervals[a.entries[0]!.id]!['imaging_quality']!;
  assert.ok(iv.low < score && score < iv.high, `interval [${iv.low}, ${iv.high}] vs score ${score}`);
  assert.ok(iv.high - iv.low < 0.05, `interval [${iv.low}, ${iv.high}] is on the 0–1 scale`);
  assert.equal(iv.approximate, undefined);
});

test('HTML worst samples print per-video values on the score scale (MOS 14 → 14.000, not 1400)', async () => {
  const a = analyzeRuns({ runs: [base], bootstrap: null });
  const html = await htmlReport(a, buildScoreTable(a), [], { worst: 1, thumbnails: false, frameSource: null });
  const worst = html.slice(html.indexOf('id="worst"'));
  const min = Math.min(...mos(0).map((s) => s.value as number));
  assert.match(worst, new RegExp(`<td data-value="${min / 100}" title="${min}">${min.toFixed(3)}</td>`));
});

test('gate: one MOS point more is +1.00 point, with an interval on the same scale', async () => {
  const r = await evaluateGate({ baseline: base, candidate: plus, maxDrop: {}, defaultMaxDrop: 0.3, bootstrap: { resamples: 300, seed: 1, confidence: 0.95 }, allowPartial: false });
  const row = r.rows.find((x) => x.id === 'imaging_quality')!;
  assert.ok(Math.abs(row.change! - 1) < 1e-9, `change ${row.change}`);
  // Every video moved by exactly 1 MOS point, so every replicate's difference is 1 point.
  assert.ok(Math.abs(row.interval![0] - 1) < 1e-9 && Math.abs(row.interval![1] - 1) < 1e-9, `interval ${row.interval}`);
});
