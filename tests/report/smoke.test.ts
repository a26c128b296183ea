import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunDir } from '../../src/core/run-dir.ts';
import { fixtureModelHashes } from '../../src/runtime/smoke.ts';
import { writeReport } from '../../src/report/build-report.ts';
import { combinedSha256 } from '../../src/runtime/models.ts';
import { builtinModelSpecs } from '../../src/runtime/registry.ts';
import '../../src/metrics/catalog.ts'; // registers the built-in models (the metric families' tables)
import { finalizeVbenchRun } from '../../src/suites/vbench/finalize.ts';
import type { Dimension, SampleRecord } from '../../src/core/contracts.ts';
import { baseProvenance } from './helpers/synthetic-runs.ts';

const FIXTURE_RAFT = builtinModelSpecs().find((s) => s.id === 'fixture-raft')!.files[0].sha256!;

test('every built-in fixture is known by the sha256 a loaded handle reports', () => {
  const known = fixtureModelHashes();
  for (const s of builtinModelSpecs().filter((x) => x.status === 'fixture')) {
    assert.equal(known.get(combinedSha256(s.files.map((f) => ({ name: f.name, sha256: f.sha256! })))), s.id);
  }
});

const rec = (dim: string, i: number, value: number | boolean, smoke?: boolean): SampleRecord => ({
  key: `${dim}${i}`,
  dimension: dim,
  sample: `v${i}.mp4`,
  path: `/x/v${i}.mp4`,
  prompt: `v${i}`,
  contentSha256: String(i),
  ok: true,
  value,
  at: '',
  ...(smoke ? { smoke: true } : {}),
});
const dim = (id: string, aggregate: Dimension['aggregate']): Dimension => ({ id, suite: 'vbench', models: [], settings: {}, scoreSample: () => Promise.reject(new Error('no')), aggregate });

test('re-running a model-free dimension into a run scored with --fixture-models keeps the smoke mark (scores.json and report)', async () => {
  const root = join(mkdtempSync(join(tmpdir(), 'gb-smoke-')), 'mixed');
  const run = new RunDir(root);
  // First command: dynamic_degree with --fixture-models (RAFT served by its fixture, records marked).
  run.open({ ...baseProvenance('vbench', 'custom', ['dynamic_degree']), models: { 'raft-things': { sha256: FIXTURE_RAFT } } });
  mkdirSync(join(root, 'records'), { recursive: true });
  const dd = [rec('dynamic_degree', 0, true, true), rec('dynamic_degree', 1, false, true)];
  writeFileSync(run.recordsPath('dynamic_degree'), dd.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const frac = (rs: readonly SampleRecord[]) => rs.filter((r) => r.value === true).length / rs.length;
  const first = finalizeVbenchRun({ run, mode: 'custom', scored: [{ dimension: dim('dynamic_degree', frac), records: dd, expected: 2 }], smoke: true });
  assert.equal(first.scores.smoke, true);
  // Second command: temporal_flickering alone, no --fixture-models (the model-free dimension).
  const tf = [rec('temporal_flickering', 0, 0.9), rec('temporal_flickering', 1, 0.95)];
  writeFileSync(run.recordsPath('temporal_flickering'), tf.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const mean = (rs: readonly SampleRecord[]) => rs.reduce((s, r) => s + (r.value as number), 0) / rs.length;
  const second = finalizeVbenchRun({ run, mode: 'custom', scored: [{ dimension: dim('temporal_flickering', mean), records: tf, expected: 2 }], smoke: false });
  assert.equal(second.scores.smoke, true);
  const stored = JSON.parse(readFileSync(run.scoresPath, 'utf8'));
  assert.equal(stored.smoke, true);
  assert.deepEqual(stored.smokeReasons, ['model raft-things is the fixture fixture-raft (random weights)', '2 dynamic_degree record(s) scored with fixture models']);

  // Even a scores.json that lost the mark (written by an older genbench) is reported as SMOKE.
  writeFileSync(run.scoresPath, JSON.stringify({ ...stored, smoke: false, smokeReasons: undefined }));
  const out = join(root, 'report');
  const { analysis } = await writeReport({ runs: [root], out, formats: ['md', 'csv', 'tex', 'html'], bootstrap: null, thumbnails: false });
  assert.ok(analysis.warnings.some((w) => w.startsWith('SMOKE RUN: mixed [SMOKE] is a smoke run')));
  assert.match(readFileSync(join(out, 'scores.md'), 'utf8'), /\| mixed \[SMOKE\] \|/);
  assert.match(readFileSync(join(out, 'scores.csv'), 'utf8'), /^mixed \[SMOKE\],run,/m);
  assert.match(readFileSync(join(out, 'scores.tex'), 'utf8'), /SMOKE: rows marked \[SMOKE\]/);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /<div class="smoke" role="alert"><strong>SMOKE RUN<\/strong>/);
  assert.match(html, /<title>VBench report: mixed \[SMOKE\]<\/title>/);
});
