/**
 * A record belongs to one sample (its name in the input, prompt, index) and its bytes: files with
 * identical bytes under different names are scored, stored, counted and exported as separate samples,
 * unsharded and through shard + merge; records written before keys covered the sample are still reused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { legacyRecordKey } from '../../src/core/record-key.ts';
import { shardOf } from '../../src/core/shard.ts';
import { mergeVbenchShards } from '../../src/suites/vbench/merge.ts';
import { byteMeanDimension } from '../helpers/byte-mean-dimension.ts';

const CHILD = fileURLToPath(new URL('../helpers/byte-mean-run.ts', import.meta.url));

function run(dir: string, out: string, calls: string, shard?: string): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD, dir, out, calls, '0', ...(shard ? [shard] : [])], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}
const json = (p: string) => JSON.parse(readFileSync(p, 'utf8'));
const lines = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8').split('\n').filter(Boolean) : []);
const mean = (b: number[]) => b.reduce((x, y) => x + y, 0) / b.length;

/**
 * Four copies of one file under four prompts (split over both shards of 2) and three other files.
 * Returns the folder and each file's bytes.
 */
function samples(): { dir: string; bytes: Map<string, number[]> } {
  const dir = mkdtempSync(join(tmpdir(), 'gb-ident-s-'));
  const prompts: string[] = [];
  for (let k = 0; prompts.length < 4; k++) {
    const p = `copy ${k}`;
    // Two copies on each shard of 2.
    if (prompts.filter((q) => shardOf(q, 2) === shardOf(p, 2)).length < 2) prompts.push(p);
  }
  const bytes = new Map<string, number[]>();
  for (const p of prompts) bytes.set(`${p}-0.mp4`, [9, 9, 30]);
  bytes.set('other a-0.mp4', [1, 2, 3]);
  bytes.set('other b-0.mp4', [4, 4, 4]);
  bytes.set('other b-1.mp4', [200, 0, 1]);
  for (const [name, b] of bytes) writeFileSync(join(dir, name), Buffer.from(b));
  return { dir, bytes };
}

test('byte-identical files under four names are four samples: records, counts, VBench export; shard + merge gives the same', async () => {
  const { dir, bytes } = samples();
  const w = mkdtempSync(join(tmpdir(), 'gb-ident-'));
  run(dir, join(w, 'full'), join(w, 'c-full'));
  const recs = lines(join(w, 'full', 'records', 'byte_mean.jsonl')).map((l) => JSON.parse(l));
  assert.deepEqual(recs.map((r) => r.sample).sort(), [...bytes.keys()].sort());
  for (const r of recs) {
    assert.equal(r.path, join(dir, r.sample));
    assert.equal(r.prompt, r.sample.replace(/-\d+\.mp4$/, ''));
  }
  // Every file was scored (identical bytes included): the score is over all 7 samples.
  assert.equal(lines(join(w, 'c-full')).length, 7);
  const scores = json(join(w, 'full', 'scores.json'));
  assert.equal(scores.dimensions.byte_mean.samples, 7);
  assert.equal(scores.dimensions.byte_mean.score, mean([...bytes.values()].map(mean)));
  const official = json(join(w, 'full', 'vbench_eval_results.json'));
  assert.deepEqual(official.byte_mean[1].map((e: { video_path: string }) => e.video_path).sort(), [...bytes.keys()].map((n) => join(dir, n)).sort());
  // Sharded: the four copies fall on both shards; merged = unsharded.
  run(dir, join(w, 's1'), join(w, 'c1'), '1/2');
  run(dir, join(w, 's2'), join(w, 'c2'), '2/2');
  assert.equal(lines(join(w, 's1', 'records', 'byte_mean.jsonl')).length + lines(join(w, 's2', 'records', 'byte_mean.jsonl')).length, 7);
  await mergeVbenchShards([join(w, 's1'), join(w, 's2')], join(w, 'merged'), async () => byteMeanDimension((p) => readFile(p)));
  assert.deepEqual(json(join(w, 'merged', 'scores.json')), scores);
  assert.deepEqual(json(join(w, 'merged', 'vbench_eval_results.json')), official);
});

test('records written with the old key (content, dimension, models, settings) are reused when they name the same sample; collapsed copies are scored', () => {
  const { dir, bytes } = samples();
  const w = mkdtempSync(join(tmpdir(), 'gb-ident-'));
  const out = join(w, 'run');
  run(dir, out, join(w, 'c0'));
  const path = join(out, 'records', 'byte_mean.jsonl');
  const fresh = json(join(out, 'scores.json'));
  // Rewrite the run as the previous version wrote it: keys without the sample, and one record for
  // byte-identical files (the later copies were skipped as already scored).
  const seen = new Set<string>();
  const old: string[] = [];
  for (const l of lines(path)) {
    const r = JSON.parse(l);
    const key = legacyRecordKey({ contentSha256: r.contentSha256, dimension: 'byte_mean', modelHashes: {}, settings: { version: 1 } });
    if (seen.has(key)) continue;
    seen.add(key);
    old.push(JSON.stringify({ ...r, key }));
  }
  assert.equal(old.length, 4, 'the old format kept one record for the four copies');
  writeFileSync(path, old.map((l) => `${l}\n`).join(''));
  const kept = old.map((l) => JSON.parse(l).sample as string);
  const calls = join(w, 'c1');
  run(dir, out, calls);
  // Only the three copies without a record of their own were scored; nothing else.
  const scoredNow = lines(calls).map((p) => p.slice(dir.length + 1)).sort();
  assert.deepEqual(scoredNow, [...bytes.keys()].filter((n) => !kept.includes(n)).sort());
  assert.equal(scoredNow.length, 3);
  // The old lines stay as they were; the three new records follow them.
  const after = lines(path);
  assert.deepEqual(after.slice(0, 4), old);
  assert.equal(after.length, 7);
  assert.deepEqual(json(join(out, 'scores.json')), fresh);
  // And again: nothing at all.
  const calls2 = join(w, 'c2');
  run(dir, out, calls2);
  assert.deepEqual(lines(calls2), []);
  assert.equal(lines(path).length, 7);
});
