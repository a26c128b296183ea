import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isGenbenchError } from '../../src/core/errors.ts';
import { mergeVbenchShards } from '../../src/suites/vbench/merge.ts';
import { byteMeanDimension } from '../helpers/byte-mean-dimension.ts';
import { readFile } from 'node:fs/promises';
import { silentProgress } from '../../src/core/progress.ts';
import { parseShard, shardOf } from '../../src/core/shard.ts';
import { listCustomSamples } from '../../src/suites/vbench/custom-samples.ts';
import { evaluateVbench } from '../../src/suites/vbench/evaluate.ts';
import type { Dimension } from '../../src/core/contracts.ts';
import type { ModelProvider } from '../../src/runtime/model-handle.ts';
import { runCli } from '../helpers/cli.ts';

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
  const expectCode = async (dirs: string[], out: string, re: RegExp, code: 'E_MERGE' | 'E_NOT_COMPARABLE' = 'E_MERGE') => {
    await assert.rejects(mergeVbenchShards(dirs, out, dimensionFor), (e) => isGenbenchError(e, code) && re.test(e.message));
  };
  await expectCode([join(w, 's1'), join(w, 's2')], join(w, 'm1'), /missing shard\(s\) 3\/3/);
  await expectCode([join(w, 's1'), join(w, 's1'), join(w, 's2'), join(w, 's3')], join(w, 'm2'), /given twice/);
  // A shard of another sample set.
  const other = samples();
  writeFileSync(join(other, 'extra-0.mp4'), Buffer.from([1]));
  run(other, join(w, 'o3'), '3/3');
  await expectCode([join(w, 's1'), join(w, 's2'), join(w, 'o3')], join(w, 'm3'), /do not measure the same thing \(samples: /, 'E_NOT_COMPARABLE');
  // The runs are named in the order of the values that follow ("A and B …: a vs b").
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  await expectCode([join(w, 's1'), join(w, 's2'), join(w, 'o3')], join(w, 'm3b'), new RegExp(`^${esc(join(w, 's1'))} and ${esc(join(w, 'o3'))} do not`), 'E_NOT_COMPARABLE');
  // Shards of different counts.
  run(dir, join(w, 'h1'), '1/2');
  await expectCode([join(w, 's1'), join(w, 'h1')], join(w, 'm4'), /shard count/);
  writeFileSync(join(w, 'busy'), '');
  await mergeVbenchShards([join(w, 's1'), join(w, 's2'), join(w, 's3')], join(w, 'ok'), dimensionFor);
  await expectCode([join(w, 's1'), join(w, 's2'), join(w, 's3')], join(w, 'ok'), /not empty/);
});

test('merge takes, per sample, the record of the content the shard last saw (a file changed and changed back)', async () => {
  const dir = samples();
  const w = mkdtempSync(join(tmpdir(), 'gb-merge-'));
  // A file of shard 1/2: content A, then B (re-scored), then A again (its A record is reused).
  const name = readdirSync(dir).find((n) => shardOf(n.replace(/-\d+\.mp4$/, ''), 2) === 0)!;
  const a = readFileSync(join(dir, name));
  run(dir, join(w, 's1'), '1/2');
  writeFileSync(join(dir, name), Buffer.from([250, 250, 250]));
  run(dir, join(w, 's1'), '1/2');
  writeFileSync(join(dir, name), a);
  run(dir, join(w, 's1'), '1/2');
  run(dir, join(w, 's2'), '2/2');
  run(dir, join(w, 'full'));
  const merged = await mergeVbenchShards([join(w, 's1'), join(w, 's2')], join(w, 'merged'), dimensionFor);
  const rec = json(join(w, 'merged', 'vbench_eval_results.json')).byte_mean[1].find((v: any) => v.video_path === join(dir, name));
  assert.equal(rec.video_results, (a[0]! + a[1]! + a[2]!) / 3);
  assert.deepEqual(json(join(w, 'merged', 'scores.json')), json(join(w, 'full', 'scores.json')));
  assert.equal(merged.scores.dimensions.byte_mean!.samples, 18);
  // The shard wrote its A record again (once) when it reused it; a plain rerun writes nothing.
  const shardLines = () => readFileSync(join(w, 's1', 'records', 'byte_mean.jsonl'), 'utf8').split('\n').filter(Boolean).length;
  const n = shardLines();
  run(dir, join(w, 's1'), '1/2');
  assert.equal(shardLines(), n);
});

