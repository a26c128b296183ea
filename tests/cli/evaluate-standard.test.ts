import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256File } from '../../src/core/hash.ts';
import { runCli } from '../helpers/cli.ts';
import { goldenInputs } from '../helpers/golden-inputs.ts';
import { upstreamPrompts } from '../helpers/upstream-files.ts';

const upstream = upstreamPrompts('vbench/vbench/VBench_full_info.json');
const UPSTREAM = upstream.dir ?? '';
const golden = JSON.parse(readFileSync(new URL('../golden/vbench-temporal-flickering.json', import.meta.url), 'utf8')) as {
  videos: { file: string; score: number }[];
};

test('standard mode: official names from the pinned suite, coverage refused unless --allow-partial, prompt set in provenance', { skip: upstream.skip }, async () => {
  const inputs = await goldenInputs();
  const fullInfo = JSON.parse(readFileSync(join(UPSTREAM, 'vbench/vbench/VBench_full_info.json'), 'utf8')) as { prompt_en: string; dimension: string[] }[];
  const prompts = fullInfo.filter((e) => e.dimension.includes('temporal_flickering')).slice(0, 2).map((e) => e.prompt_en);
  const dir = mkdtempSync(join(tmpdir(), 'gb-std-cli-'));
  const src = ['still colour bars-0.mp4', 'a zoom into a fractal-0.mp4'];
  for (let p = 0; p < 2; p++) for (let i = 0; i < 5; i++) copyFileSync(inputs.get(src[p]!)!, join(dir, `${prompts[p]}-${i}.mp4`));
  copyFileSync(inputs.get(src[0]!)!, join(dir, 'wrongly named video.mp4'));
  const out = join(dir, 'run');
  const args = ['evaluate', '--mode', 'standard', '--videos', dir, '--dimensions', 'temporal_flickering', '--prompts-dir', UPSTREAM, '--out', out];
  const refused = runCli(args);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /365 expected video\(s\) missing/);
  assert.match(refused.stderr, /--allow-partial/);
  const ok = runCli([...args, '--allow-partial', '--json']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /1 video\(s\) match no expected name/);
  const scores = JSON.parse(ok.stdout);
  const tf = scores.dimensions.temporal_flickering;
  assert.equal(tf.samples, 10);
  assert.equal(tf.expected, 375);
  // Five copies of each video: the mean equals the mean of the two official per-video scores.
  const s = src.map((f) => golden.videos.find((v) => v.file === f)!.score);
  assert.ok(Math.abs(tf.score - (s[0]! + s[1]!) / 2) < 1e-12);
  const prov = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(prov.promptSet.name, 'vbench/vbench/VBench_full_info.json');
  assert.equal(prov.promptSet.sha256, await sha256File(join(UPSTREAM, 'vbench/vbench/VBench_full_info.json')));
  assert.equal(prov.promptSet.count, 946);
  assert.equal(prov.mode, 'standard');
});
