import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { numpyMean } from '../../src/core/pycompat/numpy-mean.ts';
import { runCli } from '../helpers/cli.ts';
import { goldenInputs } from '../helpers/golden-inputs.ts';
import { MEDIA_VIDEOS } from '../../tools/fixtures/media-stand-ins.ts';

const golden = JSON.parse(readFileSync(new URL('../golden/vbench-temporal-flickering.json', import.meta.url), 'utf8')) as {
  videos: { file: string; score: number | null | 'nan' }[];
};

test('evaluate a folder with good and bad videos: official scores, error records, VBench export, exit codes', async () => {
  const inputs = await goldenInputs();
  const dir = mkdtempSync(join(tmpdir(), 'gb-eval-'));
  const custom = [...inputs.keys()].filter((f) => /\.(mp4|gif)$/i.test(f) && !MEDIA_VIDEOS.some((m) => m.file === f));
  for (const f of custom) copyFileSync(inputs.get(f)!, join(dir, f));
  writeFileSync(join(dir, 'notes.txt'), 'not a video: ignored by custom mode');
  const out = join(dir, 'run');
  const args = ['evaluate', '--suite', 'vbench', '--mode', 'custom', '--videos', dir, '--dimensions', 'temporal_flickering', '--out', out, '--quiet'];
  const r = runCli(args);
  assert.equal(r.code, 3, `exit 3 with sample errors; stderr: ${r.stderr}`);
  const good = custom.filter((f) => typeof golden.videos.find((v) => v.file === f)!.score === 'number').sort();
  const bad = custom.filter((f) => !good.includes(f));
  assert.ok(good.length >= 6 && bad.length === 5);
  const scores = JSON.parse(readFileSync(join(out, 'scores.json'), 'utf8'));
  const tf = scores.dimensions.temporal_flickering;
  assert.equal(tf.samples, good.length);
  assert.equal(tf.errors, bad.length);
  const expected = numpyMean(good.map((f) => golden.videos.find((v) => v.file === f)!.score as number));
  assert.ok(Math.abs(tf.score - expected) <= 1e-12, `dimension ${tf.score} vs official-derived ${expected}`);
  assert.equal(scores.headline.quality.value, null);
  // VBench's own format: {dimension: [score, [{video_path, video_results}]]}, unreadable videos left out.
  const official = JSON.parse(readFileSync(join(out, 'vbench_eval_results.json'), 'utf8'));
  assert.equal(official.temporal_flickering[0], tf.score);
  assert.deepEqual(official.temporal_flickering[1].map((v: { video_path: string }) => basename(v.video_path)).sort(), good);
  // Error records carry the reason.
  const records = readFileSync(join(out, 'records', 'temporal_flickering.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  for (const f of bad) {
    const rec = records.find((x) => x.sample === f);
    assert.equal(rec.ok, false);
    assert.match(rec.error.message, new RegExp(f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  }
  assert.match(r.stdout, /5 sample\(s\) failed/);
  // Provenance.
  const prov = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(prov.suite, 'vbench');
  assert.equal(prov.samples.count, custom.length);
  assert.ok(prov.finishedAt);
  // --allow-errors accepts them; the good ones are not redone (same records), bad ones retried.
  const again = runCli([...args, '--allow-errors', '--json']);
  assert.equal(again.code, 0);
  assert.equal(JSON.parse(again.stdout).dimensions.temporal_flickering.score, tf.score);
  const records2 = readFileSync(join(out, 'records', 'temporal_flickering.jsonl'), 'utf8').split('\n').filter(Boolean);
  assert.equal(records2.length, records.length + bad.length);
  // report writes markdown and CSV.
  const rep = runCli(['report', out, '--format', 'md,csv']);
  assert.equal(rep.code, 0, rep.stderr);
  assert.match(readFileSync(join(out, 'report', 'scores.md'), 'utf8'), /Temporal Flickering|temporal flickering/i);
});

test('missing folder, empty folder and a custom-mode-excluded dimension fail with what to do', () => {
  const empty = mkdtempSync(join(tmpdir(), 'gb-eval-empty-'));
  const a = runCli(['evaluate', '--videos', '/nonexistent/dir', '--dimensions', 'temporal_flickering', '--quiet']);
  assert.equal(a.code, 1);
  assert.match(a.stderr, /videos not found/);
  const b = runCli(['evaluate', '--videos', empty, '--dimensions', 'temporal_flickering', '--quiet']);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /no \.mp4 or \.gif videos/);
  const c = runCli(['evaluate', '--videos', empty, '--dimensions', 'color', '--quiet']);
  assert.equal(c.code, 1);
  assert.match(c.stderr, /cannot run in custom mode/);
  const d = runCli(['evaluate', '--videos', empty, '--dimensions', 'temporal_flicker', '--quiet']);
  assert.match(d.stderr, /unknown VBench dimension/);
});
