/**
 * VBench appearance_style against the OFFICIAL code (tests/golden/vbench-appearance-style.json, made by
 * tools/parity/appearance_style_golden.py: VBench.evaluate unmodified, CPU fp32, a reduced random-weight
 * CLIP checkpoint in the released TorchScript format loaded by the official clip.load).
 *
 * (a) onnxruntime-node on the golden's tiny ONNX towers reproduces torch (`model_checks`);
 * (b) the fixture tokenizer (tests/fixtures/clip-tokenizer-styles-reduced.json) gives the official
 *     clip.tokenize ids of the nine style phrases (needs the pinned VBench_full_info.json);
 * (c) every frame value, video value and cur_sim, from the golden's token ids through the typed API
 *     (src/metrics/clip), within 1e-4 of the official ones;
 * (d) the dimension itself (`logits: fp32`) on the videos under their standard-mode names with their
 *     entries' auxiliary info (needs the pinned file): per-video values, the frame-weighted score and
 *     the vbench_eval_results.json entry within 1e-4 of the official output;
 * (e) the frame-weighted aggregate on a hand example.
 *
 * The videos are rebuilt as the golden script made them (cuts of the media stand-ins with the pinned
 * static ffmpeg and the golden's argument lists; tools/fixtures/make-sample-videos.ts recipes); their
 * sha256 must match.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import type { DimensionContext, SampleRecord, SampleRef } from '../../src/core/contracts.ts';
import { loadClipTokenizer } from '../../src/metrics/clip/clip-tokenizer.ts';
import { frameTextLogits } from '../../src/metrics/clip/image-text.ts';
import { unitRowF32 } from '../../src/metrics/clip/similarity.ts';
import { CLIP_VIT_B32_TEXT } from '../../src/metrics/clip/spec.ts';
import { encodeTextScaled, strictClipTokens } from '../../src/metrics/clip/text-tower.ts';
import type { ModelHandle } from '../../src/runtime/model-handle.ts';
import { appearanceStyle, frameWeightedAggregate } from '../../src/suites/vbench/appearance-style.ts';
import { vbenchEvalResults } from '../../src/suites/vbench/official-export.ts';
import { loadVideoFrames } from '../../src/suites/vbench/video-frames.ts';
import { rebuildGoldenVideos, sha256Of, type GoldenVideoSource } from '../helpers/golden-videos.ts';
import { expandUpstreamText, upstreamTextSkip, VBENCH_FULL_INFO } from '../helpers/upstream-text.ts';
import { readUpstreamFile } from '../helpers/upstream-files.ts';
import { fixtureModelFile } from '../helpers/fixture-model-file.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TOLERANCE = 1e-4;
const STYLE_TOKENIZER = join(root, 'tests/fixtures/clip-tokenizer-styles-reduced.json');

interface GoldenVideo extends GoldenVideoSource {
  file: string;
  frames: number;
  frame_results: number[];
  video_results: number;
  cur_sim: number;
}
interface GoldenEntry {
  full_info_index: number;
  prompt: string;
  style: string;
  token_ids: number[];
  videos: GoldenVideo[];
}
interface Golden {
  models: Record<'image' | 'text', { contract: string; file: string; sha256: string }>;
  styles: { first_full_info_index: number; style: string; token_ids: number[] }[];
  model_checks: { checks: { model: 'image' | 'text'; input_name: string; shape: number[]; output_name: string; output: number[][]; logit_scale?: number }[] };
  entries: GoldenEntry[];
  frames_total: number;
  score: number;
  official_eval_results: { appearance_style: [number, { video_path: string; video_results: number; frame_results: number[]; cur_sim: number }[]] };
}
const golden = JSON.parse(readFileSync(join(root, 'tests/golden/vbench-appearance-style.json'), 'utf8')) as Golden;


/** ((i*7919) % 1000)/1000 - 0.5 at flat index i, as float32. */
function checkInput(n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * 7919) % 1000) / 1000 - 0.5;
  return out;
}

/** A golden token-id list zero-padded to the context, int64. */
function paddedIds(rows: readonly number[][]): BigInt64Array {
  const out = new BigInt64Array(rows.length * 77);
  rows.forEach((ids, r) => ids.forEach((v, j) => (out[r * 77 + j] = BigInt(v))));
  return out;
}

const models: Partial<Record<'image' | 'text', ModelHandle>> = {};
let work = '';
/** golden `video` (media-cut:… / generated:…) → path of the rebuilt file. */
const videoPaths = new Map<string, string>();

before(async () => {
  for (const key of ['image', 'text'] as const) {
    const m = golden.models[key];
    const path = fixtureModelFile(join(root, m.file));
    assert.equal(sha256Of(path), m.sha256, `${m.file} is not the file the golden was made with`);
    const files = key === 'text' ? { [CLIP_VIT_B32_TEXT.preprocess.tokenizer.file]: STYLE_TOKENIZER } : undefined;
    models[key] = { id: m.contract, sha256: m.sha256, session: await ort.InferenceSession.create(path), ...(files ? { files } : {}) };
  }
  work = mkdtempSync(join(tmpdir(), 'genbench-appearance-style-'));
  for (const [video, path] of await rebuildGoldenVideos(work, golden.entries.flatMap((e) => e.videos))) videoPaths.set(video, path);
});

