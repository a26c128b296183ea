import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { makeSampleVideos, SAMPLE_VIDEO_RECIPES } from '../../tools/fixtures/make-sample-videos.ts';
import { buildFixtureModels } from '../../tools/fixtures/build-fixtures.ts';
import { runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'gb-static-filter-'));
const home = join(dir, 'home');
const videos = join(dir, 'videos');

before(async () => {
  // The RAFT fixture, fetched into a private GENBENCH_HOME by the real CLI.
  const built = buildFixtureModels(join(dir, 'fixtures'));
  const raft = built.find((b) => b.id === 'fixture-raft')!;
  const r = runCli(['models', 'fetch', raft.id, '--from', join(dir, 'fixtures')], { GENBENCH_HOME: home });
  assert.equal(r.code, 0, r.stderr);
  const made = await makeSampleVideos(join(dir, 'made'), SAMPLE_VIDEO_RECIPES.filter((x) => x.file.endsWith('.mp4')).slice(0, 3));
  mkdirSync(videos);
  // Two prompts, in VBench's {prompt}-{i}.mp4 naming; a .gif is not globbed.
  copyFileSync(made[0]!.path, join(videos, 'a cat-0.mp4'));
  copyFileSync(made[1]!.path, join(videos, 'a cat-1.mp4'));
  copyFileSync(made[2]!.path, join(videos, 'a dog-0.mp4'));
});

test('scope all: every video is checked, the selection is written and copied as {prompt}-{i}.mp4; a rerun reuses the verdicts', () => {
  const out = join(dir, 'out');
  const r = runCli(['static-filter', '--videos', videos, '--out', out, '--scope', 'all', '--fixture-models', '--json'], { GENBENCH_HOME: home });
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.checked, 3);
  const sel = JSON.parse(readFileSync(join(out, 'filtered_static_video.json'), 'utf8'));
  assert.deepEqual(Object.keys(sel), ['a cat', 'a dog']);
  const expected = Object.entries(sel).flatMap(([p, v]: [string, any]) => v.static_path.map((_: string, i: number) => `${p}-${i}.mp4`));
  assert.deepEqual(readdirSync(join(out, 'filtered_videos')).sort(), expected.sort());
  assert.equal(readFileSync(join(out, 'static_verdicts.jsonl'), 'utf8').trim().split('\n').length, 3);
  const again = runCli(['static-filter', '--videos', videos, '--out', out, '--scope', 'all', '--fixture-models', '--json'], { GENBENCH_HOME: home });
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual([JSON.parse(again.stdout).checked, JSON.parse(again.stdout).reused], [0, 3]);
});

test('usage errors: unknown scope, missing folder, no .mp4', () => {
  const bad = runCli(['static-filter', '--videos', videos, '--out', join(dir, 'x'), '--scope', 'nope', '--fixture-models'], { GENBENCH_HOME: home });
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /unknown --scope nope/);
  const missing = runCli(['static-filter', '--videos', join(dir, 'absent'), '--out', join(dir, 'y'), '--fixture-models'], { GENBENCH_HOME: home });
  assert.match(missing.stderr, /videos folder not found/);
  mkdirSync(join(dir, 'empty'));
  const empty = runCli(['static-filter', '--videos', join(dir, 'empty'), '--out', join(dir, 'z'), '--fixture-models'], { GENBENCH_HOME: home });
  assert.match(empty.stderr, /no \.mp4 file/);
  assert.ok(!existsSync(join(dir, 'z')), 'nothing written for a refused call');
});
