import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordsStore, readLatestRecords } from '../../src/core/records-store.ts';

const good = (sample: string, value: number | null) => JSON.stringify({ key: `k-${sample}`, dimension: 'temporal_flickering', sample, path: `/x/${sample}`, prompt: sample.replace(/-\d+\.mp4$/, ''), contentSha256: 'c', ok: true, value, at: '' });
const failed = JSON.stringify({ key: 'k-e', dimension: 'temporal_flickering', sample: 'e-0.mp4', path: '/x/e-0.mp4', prompt: 'e', contentSha256: 'c', ok: false, error: { code: 'E_INPUT', message: 'bad' }, at: '' });

test('a record line that is JSON but not a record (no ok, no value, a value that is not a score) is damaged for the store and for the report reader', () => {
  const bad = [
    JSON.stringify({ key: 'zzz', sample: 'a-0.mp4', dimension: 'temporal_flickering' }),
    JSON.stringify({ key: 'k-a', sample: 'a-0.mp4', ok: true }),
    JSON.stringify({ key: 'k-a', sample: 'a-0.mp4', ok: true, value: 'high' }),
    JSON.stringify({ key: 'k-a', sample: 'a-0.mp4', ok: 'yes', value: 1 }),
  ];
  const path = join(mkdtempSync(join(tmpdir(), 'gb-rec-')), 'temporal_flickering.jsonl');
  const lines = [good('a-0.mp4', 0.9), good('b-0.mp4', null), failed, ...bad];
  writeFileSync(path, lines.join('\n') + '\n');

  const read = readLatestRecords(path);
  assert.equal(read.damaged, bad.length);
  const a = read.records.find((r) => r.sample === 'a-0.mp4');
  assert.equal(a?.value, 0.9); // the good record, not a later non-record line
  assert.equal(read.records.length, 3);

  const warnings: string[] = [];
  const store = new RecordsStore(path, { warn: (m) => warnings.push(m) });
  assert.equal(store.damagedLines, bad.length);
  store.close();
  assert.equal(warnings.length, 1);
  assert.deepEqual(readFileSync(path, 'utf8').trim().split('\n'), lines.slice(0, 3));
});
