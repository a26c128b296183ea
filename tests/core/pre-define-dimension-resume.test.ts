/**
 * Runs written before dimension definitions split number-changing parameters from descriptive notes
 * (tests/fixtures/runs/pre-define-dimension, made at commit 341c381, when record keys hashed every
 * setting, prose included) still resume: evaluating them again with the same command scores
 * nothing, appends no record and gives the same scores.json; run.json takes the new entries.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSampleVideos, SAMPLE_VIDEO_RECIPES } from '../../tools/fixtures/make-sample-videos.ts';
import { runCli } from '../helpers/cli.ts';

const FIXTURE = join(import.meta.dirname, '../fixtures/runs/pre-define-dimension');
const work = mkdtempSync(join(tmpdir(), 'gb-pre-define-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** Copy the stored run to `run`, with its placeholders replaced by the real folders. */
function restoreRun(name: string, samples: string): string {
  const run = join(work, `run-${name}`);
  const place = (text: string) => text.replaceAll('@SAMPLES@', samples).replaceAll('@RUN@', run);
  mkdirSync(join(run, 'records'), { recursive: true });
  for (const f of ['run.json', 'scores.json']) writeFileSync(join(run, f), place(readFileSync(join(FIXTURE, name, f), 'utf8')));
  for (const f of readdirSync(join(FIXTURE, name, 'records'))) {
    writeFileSync(join(run, 'records', f), place(readFileSync(join(FIXTURE, name, 'records', f), 'utf8')));
  }
  return run;
}

function recordFiles(run: string): Record<string, string> {
  return Object.fromEntries(readdirSync(join(run, 'records')).sort().map((f) => [f, readFileSync(join(run, 'records', f), 'utf8')]));
}

function resumeAndCheck(run: string): void {
  const before = recordFiles(run);
  const scoresBefore = JSON.parse(readFileSync(join(run, 'scores.json'), 'utf8')) as { dimensions: Record<string, unknown> };
  const stored = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')) as { command: string[]; dimensions: Record<string, unknown> };
  // The run's own command, limited to the dimensions it scored: a command without --dimensions
  // takes every implemented one, and dimensions added since then would be scored on top.
  const command = stored.command.filter((a) => a !== '--quiet');
  if (!command.includes('--dimensions')) command.push('--dimensions', Object.keys(stored.dimensions).join(','));
  const r = runCli(command);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const dims = Object.keys(before).map((f) => f.replace(/\.jsonl$/, ''));
  for (const d of dims) {
    const n = before[`${d}.jsonl`]!.trim().split('\n').length;
    assert.match(r.stderr, new RegExp(`^${d}: 0 scored, 0 failed, ${n} reused$`, 'm'), `${d} is not scored again`);
  }
  assert.deepEqual(recordFiles(run), before, 'no record appended');
  const scoresAfter = JSON.parse(readFileSync(join(run, 'scores.json'), 'utf8')) as { dimensions: Record<string, unknown> };
  assert.deepEqual(scoresAfter.dimensions, scoresBefore.dimensions);
  assert.deepEqual(scoresAfter, scoresBefore);
  // run.json now describes each dimension as this version does: settings apart from notes.
  const entries = JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')).dimensions as Record<string, Record<string, unknown>>;
  for (const d of dims) {
    assert.equal(typeof entries[d]!['notes'], 'object', `${d} has notes`);
    assert.equal(entries[d]!['official'], undefined, `${d}: the official source is a note`);
    assert.match(String(entries[d]!['previousSettingsSha256']), /^[0-9a-f]{64}$/);
  }
}

test('a VBench run made before dimension definitions resumes without scoring anything again', async () => {
  const videos = join(work, 'videos');
  mkdirSync(videos);
  const names: Record<string, string> = {
    'x264-testsrc2-320x240-8fps.mp4': 'a moving pattern-0.mp4',
    'x264-fullrange-smptebars-256x144-12fps.mp4': 'still colour bars-0.mp4',
  };
  const made = await makeSampleVideos(join(work, 'made'), SAMPLE_VIDEO_RECIPES.filter((x) => x.file in names));
  for (const m of made) copyFileSync(m.path, join(videos, names[m.file]!));
  const run = restoreRun('vbench', videos);
  // The videos are the ones the run scored (the generator is deterministic; a different ffmpeg would show here).
  const stored = readFileSync(join(run, 'records', 'temporal_flickering.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { sample: string; contentSha256: string });
  for (const m of made) assert.equal(stored.find((s) => s.sample === names[m.file])?.contentSha256, m.sha256, `${m.file} made again with the same bytes`);
  resumeAndCheck(run);
});

test('a GenEval run made before dimension definitions resumes without scoring anything again', () => {
  const images = join(work, 'images');
  cpSync(join(FIXTURE, 'geneval-images'), images, { recursive: true });
  resumeAndCheck(restoreRun('geneval', images));
});
