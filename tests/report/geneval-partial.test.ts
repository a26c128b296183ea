import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunDir } from '../../src/core/run-dir.ts';
import { writeReport } from '../../src/report/build-report.ts';
import { finalizeGenevalRun } from '../../src/suites/geneval/finalize.ts';
import { GENEVAL_TASK_IDS } from '../../src/suites/geneval/task-dimension.ts';
import type { Dimension, SampleRecord } from '../../src/core/contracts.ts';
import { baseProvenance } from './helpers/synthetic-runs.ts';

/**
 * A GenEval run of 12 images out of the benchmark's 2,212 (two per task, --allow-partial): every
 * task has a score, so the overall is computed (as the official script computes it, over what is
 * there), but it is not GenEval's number: it must say partial, with its coverage.
 */
const expected = [320, 396, 320, 376, 400, 400]; // per task, 2212 in all
const correct = [[true, true], [true, false], [false, false], [true, false], [false, true], [true, true]];

test('12 of 2,212 GenEval images under --allow-partial: "partial": true with the coverage, and a marked Overall in the report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-geneval-partial-'));
  const run = new RunDir(join(dir, 'twelve'));
  run.open(baseProvenance('geneval', 'standard', [...GENEVAL_TASK_IDS]));
  mkdirSync(join(run.root, 'records'), { recursive: true });
  const scored = GENEVAL_TASK_IDS.map((task, t) => {
    const dimension = {
      id: task,
      suite: 'geneval',
      models: [],
      settings: {},
      scoreSample: () => Promise.reject(new Error('not scored here')),
      aggregate: (rs: readonly SampleRecord[]) => rs.filter((r) => r.value === true).length / rs.length,
    } as Dimension;
    const records: SampleRecord[] = correct[t]!.map((ok, i) => {
      const rec: SampleRecord = {
        key: `${task}${i}`,
        dimension: task,
        sample: `${String(t).padStart(5, '0')}/samples/${String(i).padStart(4, '0')}.png`,
        path: '',
        prompt: `${t}:a prompt`,
        contentSha256: String(t * 2 + i),
        ok: true,
        value: ok,
        extra: { filename: `x/${t}/${i}.png`, tag: task, prompt: 'a prompt', reason: '', metadata: `{"tag": "${task}"}`, details: '{}' },
        at: '',
      };
      writeFileSync(run.recordsPath(task), `${JSON.stringify(rec)}\n`, { flag: 'a' });
      return rec;
    });
    return { dimension, records, expected: expected[t]! };
  });
  const { scores } = finalizeGenevalRun({ run, scored, allowPartial: true });
  const overall = scores.headline['overall']!;
  // The value is still the official mean over the six task accuracies.
  const accuracies = correct.map((c) => c.filter(Boolean).length / c.length);
  assert.ok(Math.abs(overall.value! - accuracies.reduce((a, b) => a + b, 0) / 6) < 1e-12);
  assert.equal(overall.partial, true);
  assert.deepEqual(overall.coverage, { samples: 12, expected: 2212 });
  assert.deepEqual(JSON.parse(readFileSync(run.scoresPath, 'utf8')).headline.overall.coverage, { samples: 12, expected: 2212 });

  const out = join(dir, 'report');
  const { analysis } = await writeReport({ runs: [run.root], out, formats: ['md', 'csv'], bootstrap: null });
  const md = readFileSync(join(out, 'scores.md'), 'utf8');
  assert.match(md, /\| twelve \| \d\.\d\d‡ \|/);
  assert.match(md, /‡ Overall \(twelve\): PARTIAL, computed on 12 of 2212 expected samples/);
  assert.ok(analysis.warnings.some((w) => /twelve: PARTIAL: Overall on 12 of 2212 expected samples/.test(w)));
  assert.match(readFileSync(join(out, 'scores.csv'), 'utf8'), /twelve,run,overall,Overall,headline,[^,]+,[^,]+,,partial,/);
});
