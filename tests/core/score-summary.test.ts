import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenbenchError } from '../../src/core/errors.ts';
import type { Progress } from '../../src/core/progress.ts';
import { RecordsStore } from '../../src/core/records-store.ts';
import { scoreDimension } from '../../src/core/score-dimension.ts';
import type { Dimension, SampleRef } from '../../src/core/contracts.ts';

test('the per-dimension summary does not count failed samples as scored (issue #14 item 19)', async () => {
  // 7 samples, 3 of which fail: 4 scored, 3 failed; on the rerun the 4 are reused and the 3 retried.
  const samples: SampleRef[] = Array.from({ length: 7 }, (_, i) => ({ id: `s${i}.mp4`, path: `/nowhere/s${i}.mp4`, prompt: `p${i}`, contentSha256: `${i}`.padStart(64, '0') }));
  const failing = new Set(['s1.mp4', 's4.mp4', 's6.mp4']);
  const dimension: Dimension = {
    id: 'toy',
    suite: 'vbench',
    models: [],
    settings: {},
    async scoreSample(s) {
      if (failing.has(s.id)) throw new GenbenchError('E_DECODE', `${s.id}: cannot be decoded`);
      return { value: 1 };
    },
    aggregate: () => 1,
  };
  const store = new RecordsStore(join(mkdtempSync(join(tmpdir(), 'gb-summary-')), 'toy.jsonl'));
  const summaries: string[] = [];
  const progress: Progress = { start() {}, tick() {}, log() {}, stop: (s) => s && summaries.push(s) };
  await scoreDimension({ dimension, samples, store, modelHashes: {}, ctx: { log() {}, device: 'cpu' } as never, progress });
  await scoreDimension({ dimension, samples, store, modelHashes: {}, ctx: { log() {}, device: 'cpu' } as never, progress });
  store.close();
  assert.deepEqual(summaries, ['toy: 4 scored, 3 failed, 0 reused', 'toy: 0 scored, 3 failed, 4 reused']);
});
