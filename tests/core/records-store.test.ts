import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordsStore } from '../../src/core/records-store.ts';
import { recordKey } from '../../src/core/record-key.ts';
import type { SampleRecord } from '../../src/suites/types.ts';

function rec(key: string, ok = true, value = 1): SampleRecord {
  return { key, dimension: 'd', sample: `${key}.mp4`, path: `/x/${key}.mp4`, prompt: key, contentSha256: 'c', ok, value, at: 't' };
}

test('records persist across reopen; a later record for a key replaces an earlier error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-store-'));
  const p = join(dir, 'records', 'd.jsonl');
  const a = new RecordsStore(p);
  a.append(rec('k1'));
  a.append(rec('k2', false));
  a.close();
  const b = new RecordsStore(p);
  assert.equal(b.hasOk('k1'), true);
  assert.equal(b.has('k2'), true);
  assert.equal(b.hasOk('k2'), false);
  b.append(rec('k2', true, 7));
  b.close();
  const c = new RecordsStore(p);
  assert.equal(c.get('k2')!.value, 7);
  assert.equal(c.records().length, 2);
  c.close();
});

test('a torn last line (kill during a write) is ignored, counted, and the next append starts a fresh line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-store-'));
  const p = join(dir, 'd.jsonl');
  const a = new RecordsStore(p);
  a.append(rec('k1'));
  a.close();
  appendFileSync(p, '{"key":"k2","dimen');
  const b = new RecordsStore(p);
  assert.equal(b.damagedLines, 1);
  assert.equal(b.records().length, 1);
  b.append(rec('k3'));
  b.close();
  const lines = readFileSync(p, 'utf8').split('\n').filter(Boolean);
  assert.equal(lines.length, 3);
  assert.equal(JSON.parse(lines[2]!).key, 'k3');
  const c = new RecordsStore(p);
  assert.deepEqual(c.records().map((r) => r.key), ['k1', 'k3']);
  c.close();
});

test('record keys change with content, model hashes and settings, and not with key order', () => {
  const base = { contentSha256: 'a', dimension: 'd', modelHashes: { m: 'h1', n: 'h2' }, settings: { x: 1, y: 2 } };
  const k = recordKey(base);
  assert.equal(recordKey({ ...base, settings: { y: 2, x: 1 }, modelHashes: { n: 'h2', m: 'h1' } }), k);
  assert.notEqual(recordKey({ ...base, contentSha256: 'b' }), k);
  assert.notEqual(recordKey({ ...base, modelHashes: { m: 'h1', n: 'h3' } }), k);
  assert.notEqual(recordKey({ ...base, settings: { x: 1, y: 3 } }), k);
  assert.notEqual(recordKey({ ...base, dimension: 'e' }), k);
});
