/**
 * `--fixture-models` on its own: on a fresh GENBENCH_HOME (no build script, no `models fetch`), the
 * first evaluation builds and imports the fixture models into the cache and says so in one line;
 * later runs find them cached and say nothing.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURE_RECIPES } from '../../tools/fixtures/build-fixtures.ts';
import { makeSampleVideos, SAMPLE_VIDEO_RECIPES } from '../../tools/fixtures/make-sample-videos.ts';
import { runCli } from '../helpers/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'gb-fixture-models-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('evaluate --fixture-models on an empty cache builds and imports the fixtures, saying so once', async () => {
  const home = join(root, 'home');
  const made = await makeSampleVideos(join(root, 'made'), SAMPLE_VIDEO_RECIPES.filter((x) => x.file.endsWith('.mp4')).slice(0, 1));
  const videos = join(root, 'videos');
  mkdirSync(videos);
  copyFileSync(made[0]!.path, join(videos, 'a cat-0.mp4'));
  const args = ['evaluate', '--videos', videos, '--dimensions', 'subject_consistency', '--fixture-models', '--concurrency', '1', '--threads', '1'];
  const r = runCli([...args, '--out', join(root, 'run-1')], { GENBENCH_HOME: home });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('fixture models: built and imported'));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, new RegExp(`built and imported ${FIXTURE_RECIPES.length} \\(fixture-dino, .*\\) into .*models; random weights, for smoke runs only`));
  assert.ok(existsSync(join(home, 'models', 'fixture-dino', 'fixture-dino.onnx')));
  const again = runCli([...args, '--out', join(root, 'run-2')], { GENBENCH_HOME: home });
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stderr, /fixture models: built/);
});
