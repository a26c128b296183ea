/**
 * VBench appearance_style beyond the official numbers (those are appearance-style-parity.test.ts):
 * the fp16 logit rounding of the default setting on hand values, the refusal of custom mode, the
 * named error records (no style phrase, a phrase over CLIP's context, unreadable videos), and
 * `genbench evaluate --mode standard` end to end with the fixture models (needs the pinned
 * VBench_full_info.json).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import type { DimensionContext, SampleRef } from '../../src/core/contracts.ts';
import { GenbenchError, isGenbenchError } from '../../src/core/errors.ts';
import { buildFixtureModel, fixtureRecipes } from '../../src/runtime/fixtures/build.ts';
import { CLIP_VIT_B32_IMAGE, CLIP_VIT_B32_TEXT } from '../../src/metrics/clip/spec.ts';
import type { ModelHandle } from '../../src/runtime/model-handle.ts';
import { appearanceStyle, styleFrameValue } from '../../src/suites/vbench/appearance-style.ts';
import { checkVbenchDimensions, VBENCH_SUITE } from '../../src/suites/vbench/suite.ts';
import { makeSampleVideos, SAMPLE_VIDEO_RECIPES } from '../../tools/fixtures/make-sample-videos.ts';
import { runCli } from '../helpers/cli.ts';
import { upstreamPrompts } from '../helpers/upstream-files.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'gb-appearance-style-'));
after(() => rmSync(work, { recursive: true, force: true }));

test('logits=fp16 rounds the float32 logit to the nearest fp16 number (ties to even) before /100; fp32 keeps it', () => {
  // [16, 32): fp16 step 2^-6. 25.123456 → 1607.90 steps → 1608 · 2^-6 = 25.125.
  assert.equal(styleFrameValue(25.123456, 'fp16'), 25.125 / 100);
  assert.equal(styleFrameValue(25.123456, 'fp32'), 25.123456 / 100);
  // [32, 64): step 2^-5. 40.01 → 1280.32 steps → 40.0.
  assert.equal(styleFrameValue(40.01, 'fp16'), 0.4);
  // [2, 4): step 2^-9; negative logits round the same way. −3.3 → −1689.6 steps → −1690 · 2^-9 = −3.30078125.
  assert.equal(styleFrameValue(-3.3, 'fp16'), -3.30078125 / 100);
  // A tie: 16 + 2^-7 is half a step above 16 (1024.5 steps) → the even 1024 → 16.
  assert.equal(styleFrameValue(16 + 2 ** -7, 'fp16'), 0.16);
  // 16 + 3·2^-7 (1025.5 steps) → the even 1026 → 16.03125.
  assert.equal(styleFrameValue(16 + 3 * 2 ** -7, 'fp16'), 16.03125 / 100);
  // The setting changes numbers: it is in the record keys' settings.
  assert.deepEqual(appearanceStyle.create().settings, { logits: 'fp16' });
  assert.deepEqual(appearanceStyle.create({ logits: 'fp32' }).settings, { logits: 'fp32' });
  assert.throws(() => appearanceStyle.parse({ logits: 'bf16' }), /appearance_style's logits=bf16: must be one of fp16, fp32/);
});

test('custom mode is refused for appearance_style, saying VBench refuses it too; standard mode takes it', () => {
  assert.throws(
    () => checkVbenchDimensions(['appearance_style'], 'custom'),
    (e: unknown) => isGenbenchError(e, 'E_USAGE') && /appearance_style.*cannot run in custom mode \(VBench refuses it for custom input too\)/.test(e.message),
  );
  checkVbenchDimensions(['appearance_style'], 'standard');
  assert.ok(!VBENCH_SUITE.dimensions.select(undefined, 'custom').ids.includes('appearance_style'));
  assert.ok(VBENCH_SUITE.dimensions.select(undefined, 'standard').ids.includes('appearance_style'));
});

/** The fixture towers (random weights; contract shapes) with the fixture's reduced tokenizer. */
async function fixtureContext(): Promise<DimensionContext<ModelHandle>> {
  const recipes = fixtureRecipes([CLIP_VIT_B32_IMAGE, CLIP_VIT_B32_TEXT]);
  const handle = async (id: string, files?: Record<string, string>): Promise<ModelHandle> => {
    const r = recipes.find((x) => x.standsInFor === id)!;
    return { id: r.id, sha256: r.id, fixture: true, session: await ort.InferenceSession.create(buildFixtureModel(r)), ...(files ? { files } : {}) };
  };
  const tokenizer = CLIP_VIT_B32_TEXT.fixture.companions[0];
  const models: Record<string, ModelHandle> = {
    [CLIP_VIT_B32_IMAGE.id]: await handle(CLIP_VIT_B32_IMAGE.id),
    [CLIP_VIT_B32_TEXT.id]: await handle(CLIP_VIT_B32_TEXT.id, { [tokenizer.name]: join(root, tokenizer.source) }),
  };
  return { models: { get: async (id) => models[id]! }, log() {}, device: 'cpu' };
}

const sample = (path: string, style?: string): SampleRef => ({
  id: path,
  path,
  prompt: 'a prompt',
  index: 0,
  contentSha256: '',
  ...(style !== undefined ? { auxiliary: { appearance_style: { appearance_style: style } } } : {}),
});

async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<GenbenchError> {
  let err: unknown;
  await assert.rejects(p, (e: unknown) => ((err = e), true));
  assert.ok(isGenbenchError(err, code as never), String(err));
  assert.match((err as GenbenchError).message + ' ' + (err as GenbenchError).hint, pattern);
  return err as GenbenchError;
}