test('merge refuses a shard whose records file has a damaged line, naming it and what to do', async () => {
  const dir = samples();
  const w = mkdtempSync(join(tmpdir(), 'gb-merge-'));
  run(dir, join(w, 's1'), '1/2');
  run(dir, join(w, 's2'), '2/2');
  const path = join(w, 's2', 'records', 'byte_mean.jsonl');
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.replace('\n', '\n{"key": broken\n'));
  await assert.rejects(
    mergeVbenchShards([join(w, 's1'), join(w, 's2')], join(w, 'm'), dimensionFor),
    (e) => isGenbenchError(e, 'E_MERGE') && e.message.includes(path) && /shard 2\/2/.test(e.message) && /run that shard's command again/.test(e.hint ?? ''),
  );
  assert.equal(readFileSync(path, 'utf8'), text.replace('\n', '\n{"key": broken\n'), 'merge does not touch the shards');
  // Re-running the shard compacts the file; the merge then goes through.
  run(dir, join(w, 's2'), '2/2');
  await mergeVbenchShards([join(w, 's1'), join(w, 's2')], join(w, 'm2'), dimensionFor);
});

test('genbench merge: exit 2 when shards measure different things, 1 on a gap or an overlap', () => {
  const dir = samples();
  const w = mkdtempSync(join(tmpdir(), 'gb-merge-'));
  run(dir, join(w, 's1'), '1/2');
  run(dir, join(w, 's2'), '2/2');
  const other = samples();
  writeFileSync(join(other, 'extra-0.mp4'), Buffer.from([1]));
  run(other, join(w, 'o2'), '2/2');
  const differ = runCli(['merge', join(w, 's1'), join(w, 'o2'), '--out', join(w, 'm1')]);
  assert.equal(differ.code, 2, differ.stderr);
  assert.match(differ.stderr, /E_NOT_COMPARABLE.*do not measure the same thing/);
  const gap = runCli(['merge', join(w, 's1'), '--out', join(w, 'm2')]);
  assert.equal(gap.code, 1, gap.stderr);
  assert.match(gap.stderr, /E_MERGE.*missing shard\(s\) 2\/2/);
  const twice = runCli(['merge', join(w, 's1'), join(w, 's1'), join(w, 's2'), '--out', join(w, 'm3')]);
  assert.equal(twice.code, 1, twice.stderr);
  assert.match(twice.stderr, /given twice/);
});

test('merged fixture-model (smoke) shards stay a smoke run: scores.json, run.json and the records', async () => {
  const dir = samples();
  const w = mkdtempSync(join(tmpdir(), 'gb-merge-'));
  // A dimension with a model, served by a fixture (the provider hands out the fixture's id, as --fixture-models does).
  const dim: Dimension = { ...byteMeanDimension((p) => readFile(p)), id: 'byte_mean', models: ['real-model'] };
  const provider: ModelProvider = { get: async () => ({ id: 'real-model-fixture', sha256: 'f'.repeat(64), session: undefined as never }) };
  const { samples: refs } = await listCustomSamples(dir);
  for (const s of ['1/2', '2/2']) {
    await evaluateVbench({ out: join(w, `s${s[0]}`), mode: 'custom', samples: refs, dimensions: [dim], models: {}, modelProvider: provider, device: 'cpu', shard: parseShard(s), progress: silentProgress(), command: ['test'] });
  }
  for (const s of ['s1', 's2']) {
    const recs = readFileSync(join(w, s, 'records', 'byte_mean.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
    assert.ok(recs.length > 0 && recs.every((r) => r.smoke === true), 'records scored with a fixture are marked smoke');
  }
  const merged = await mergeVbenchShards([join(w, 's1'), join(w, 's2')], join(w, 'merged'), async () => dim);
  assert.equal(merged.scores.smoke, true);
  assert.equal(json(join(w, 'merged', 'scores.json')).smoke, true);
  assert.equal(json(join(w, 'merged', 'run.json')).smoke, true);
  const recs = readFileSync(join(w, 'merged', 'records', 'byte_mean.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  assert.equal(recs.length, 18);
  assert.ok(recs.every((r) => r.smoke === true));
});
