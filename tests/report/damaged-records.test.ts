import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunDir } from '../../src/core/run-dir.ts';
import { loadRunEntry } from '../../src/report/sources/load-run.ts';
import { finalizeVbenchRun } from '../../src/suites/vbench/finalize.ts';
import type { Dimension, SampleRecord } from '../../src/core/contracts.ts';
import { baseProvenance } from './helpers/synthetic-runs.ts';

const rec = (i: number, value: number): SampleRecord => ({
  key: `tf${i}`,
  dimension: 'temporal_flickering',
  sample: `v${i}.mp4`,
  path: `/x/v${i}.mp4`,
  prompt: `v${i}`,
  contentSha256: String(i),
  ok: true,
  value,
  at: '',
});

test('report and gate read a run whose records file has a damaged line: they say so instead of silently leaving the sample out', () => {
  const root = join(mkdtempSync(join(tmpdir(), 'gb-damaged-')), 'run1');
  const run = new RunDir(root);
  run.open(baseProvenance('vbench', 'custom', ['temporal_flickering']));
  mkdirSync(join(root, 'records'), { recursive: true });
  const records = [rec(0, 0.9), rec(1, 0.95), rec(2, 0.97)];
  writeFileSync(run.recordsPath('temporal_flickering'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const mean = (rs: readonly SampleRecord[]) => rs.reduce((s, r) => s + (r.value as number), 0) / rs.length;
  const dim: Dimension = { id: 'temporal_flickering', suite: 'vbench', models: [], settings: {}, scoreSample: () => Promise.reject(new Error('no')), aggregate: mean };
  finalizeVbenchRun({ run, mode: 'custom', scored: [{ dimension: dim, records, expected: 3 }], smoke: false });

  const clean: string[] = [];
  loadRunEntry(root, { allowPartial: false, warn: (m) => clean.push(m) });
  assert.deepEqual(clean, []);

  appendFileSync(run.recordsPath('temporal_flickering'), 'garbage\n');
  const warnings: string[] = [];
  const entry = loadRunEntry(root, { allowPartial: false, warn: (m) => warnings.push(m) });
  assert.equal(entry.run?.records['temporal_flickering']?.length, 3);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /temporal_flickering\.jsonl/);
  assert.match(warnings[0]!, /1 damaged line/);
});