test('named errors: no style phrase, a phrase over the context (clip.tokenize would raise), empty and non-video files', async () => {
  const ctx = await fixtureContext();
  const dim = appearanceStyle.create({ logits: 'fp32' });
  const [video] = await makeSampleVideos(join(work, 'one'), SAMPLE_VIDEO_RECIPES.filter((r) => r.file.endsWith('.mp4')).slice(0, 1));
  const good = await dim.scoreSample(sample(video!.path, 'oil painting'), ctx);
  assert.equal(typeof good.value, 'number');
  const official = good.extra!['official'] as { frame_results: number[]; cur_sim: number };
  assert.equal(official.frame_results.length, good.extra!['frames']);
  assert.equal(official.cur_sim, official.frame_results.at(-1));

  // A custom-mode style sample (no auxiliary info) never reaches the model.
  await rejectsWith(dim.scoreSample(sample(video!.path), ctx), 'E_INPUT', /no appearance_style phrase.*VBench refuses this dimension for custom input too/);
  // 38 × "oil painting" = 76 BPE tokens + start + end = 78 > 77: refused, not truncated.
  const long = Array(38).fill('oil painting').join(' ');
  await rejectsWith(dim.scoreSample(sample(video!.path, long), ctx), 'E_INPUT', /78 tokens .* over CLIP's context of 77.*clip\.tokenize \(truncate=False/);
  // 37 × = 74 + 2 = 76 tokens: fits.
  assert.equal(typeof (await dim.scoreSample(sample(video!.path, Array(37).fill('oil painting').join(' ')), ctx)).value, 'number');

  const empty = join(work, 'empty-0.mp4');
  writeFileSync(empty, Buffer.alloc(0));
  const text = join(work, 'text-0.mp4');
  writeFileSync(text, 'not a video\n');
  await rejectsWith(dim.scoreSample(sample(empty, 'oil painting'), ctx), 'E_DECODE', /empty-0\.mp4/);
  await rejectsWith(dim.scoreSample(sample(text, 'oil painting'), ctx), 'E_DECODE', /text-0\.mp4/);
});

const upstream = upstreamPrompts('vbench/vbench/VBench_full_info.json');

test('evaluate --mode standard --dimensions appearance_style with the fixture models: records, scores.json, vbench_eval_results.json', { skip: upstream.skip }, async () => {
  type Entry = { prompt_en: string; dimension: string[]; auxiliary_info?: { appearance_style?: { appearance_style: string } } };
  const info = JSON.parse(readFileSync(join(upstream.dir!, 'vbench/vbench/VBench_full_info.json'), 'utf8')) as Entry[];
  const entries = info.filter((e) => e.dimension.includes('appearance_style'));
  const videos = join(work, 'videos');
  mkdirSync(videos);
  const made = await makeSampleVideos(join(work, 'made'), SAMPLE_VIDEO_RECIPES.filter((r) => r.file.endsWith('.mp4')).slice(0, 2));
  // Entry 0: videos 0 and 1; entry 1: video 0 is an empty file (an error record; nothing else lost).
  copyFileSync(made[0]!.path, join(videos, `${entries[0]!.prompt_en}-0.mp4`));
  copyFileSync(made[1]!.path, join(videos, `${entries[0]!.prompt_en}-1.mp4`));
  writeFileSync(join(videos, `${entries[1]!.prompt_en}-0.mp4`), Buffer.alloc(0));
  const out = join(work, 'run');
  const home = join(work, 'home');
  const r = runCli(
    ['evaluate', '--mode', 'standard', '--videos', videos, '--dimensions', 'appearance_style', '--prompts-dir', upstream.dir!, '--allow-partial', '--fixture-models', '--options', 'logits=fp32', '--out', out, '--json'],
    { GENBENCH_HOME: home },
  );
  assert.equal(r.code, 3, `exit 3 with a sample error; stderr: ${r.stderr}`);
  const scores = JSON.parse(r.stdout);
  const d = scores.dimensions.appearance_style;
  assert.equal(d.samples, 2);
  assert.equal(d.expected, 450);
  const official = JSON.parse(readFileSync(join(out, 'vbench_eval_results.json'), 'utf8')).appearance_style as [number, { video_path: string; video_results: number; frame_results: number[]; cur_sim: number }[]];
  assert.equal(official[1].length, 2, 'the unreadable video is left out, as the official list would not have it');
  assert.deepEqual(Object.keys(official[1][0]!), ['video_path', 'video_results', 'frame_results', 'cur_sim']);
  const frames = official[1].flatMap((v) => v.frame_results);
  assert.ok(Math.abs(official[0] - frames.reduce((a, b) => a + b, 0) / frames.length) < 1e-15, 'frame-weighted');
  assert.equal(official[0], d.score);
  for (const v of official[1]) {
    assert.ok(Math.abs(v.video_results - v.frame_results.reduce((a, b) => a + b, 0) / v.frame_results.length) < 1e-15);
    assert.equal(v.cur_sim, v.frame_results.at(-1));
  }
  // The empty file's record names the problem; the two good ones carry the official fields.
  const records = readFileSync(join(out, 'records', 'appearance_style.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const failed = records.filter((x) => !x.ok);
  assert.equal(failed.length, 1);
  assert.equal(failed[0].sample, `${entries[1]!.prompt_en}-0.mp4`);
  assert.equal(failed[0].error.code, 'E_DECODE');
  assert.match(failed[0].error.message, /empty/);
  const style = entries[0]!.auxiliary_info!.appearance_style!.appearance_style;
  assert.deepEqual(records.filter((x) => x.ok).map((x) => x.extra.style), [style, style], 'the entry\'s style phrase, not its prompt');
});
