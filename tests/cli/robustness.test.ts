/**
 * Issue #14 items 12, 15, 16 and 19 as a user meets them on the command line: bad input gives a
 * named error or a named skip (never "internal error"), nothing is left out silently, every
 * dimension setting is reachable (and refused when it does not apply), help and messages agree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegPath } from '../../src/media/ffmpeg.ts';
import { runCli } from '../helpers/cli.ts';
import { upstreamPrompts } from '../helpers/upstream-files.ts';

const root = mkdtempSync(join(tmpdir(), 'gb-robust-'));
const home = join(root, 'home');

function makeVideo(path: string): void {
  const r = spawnSync(ffmpegPath(), ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=8', '-t', '1', '-pix_fmt', 'yuv420p', path]);
  assert.equal(r.status, 0, r.stderr?.toString());
}

test('custom mode: a dangling symlink and a symlink loop are named skips, a sub-folder is named; the good video is scored', () => {
  const videos = join(root, 'links');
  mkdirSync(join(videos, 'more'), { recursive: true });
  makeVideo(join(videos, 'a cat-0.mp4'));
  makeVideo(join(videos, 'more', 'a dog-0.mp4'));
  symlinkSync(join(root, 'nowhere.mp4'), join(videos, 'dangling-0.mp4'));
  symlinkSync('loop-0.mp4', join(videos, 'loop-0.mp4'));
  const out = join(root, 'links-run');
  const r = runCli(['evaluate', '--videos', videos, '--dimensions', 'temporal_flickering', '--out', out, '--quiet']);
  assert.doesNotMatch(r.stderr, /internal error/);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /skipped dangling-0\.mp4: dangling symbolic link/);
  assert.match(r.stderr, /skipped loop-0\.mp4: symbolic link loop/);
  assert.match(r.stderr, /1 sub-folder\(s\) not scored \(more\/\)/);
  const scores = JSON.parse(readFileSync(join(out, 'scores.json'), 'utf8'));
  assert.equal(scores.dimensions.temporal_flickering.samples, 1);
  assert.equal(existsSync(join(out, '.lock')), false, 'the lock is gone after the run');
});

test('--out an existing file, or a path under a file: a named usage error', () => {
  const videos = join(root, 'one');
  mkdirSync(videos);
  makeVideo(join(videos, 'a cat-0.mp4'));
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  const a = runCli(['evaluate', '--videos', videos, '--dimensions', 'temporal_flickering', '--out', file, '--quiet']);
  assert.equal(a.code, 1);
  assert.doesNotMatch(a.stderr, /internal error|EEXIST/);
  assert.match(a.stderr, /error \[E_USAGE\]: --out .*a-file is a file, not a folder/);
  const b = runCli(['static-filter', '--videos', videos, '--out', join(file, 'sub'), '--scope', 'all']);
  assert.equal(b.code, 1);
  assert.doesNotMatch(b.stderr, /internal error|ENOTDIR/);
  assert.match(b.stderr, /error \[E_USAGE\]: --out .*a-file is a file, so/);
});

test('"not implemented yet" is not printed before an unrelated input error', () => {
  const r = runCli(['evaluate', '--videos', join(root, 'absent')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /videos not found/);
  assert.doesNotMatch(r.stderr, /not implemented/);
});

test('VBench --options: cosine=fp32 reaches background_consistency (run.json); resuming with fp16 is refused; unknown or inapplicable settings are refused with the valid ones', () => {
  const videos = join(root, 'opts');
  mkdirSync(videos);
  makeVideo(join(videos, 'a cat-0.mp4'));
  const out = join(root, 'opts-run');
  const base = ['evaluate', '--videos', videos, '--dimensions', 'background_consistency', '--out', out, '--fixture-models', '--quiet'];
  const r = runCli([...base, '--options', 'cosine=fp32'], { GENBENCH_HOME: home });
  assert.equal(r.code, 0, r.stderr);
  const prov = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(prov.dimensions.background_consistency.cosine, 'fp32');
  const again = runCli([...base, '--options', 'background_consistency.cosine=fp16'], { GENBENCH_HOME: home });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /different provenance: dimension background_consistency settings/);

  const inapplicable = runCli(['evaluate', '--videos', videos, '--dimensions', 'temporal_flickering', '--options', 'cosine=fp32', '--out', join(root, 'x1')]);
  assert.equal(inapplicable.code, 1);
  assert.match(inapplicable.stderr, /no selected dimension has the setting "cosine" \(background_consistency has it; selected: temporal_flickering\)/);
  assert.equal(existsSync(join(root, 'x1')), false);
  const unknown = runCli(['evaluate', '--videos', videos, '--dimensions', 'dynamic_degree,background_consistency', '--options', 'exhaustive=true', 'threshold=0.5', '--out', join(root, 'x2')]);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /unknown VBench setting "threshold"/);
  assert.match(unknown.stderr, /cosine=fp16\|fp32 \(background_consistency, default fp16\)/);
  assert.match(unknown.stderr, /exhaustive=false\|true \(dynamic_degree, default false\)/);
});

test('GenEval --options logits= applies to the colour tasks only, and unknown keys list logits', () => {
  const images = join(root, 'geneval');
  mkdirSync(images);
  const a = runCli(['evaluate', '--suite', 'geneval', '--images', images, '--dimensions', 'counting', '--options', 'logits=fp32', '--out', join(root, 'g1')]);
  assert.equal(a.code, 1);
  assert.match(a.stderr, /logits=fp32: no selected task classifies colours \(selected: counting\)/);
  const b = runCli(['evaluate', '--suite', 'geneval', '--images', images, '--options', 'cosine=fp32', '--out', join(root, 'g2')]);
  assert.equal(b.code, 1);
  assert.match(b.stderr, /unknown --options key\(s\) for GenEval: cosine/);
  assert.match(b.stderr, /logits=fp16\|fp32/);
});

test('help: one default for --concurrency; the GenEval layout as the official generation script writes it (NNNNN/samples/NNNNN.png)', () => {
  const h = runCli(['evaluate', '--help']);
  assert.equal(h.code, 0);
  const text = h.stdout.replace(/\s+/g, ' ');
  const conc = /--concurrency <n>(.*?)--threads/.exec(text)![1]!;
  assert.equal(conc.match(/default/g)!.length, 1, conc);
  assert.match(text, /NNNNN\/samples\/NNNNN\.png/);
  assert.doesNotMatch(text, /\/NNNN\.png/);
  // The official generator names images f"{sample_count:05}.png" (5 digits).
  const official = '/work/.mirror/djghosh13+geneval/repo';
  if (existsSync(official)) {
    const gen = spawnSync('git', ['-C', official, 'show', 'HEAD:generation/diffusers_generate.py'], { encoding: 'utf8' }).stdout;
    assert.match(gen, /\{sample_count:05\}\.png/);
  }
});

// The pinned VBench_full_info.json (GENBENCH_TEST_PROMPTS_DIR or the prompt cache); skipped with the reason otherwise.
const fullInfo = upstreamPrompts('vbench/vbench/VBench_full_info.json');
const UPSTREAM = fullInfo.dir ?? '';

test('static-filter: a folder where no file is named after a temporal_flickering prompt is refused with the naming rule', { skip: fullInfo.skip }, () => {
  const videos = join(root, 'unmatched');
  mkdirSync(videos);
  makeVideo(join(videos, 'my own prompt-0.mp4'));
  const out = join(root, 'sf');
  const r = runCli(['static-filter', '--videos', videos, '--out', out, '--prompts-dir', UPSTREAM, '--fixture-models'], { GENBENCH_HOME: home });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /none of the 1 \.mp4 file\(s\) .* is named after one of the 75 temporal_flickering prompts/);
  assert.match(r.stderr, /\{prompt\}-\{i\}\.mp4/);
  assert.doesNotMatch(r.stdout, /only 0 static/);
  assert.equal(existsSync(out), false, 'nothing written');
});

test('standard mode: a dangling symlink under an expected name is a named input error', { skip: fullInfo.skip }, () => {
  const info = JSON.parse(readFileSync(join(UPSTREAM, 'vbench/vbench/VBench_full_info.json'), 'utf8')) as { prompt_en: string; dimension: string[] }[];
  const prompt = info.find((e) => e.dimension.includes('temporal_flickering'))!.prompt_en;
  const videos = join(root, 'standard');
  mkdirSync(videos);
  makeVideo(join(videos, `${prompt}-0.mp4`));
  symlinkSync(join(root, 'gone.mp4'), join(videos, `${prompt}-1.mp4`));
  const r = runCli(['evaluate', '--mode', 'standard', '--videos', videos, '--dimensions', 'temporal_flickering', '--prompts-dir', UPSTREAM, '--allow-partial', '--out', join(root, 'std-run'), '--quiet']);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stderr, /internal error/);
  assert.match(r.stderr, new RegExp(`error \\[E_INPUT\\]: cannot read .*-1\\.mp4: dangling symbolic link`));
});

test('models list: a header row, and every column starts at the same place on every line', () => {
  const r = runCli(['models', 'list'], { GENBENCH_HOME: join(root, 'empty-home') });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^ID\s+FAMILY\s+STATUS\s+SIZE\s+LICENSE$/);
  const col = (name: string): number => lines[0]!.indexOf(name);
  for (const l of lines.slice(1)) {
    // The cell before each column ends with at least two spaces, and the column's text starts right there.
    for (const name of ['FAMILY', 'STATUS', 'LICENSE']) {
      assert.equal(l.slice(col(name) - 2, col(name)), '  ', `${name} column misaligned in: ${l}`);
      assert.notEqual(l[col(name)], ' ', `${name} column misaligned in: ${l}`);
    }
  }
  assert.ok(lines.some((l) => l.startsWith('mask2former-swin-s-coco ')));
});

test('--device webgpu where it cannot start: the one named error, without the GPU driver\'s messages before it', (t) => {
  const videos = join(root, 'device');
  mkdirSync(videos);
  makeVideo(join(videos, 'a cat-0.mp4'));
  const out = join(root, 'device-run');
  const r = runCli(['evaluate', '--videos', videos, '--dimensions', 'background_consistency', '--fixture-models', '--device', 'webgpu', '--out', out, '--quiet'], { GENBENCH_HOME: home });
  if (r.code === 0) return t.skip('webgpu works on this machine');
  assert.equal(r.code, 1);
  const lines = r.stderr.split('\n').filter((l) => l.trim() && !/^fixture models: built/.test(l));
  assert.match(lines[0]!, /^genbench: error \[E_PROVIDER\]: the webgpu execution provider/, r.stderr);
  assert.equal(lines.length, 2, `only the error and its hint:\n${r.stderr}`);
  assert.equal(existsSync(out), false, 'nothing written');
});
