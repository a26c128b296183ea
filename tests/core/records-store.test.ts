import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordsStore } from '../../src/core/records-store.ts';
import { legacyRecordKey, recordKey } from '../../src/core/record-key.ts';
import type { SampleRecord } from '../../src/core/contracts.ts';

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

function storeWithWarnings(p: string, opts: { readOnly?: boolean } = {}): { store: RecordsStore; warnings: string[] } {
  const warnings: string[] = [];
  const store = new RecordsStore(p, { ...opts, warn: (m) => warnings.push(m) });
  return { store, warnings };
}

test('a torn last line (kill during a write) is dropped with a warning, the file compacted, and the next append starts a fresh line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-store-'));
  const p = join(dir, 'd.jsonl');
  const a = new RecordsStore(p);
  a.append(rec('k1'));
  a.close();
  const good = readFileSync(p, 'utf8');
  appendFileSync(p, '{"key":"k2","dimen');
  const { store: b, warnings } = storeWithWarnings(p);
  assert.equal(b.damagedLines, 1);
  assert.equal(b.records().length, 1);
  assert.equal(warnings.length, 1);
  assert.ok(warnings[0]!.includes(p) && /last line was cut short/.test(warnings[0]!), warnings[0]);
  assert.equal(readFileSync(p, 'utf8'), good, 'the torn line is gone from the file');
  b.append(rec('k3'));
  b.close();
  const lines = readFileSync(p, 'utf8').split('\n').filter(Boolean);
  assert.deepEqual(lines.map((l) => JSON.parse(l).key), ['k1', 'k3']);
  const { store: c, warnings: w2 } = storeWithWarnings(p);
  assert.deepEqual(c.records().map((r) => r.key), ['k1', 'k3']);
  assert.deepEqual(w2, [], 'a compacted file opens without warnings');
  c.close();
});

test('damaged lines inside the file are reported (file, count, line numbers) and compacted away, keeping every good record verbatim', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-store-'));
  const p = join(dir, 'records', 'd.jsonl');
  const a = new RecordsStore(p);
  a.append(rec('k1'));
  a.append(rec('k2', false));
  a.append(rec('k2', true, 5)); // a retried error: both lines are good records and both are kept
  a.close();
  const [l1, l2, l3] = readFileSync(p, 'utf8').split('\n');
  // Line 2 garbage, line 4 valid JSON but not a record, line 6 a record cut in the middle.
  writeFileSync(p, `${l1}\nnot json at all\n${l2}\n[1,2]\n${l3}\n{"key":"k9","sam\n`);
  const { store: b, warnings } = storeWithWarnings(p);
  assert.equal(b.damagedLines, 3);
  assert.equal(warnings.length, 1);
  assert.ok(warnings[0]!.includes(p), 'names the file');
  assert.match(warnings[0]!, /3 line\(s\) could not be read \(line 2, 4, 6\)/);
  assert.match(warnings[0]!, /kept 3 good record line\(s\)/);
  assert.equal(readFileSync(p, 'utf8'), `${l1}\n${l2}\n${l3}\n`);
  assert.equal(b.get('k2')!.value, 5);
  b.close();
  assert.deepEqual(storeWithWarnings(p).warnings, []);
});

test('opened read-only (merge), damaged lines are reported but the file is left as it is', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-store-'));
  const p = join(dir, 'd.jsonl');
  writeFileSync(p, `${JSON.stringify(rec('k1'))}\ngarbage\n`);
  const before = readFileSync(p, 'utf8');
  const { store, warnings } = storeWithWarnings(p, { readOnly: true });
  assert.equal(store.damagedLines, 1);
  assert.equal(warnings.length, 1);
  assert.equal(readFileSync(p, 'utf8'), before);
  assert.throws(() => store.append(rec('k2')), /read-only/);
});

test('the latest record of each sample is the one written last, whatever its key (a content changed back)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-store-'));
  const p = join(dir, 'd.jsonl');
  const a = new RecordsStore(p);
  const r = (key: string, sha: string): SampleRecord => ({ ...rec(key), sample: 'x.mp4', contentSha256: sha });
  a.append(r('ka', 'A'));
  a.append(r('kb', 'B'));
  a.append(r('ka', 'A'));
  a.close();
  const b = new RecordsStore(p);
  assert.equal(b.latestOf('x.mp4')!.contentSha256, 'A');
  assert.deepEqual(b.latestPerSample().map((x) => x.contentSha256), ['A']);
  // records() is per key, in first-seen order: it cannot tell which content came last.
  assert.deepEqual(b.records().map((x) => x.contentSha256), ['A', 'B']);
  b.close();
});

test('record keys change with the sample identity, content, model hashes and settings, and not with key order', () => {
  const identity = { sample: 'a.mp4', prompt: 'a', index: 0 };
  const base = { identity, contentSha256: 'a', dimension: 'd', modelHashes: { m: 'h1', n: 'h2' }, settings: { x: 1, y: 2 } };
  const k = recordKey(base);
  assert.equal(recordKey({ ...base, settings: { y: 2, x: 1 }, modelHashes: { n: 'h2', m: 'h1' } }), k);
  assert.notEqual(recordKey({ ...base, contentSha256: 'b' }), k);
  assert.notEqual(recordKey({ ...base, modelHashes: { m: 'h1', n: 'h3' } }), k);
  assert.notEqual(recordKey({ ...base, settings: { x: 1, y: 3 } }), k);
  assert.notEqual(recordKey({ ...base, dimension: 'e' }), k);
  // Same bytes, another sample: another key.
  assert.notEqual(recordKey({ ...base, identity: { ...identity, sample: 'b.mp4' } }), k);
  assert.notEqual(recordKey({ ...base, identity: { ...identity, prompt: 'b' } }), k);
  assert.notEqual(recordKey({ ...base, identity: { ...identity, index: 1 } }), k);
  assert.notEqual(recordKey({ ...base, identity: { ...identity, meta: { metadata: { tag: 'counting' } } } }), k);
  assert.notEqual(recordKey(base), legacyRecordKey(base), 'the new key never collides with the old one');
});
