import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isGenbenchError } from '../../src/core/errors.ts';
import { mergeVbenchShards } from '../../src/suites/vbench/merge.ts';
import { byteMeanDimension } from '../helpers/byte-mean-dimension.ts';
import { readFile } from 'node:fs/promises';

const CHILD = fileURLToPath(new URL('../helpers/byte-mean-run.ts', import.meta.url));
const dimensionFor = async () => byteMeanDimension((p) => readFile(p));

function run(dir: string, out: string, shard?: string): void {
  const args = ['--import', 'tsx', CHILD, dir, out, join(out + '.calls'), '0', ...(shard ? [shard] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

function samples(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gb-merge-s-'));
  for (let p = 0; p < 9; p++) for (let i = 0; i < 2; i++) writeFileSync(join(dir, `prompt ${p}-${i}.mp4`), Buffer.from([p * 7 + i, 3, p]));
  return dir;
}

function json(path: string): any {
  return JSON.parse(readFileSync(path, 'utf8'));
}

test('merging 3 shards equals one unsharded run (scores, records, VBench export)', async () => {
  const dir = samples();
  const w = mkdtempSync(join(tmpdir(), 'gb-merge-'));
  run(dir, join(w, 'full'));
  for (const s of ['1/3', '2/3', '3/3']) run(dir, join(w, `s${s[0]}`), s);
  // Shards own whole prompts: both samples of a prompt are in the same shard.
  const owners = new Map<string, string>();
  for (const s of ['1', '2', '3']) {
    for (const l of readFileSync(join(w, `s${s}`, 'records', 'byte_mean.jsonl'), 'utf8').split('\n').filter(Boolean)) {
      const r = JSON.parse(l);
      const prev = owners.get(r.prompt);
      assert.ok(prev === undefined || prev === s, `prompt ${r.prompt} split over shards`);
      owners.set(r.prompt, s);
    }
  }
  assert.equal(owners.size, 9);
  const merged = await mergeVbenchShards([join(w, 's3'), join(w, 's1'), join(w, 's2')], join(w, 'merged'), dimensionFor);
  assert.deepEqual(json(join(w, 'merged', 'scores.json')), json(join(w, 'full', 'scores.json')));
  const strip = (e: any) => ({ ...e, byte_mean: [e.byte_mean[0], e.byte_mean[1].map((v: any) => v.video_results)] });
  assert.deepEqual(strip(json(join(w, 'merged', 'vbench_eval_results.json'))), strip(json(join(w, 'full', 'vbench_eval_results.json'))));
  assert.equal(merged.scores.dimensions.byte_mean!.samples, 18);
  const prov = json(join(w, 'merged', 'run.json'));
  assert.equal(prov.shard, null);
  assert.equal(prov.mergedFrom.length, 3);
});

test('merge refuses gaps, overlaps, different provenance and a non-empty output', async () => {
  const dir = samples();
  const w = mkdtempSync(join(tmpdir(), 'gb-merge-'));
  for (const s of ['1/3', '2/3', '3/3']) run(dir, join(w, `s${s[0]}`), s);
  const expectCode = async (dirs: string[], out: string, re: RegExp) => {
    await assert.rejects(mergeVbenchShards(dirs, out, dimensionFor), (e) => isGenbenchError(e, 'E_MERGE') && re.test(e.message));
  };
  await expectCode([join(w, 's1'), join(w, 's2')], join(w, 'm1'), /missing shard\(s\) 3\/3/);
  await expectCode([join(w, 's1'), join(w, 's1'), join(w, 's2'), join(w, 's3')], join(w, 'm2'), /given twice/);
  // A shard of another sample set.
  const other = samples();
  writeFileSync(join(other, 'extra-0.mp4'), Buffer.from([1]));
  run(other, join(w, 'o3'), '3/3');
  await expectCode([join(w, 's1'), join(w, 's2'), join(w, 'o3')], join(w, 'm3'), /do not measure the same thing/);
  // Shards of different counts.
  run(dir, join(w, 'h1'), '1/2');
  await expectCode([join(w, 's1'), join(w, 'h1')], join(w, 'm4'), /shard count/);
  writeFileSync(join(w, 'busy'), '');
  await mergeVbenchShards([join(w, 's1'), join(w, 's2'), join(w, 's3')], join(w, 'ok'), dimensionFor);
  await expectCode([join(w, 's1'), join(w, 's2'), join(w, 's3')], join(w, 'ok'), /not empty/);
});