after(async () => {
  for (const m of Object.values(models)) await m?.session.release();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('(a) tiny CLIP B/32 towers: onnxruntime-node matches torch (image_embeds, text_embeds, logit_scale)', async () => {
  assert.deepEqual(golden.model_checks.checks.map((c) => c.model), ['image', 'text']);
  for (const c of golden.model_checks.checks) {
    const { session } = models[c.model]!;
    const n = c.shape.reduce((a, b) => a * b, 1);
    const feed =
      c.model === 'image'
        ? new ort.Tensor('float32', checkInput(n), c.shape)
        : new ort.Tensor('int64', paddedIds(golden.styles.map((s) => s.token_ids)), c.shape);
    const out = await session.run({ [c.input_name]: feed });
    const t = out[c.output_name]!;
    assert.deepEqual(t.dims, [c.shape[0], c.output[0]!.length]);
    let maxAbs = 0;
    c.output.flat().forEach((v, i) => (maxAbs = Math.max(maxAbs, Math.abs((t.data as Float32Array)[i]! - v))));
    process.stdout.write(`# ${c.model} ${c.output_name}: ORT vs torch max |Δ| ${maxAbs.toExponential(3)}\n`);
    assert.ok(maxAbs <= TOLERANCE, `${c.model}: max |Δ| ${maxAbs}`);
    if (c.model === 'text') {
      const scale = (out['logit_scale']!.data as Float32Array)[0]!;
      assert.deepEqual(out['logit_scale']!.dims, []);
      assert.equal(scale, c.logit_scale, 'exp(logit_scale) exactly as torch gives it');
    }
  }
});

test('(b) the fixture tokenizer gives the official clip.tokenize ids of the nine style phrases', { skip: upstreamTextSkip.vbench }, () => {
  const tables = upstreamTables();
  const tok = loadClipTokenizer(STYLE_TOKENIZER);
  assert.equal(golden.styles.length, 9);
  for (const s of expandUpstreamText(golden.styles, tables)) {
    const row = strictClipTokens(tok, s.style);
    assert.deepEqual(Array.from(row), [...s.token_ids, ...new Array(77 - s.token_ids.length).fill(0)], s.style);
  }
  for (const e of expandUpstreamText(golden.entries, tables)) {
    assert.deepEqual(Array.from(strictClipTokens(tok, e.style)).filter((v) => v !== 0), e.token_ids, `entry ${e.full_info_index}`);
  }
});

test('(c) every frame value, video mean and cur_sim (fp32 logits / 100) within 1e-4 of the official ones', async () => {
  let worstFrame = 0;
  let worstVideo = 0;
  for (const e of golden.entries) {
    const { embeds, logitScale } = await encodeTextScaled(models.text!, paddedIds([e.token_ids]), 1, 77);
    const text = { unit: unitRowF32(embeds.data), logitScale };
    for (const v of e.videos) {
      const values: number[] = [];
      for await (const logit of frameTextLogits(models.image!, loadVideoFrames(videoPaths.get(v.video)!), text, 16)) values.push(logit / 100);
      assert.equal(values.length, v.frames, `${v.file}: frames`);
      values.forEach((x, i) => (worstFrame = Math.max(worstFrame, Math.abs(x - v.frame_results[i]!))));
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      worstVideo = Math.max(worstVideo, Math.abs(mean - v.video_results), Math.abs(values.at(-1)! - v.cur_sim));
    }
  }
  process.stdout.write(`# appearance_style typed API: worst frame |Δ| ${worstFrame.toExponential(3)}, worst video |Δ| ${worstVideo.toExponential(3)}\n`);
  assert.ok(worstFrame <= TOLERANCE, `frame |Δ| ${worstFrame}`);
  assert.ok(worstVideo <= TOLERANCE, `video |Δ| ${worstVideo}`);
});

/** `{{vbench-prompt:i}}` and `{{vbench-appearance-style:i}}` from the pinned VBench_full_info.json. */
function upstreamTables(): Record<string, string[]> {
  const info = JSON.parse(readUpstreamFile(VBENCH_FULL_INFO)) as { prompt_en: string; auxiliary_info?: { appearance_style?: { appearance_style: string } } }[];
  return {
    'vbench-prompt': info.map((e) => e.prompt_en),
    'vbench-appearance-style': info.map((e) => e.auxiliary_info?.appearance_style?.appearance_style ?? ''),
  };
}

test('(d) the dimension (logits=fp32) on the standard-mode videos: per-video values, frame-weighted score and the official results entry', { skip: upstreamTextSkip.vbench }, async () => {
  const tables = upstreamTables();
  const info = JSON.parse(readUpstreamFile(VBENCH_FULL_INFO)) as { prompt_en: string; auxiliary_info?: Record<string, unknown> }[];
  const entries = expandUpstreamText(golden.entries, tables);
  const dim = appearanceStyle.create({ logits: 'fp32' });
  assert.equal(dim.settings['logits'], 'fp32');
  const ctx: DimensionContext<ModelHandle> = {
    models: { get: async (id) => (id === 'clip-vit-b32-image' ? models.image! : id === 'clip-vit-b32-text' ? models.text! : assert.fail(`no model ${id}`)) },
    log() {},
    device: 'cpu',
  };
  const dir = join(work, 'videos');
  mkdirSync(dir, { recursive: true });
  const records: SampleRecord[] = [];
  let worst = 0;
  for (const e of entries) {
    const entry = info[e.full_info_index]!;
    assert.equal(entry.prompt_en, e.prompt);
    for (const v of e.videos) {
      const path = join(dir, v.file);
      copyFileSync(videoPaths.get(v.video)!, path);
      const sample: SampleRef = { id: v.file, path, prompt: e.prompt, index: Number(/-(\d+)\.mp4$/.exec(v.file)![1]), contentSha256: v.sha256, auxiliary: entry.auxiliary_info! };
      const r = await dim.scoreSample(sample, ctx);
      const official = r.extra!['official'] as { frame_results: number[]; cur_sim: number };
      assert.equal(r.extra!['frames'], v.frames);
      assert.equal(r.extra!['style'], e.style);
      assert.equal(official.frame_results.length, v.frames);
      const d = Math.max(Math.abs((r.value as number) - v.video_results), Math.abs(official.cur_sim - v.cur_sim), ...official.frame_results.map((x, i) => Math.abs(x - v.frame_results[i]!)));
      process.stdout.write(`# ${v.file.slice(0, 24)}… (${v.frames} frames): ${r.value} vs ${v.video_results}, max |Δ| ${d.toExponential(3)}\n`);
      worst = Math.max(worst, d);
      records.push({ key: v.file, dimension: dim.id, sample: v.file, path: `VIDEOS/${v.file}`, prompt: e.prompt, contentSha256: v.sha256, ok: true, value: r.value, extra: r.extra, at: new Date(0).toISOString() });
    }
  }
  assert.ok(worst <= TOLERANCE, `per-video |Δ| ${worst}`);
  const score = dim.aggregate(records);
  const d = Math.abs(score - golden.score);
  process.stdout.write(`# appearance_style score ${score} vs official ${golden.score}: |Δ| ${d.toExponential(3)} over ${golden.frames_total} frames\n`);
  assert.ok(d <= TOLERANCE, `score |Δ| ${d}`);
  // The vbench_eval_results.json entry: the same fields, in the same order, as the official file.
  const ours = vbenchEvalResults({ appearance_style: { score, records } }).appearance_style;
  const theirs = expandUpstreamText(golden.official_eval_results, tables).appearance_style;
  assert.equal(Math.abs(ours[0] - theirs[0]) <= TOLERANCE, true);
  assert.deepEqual(ours[1].map((x) => Object.keys(x)), theirs[1].map((x) => Object.keys(x)));
  assert.deepEqual(ours[1].map((x) => x.video_path), theirs[1].map((x) => x.video_path));
});

test('(e) the score is frame-weighted: Σ frame values / Σ frames, not the mean of the video means nor of the last frames', () => {
  const rec = (sample: string, frames: number[]): SampleRecord => ({
    key: sample, dimension: 'appearance_style', sample, path: sample, prompt: '', contentSha256: '', ok: true,
    value: frames.reduce((a, b) => a + b, 0) / frames.length, extra: { frames: frames.length, official: { frame_results: frames, cur_sim: frames.at(-1) } }, at: '',
  });
  // Video A: 3 frames 0.1, 0.2, 0.3 (mean 0.2); video B: 1 frame 1.0. Frame-weighted: 1.6 / 4 = 0.4;
  // the mean of the video means would be 0.6, the multi-process last-frame mean (0.3 + 1.0) / 2 = 0.65.
  const records = [rec('a', [0.1, 0.2, 0.3]), rec('b', [1.0])];
  assert.equal(frameWeightedAggregate(records), (0.1 + 0.2 + 0.3 + 1.0) / 4);
  assert.ok(Math.abs(frameWeightedAggregate(records) - 0.4) < 1e-15);
  // An error record weighs nothing.
  assert.equal(frameWeightedAggregate([...records, { ...rec('c', [5]), ok: false }]), frameWeightedAggregate(records));
  // The golden's official score is frame-weighted too (its videos have 48, 24 and 1 frames).
  const videos = golden.entries.flatMap((e) => e.videos);
  const frameWeighted = videos.reduce((s, v) => s + v.frame_results.reduce((a, b) => a + b, 0), 0) / golden.frames_total;
  const videoMean = videos.reduce((s, v) => s + v.video_results, 0) / videos.length;
  assert.ok(Math.abs(frameWeighted - golden.score) < 1e-12);
  assert.ok(Math.abs(videoMean - golden.score) > 1e-3, 'the golden tells the two formulas apart');
});
