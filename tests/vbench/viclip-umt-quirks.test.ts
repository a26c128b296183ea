/**
 * temporal_style / overall_consistency (ViCLIP) and human_action (UMT): the official quirks and the
 * bad-input cases, each with values worked out here (not read from the code under test):
 *  - human_action's label from the file name (extension kept without "-", "_" and "-" cut, directories
 *    ignored), sigmoid (not softmax), top 5, Python's round(p, 4) >= 0.85, correct only when KEPT;
 *  - ViCLIP's tokenizer: openai/CLIP special tokens, truncation to 32 with the end token last;
 *  - the ViCLIP text-feature cache is per dimension instance and per text tower (the official
 *    process-wide cache keyed by prompt alone is NOT reproduced), and avoids re-encoding a prompt;
 *  - a prompt longer than the context is scored truncated and the record says so;
 *  - a video shorter than the frames needed repeats its last frame; an empty or corrupt file is an
 *    E_DECODE error record; human_action refuses names not ending in ".mp4"/".gif"; a label that is
 *    no Kinetics-400 class is scored not correct (as officially) and recorded;
 *  - the aggregates: numpy's pairwise mean; correct / videos.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as ort from 'onnxruntime-node';
import type { DimensionContext, SampleRecord, SampleRef } from '../../src/core/contracts.ts';
import { GenbenchError } from '../../src/core/errors.ts';
import { ffmpegPath } from '../../src/media/ffmpeg.ts';
import { readMiddleFrames } from '../../src/media/middle-frames.ts';
import { KINETICS_400_LABELS } from '../../src/metrics/umt/kinetics-400.ts';
import { isCorrect, labelFromFileName, pythonRound, topClasses } from '../../src/metrics/umt/postprocess.ts';
import { umtResizeSize } from '../../src/metrics/umt/processor.ts';
import { loadViclipTokenizer } from '../../src/metrics/viclip/tokenizer.ts';
import type { ModelHandle } from '../../src/runtime/model-handle.ts';
import { humanAction } from '../../src/suites/vbench/human-action.ts';
import { temporalStyle, viclipAggregate } from '../../src/suites/vbench/temporal-style.ts';
import { overallConsistency } from '../../src/suites/vbench/overall-consistency.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TOKENIZER = join(root, 'tests/fixtures/viclip-tokenizer-reduced.json');
const f32 = Math.fround;
const logit = (p: number) => Math.log(p / (1 - p));

let work = '';
let short3 = '';
before(() => {
  work = mkdtempSync(join(tmpdir(), 'genbench-viclip-umt-'));
  short3 = join(work, 'A person is marching-0.mp4');
  execFileSync(ffmpegPath(), ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=5', '-frames:v', '3', '-pix_fmt', 'yuv420p', short3]);
});
after(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test('human_action label from the file name, as split("/")[-1].lower().split("-")[0].split("person is ")[-1].split("_")[0]', () => {
  assert.equal(labelFromFileName('A person is riding a bike-0.mp4'), 'riding a bike');
  assert.equal(labelFromFileName('/videos/run-2/A person is Marching-4.mp4'), 'marching', 'only the last path part, lower-cased');
  assert.equal(labelFromFileName('A person is riding a bike.mp4'), 'riding a bike.mp4', 'no "-": the extension stays');
  assert.equal(labelFromFileName('A person is riding_a bike-1.mp4'), 'riding', '"_" cuts the label');
  assert.equal(labelFromFileName('Dancing ballet-3.mp4'), 'dancing ballet', 'no "person is ": everything before the first "-"');
  assert.equal(labelFromFileName('A person is doing a high-kick-0.mp4'), 'doing a high', 'a "-" inside the label cuts it');
});

test('human_action decision: sigmoid, top 5 (ties by index), round(p, 4) >= 0.85 on the fp32 probability', () => {
  assert.equal(pythonRound(0.84995000001, 4), 0.85);
  assert.equal(pythonRound(0.84994999999, 4), 0.8499);
  assert.equal(pythonRound(0.03125, 4), 0.0312, 'an exact tie rounds half to even (toFixed would give 0.0313)');
  const logits = new Float32Array(400).fill(-9);
  logits[7] = f32(logit(0.84997)); // kept: rounds to 0.85
  logits[3] = f32(logit(0.84993)); // not kept: rounds to 0.8499
  logits[100] = 3; // sigmoid 0.9526: kept (a softmax over 400 classes would give far below 0.85)
  logits[200] = 3; // tie with 100: the lower index first
  logits[300] = 0; // 0.5
  logits[5] = -1; // 6th: outside the top 5
  const top = topClasses(logits);
  assert.deepEqual(top.map((t) => t.index), [100, 200, 7, 3, 300]);
  assert.deepEqual(top.map((t) => t.rounded), [0.9526, 0.9526, 0.85, 0.8499, 0.5]);
  assert.deepEqual(top.map((t) => t.kept), [true, true, true, false, false]);
  assert.equal(top[0]!.probability, f32(1 / (1 + Math.exp(-3))));
  assert.equal(top[0]!.label, KINETICS_400_LABELS[100]);
  assert.equal(isCorrect(top, KINETICS_400_LABELS[7]!), true, 'kept at the rounding edge');
  assert.equal(isCorrect(top, KINETICS_400_LABELS[3]!), false, 'in the top 5 but not kept');
  assert.equal(isCorrect(top, KINETICS_400_LABELS[5]!), false, '6th');
});

test('UMT resize sizes: short side 256, long side truncated (functional.py get_resize_sizes)', () => {
  assert.deepEqual(umtResizeSize(480, 640, 256), [256, 341]);
  assert.deepEqual(umtResizeSize(176, 240, 256), [256, 349]);
  assert.deepEqual(umtResizeSize(640, 480, 256), [341, 256]);
  assert.deepEqual(umtResizeSize(300, 300, 256), [256, 256]);
});

test('ViCLIP tokenizer: openai/CLIP special tokens, truncation to 32 with the end token last', () => {
  const tok = loadViclipTokenizer(TOKENIZER);
  const special = [...tok.tokenize('a <|EndOfText|> b').ids].filter((x) => x !== 0);
  // start, "a", <|endoftext|> (any case: the text is lower-cased first) as the end id, "b", end
  assert.equal(special.length, 5);
  assert.deepEqual([special[0], special[2], special[4]], [49406, 49407, 49407]);
  const openClipStyle = [...tok.tokenize('<start_of_text>').ids].filter((x) => x !== 0);
  assert.equal(openClipStyle.filter((x) => x === 49406).length, 1, "open_clip's <start_of_text> is ordinary text for openai's tokenizer");
  assert.ok(openClipStyle.length > 3);
  const long = tok.tokenize(Array.from({ length: 40 }, () => 'snow').join(' '));
  assert.equal(long.length, 42);
  assert.equal(long.truncated, true);
  assert.equal(long.ids.length, 32);
  assert.equal(long.ids[0], 49406);
  assert.equal(long.ids[31], 49407);
  assert.ok(long.ids.slice(1, 31).every((x) => x === long.ids[1]), 'the first 30 words kept');
  const short = tok.tokenize('snow');
  assert.equal(short.truncated, false);
  assert.deepEqual([...short.ids.slice(3)], new Array(29).fill(0));
});

/** A fake tower: `run` answers a fixed embedding and counts its calls. */
function fakeModel(id: string, sha256: string, outName: string, embedding: number[], files?: Record<string, string>): ModelHandle & { calls: number } {
  const m = {
    id,
    sha256,
    calls: 0,
    ...(files ? { files } : {}),
    session: {
      async run(feeds: Record<string, ort.Tensor>) {
        m.calls++;
        const rows = Object.values(feeds)[0]!.dims[0]!;
        const data = new Float32Array(rows * embedding.length);
        for (let r = 0; r < rows; r++) data.set(embedding, r * embedding.length);
        return { [outName]: { type: 'float32', dims: [rows, embedding.length], data } };
      },
    },
  };
  return m as unknown as ModelHandle & { calls: number };
}

function ctxWith(models: Record<string, ModelHandle>, log: string[] = []): DimensionContext<ModelHandle> {
  return {
    models: {
      async get(id: string) {
        const h = models[id];
        if (!h) throw new Error(`no model ${id}`);
        return h;
      },
    },
    log: (m) => log.push(m),
    device: 'cpu',
  };
}

const sample = (path: string, prompt: string): SampleRef => ({ id: path.split('/').at(-1)!, path, prompt, contentSha256: '' });

test('ViCLIP text features: cached per dimension instance and text tower (two checkpoints in one process do not share them)', async () => {
  const video = fakeModel('viclip-l14-video', 'v', 'video_embeds', [1, 0, 0]);
  const textA = fakeModel('viclip-l14-text', 'A', 'text_embeds', [1, 0, 0], { 'viclip-l14-tokenizer.json': TOKENIZER });
  const textB = fakeModel('viclip-l14-text', 'B', 'text_embeds', [0, 3, 4], { 'viclip-l14-tokenizer.json': TOKENIZER });
  const dim = temporalStyle.create();
  const s = sample(short3, 'A person is marching');
  const a1 = await dim.scoreSample(s, ctxWith({ 'viclip-l14-video': video, 'viclip-l14-text': textA }));
  const a2 = await dim.scoreSample(s, ctxWith({ 'viclip-l14-video': video, 'viclip-l14-text': textA }));
  assert.equal(a1.value, 1);
  assert.equal(a2.value, 1);
  assert.equal(textA.calls, 1, 'one text run per prompt and tower');
  const b = await dim.scoreSample(s, ctxWith({ 'viclip-l14-video': video, 'viclip-l14-text': textB }));
  assert.equal(b.value, 0, 'the second tower\'s own text feature (0,0.6,0.8) · (1,0,0) = 0, not the first tower\'s');
  assert.equal(textB.calls, 1);
  // A second dimension instance (another run in the same process) encodes again.
  await overallConsistency.create().scoreSample(s, ctxWith({ 'viclip-l14-video': video, 'viclip-l14-text': textA }));
  assert.equal(textA.calls, 2);
});

test('ViCLIP: cosine of the normalised features (no logit scale); a 3-frame video gives 8 frames by repeating the last', async () => {
  const video = fakeModel('viclip-l14-video', 'v', 'video_embeds', [3, 4, 0]);
  const text = fakeModel('viclip-l14-text', 't', 'text_embeds', [4, 3, 0], { 'viclip-l14-tokenizer.json': TOKENIZER });
  const r = await temporalStyle.create().scoreSample(sample(short3, 'snow'), ctxWith({ 'viclip-l14-video': video, 'viclip-l14-text': text }));
  // (3,4,0)/5 · (4,3,0)/5 with each normalised component rounded to float32, the sum then rounded
  const [a, b] = [f32(3 / 5), f32(4 / 5)];
  assert.equal(r.value, f32(a * b + b * a));
  assert.ok(Math.abs((r.value as number) - 24 / 25) < 1e-7);
  assert.equal(r.extra?.['frames'], 3);
  assert.deepEqual(r.extra?.['frame_indices'], [0, 1, 2, 2, 2, 2, 2, 2]);
  assert.equal(r.extra?.['truncated'], false);
  assert.equal(r.extra?.['prompt_tokens'], 3);
  assert.equal(r.extra?.['truncation'], undefined);
});

test('a prompt longer than the text context is scored truncated, and the record says so', async () => {
  const video = fakeModel('viclip-l14-video', 'v', 'video_embeds', [1, 0]);
  const text = fakeModel('viclip-l14-text', 't', 'text_embeds', [1, 0], { 'viclip-l14-tokenizer.json': TOKENIZER });
  const prompt = Array.from({ length: 35 }, () => 'snow').join(' ');
  const r = await overallConsistency.create().scoreSample(sample(short3, prompt), ctxWith({ 'viclip-l14-video': video, 'viclip-l14-text': text }));
  assert.equal(r.extra?.['truncated'], true);
  assert.equal(r.extra?.['prompt_tokens'], 37);
  assert.match(String(r.extra?.['truncation']), /37 token ids, the text context 32/);
});

test('readMiddleFrames: 16 frames of a 3-frame video repeat the last; an empty or corrupt file is E_DECODE', async () => {
  const f = await readMiddleFrames(short3, 16);
  assert.equal(f.frameCount, 3);
  assert.deepEqual(f.indices, [0, 1, 2, ...new Array(13).fill(2)]);
  assert.equal(f.frames[15], f.frames[2], 'a repeated index is the same frame');
  const empty = join(work, 'empty-0.mp4');
  writeFileSync(empty, '');
  const corrupt = join(work, 'corrupt-0.mp4');
  writeFileSync(corrupt, Buffer.alloc(4096, 7));
  for (const p of [empty, corrupt]) {
    await assert.rejects(readMiddleFrames(p, 8), (e: unknown) => e instanceof GenbenchError && e.code === 'E_DECODE');
  }
});

test('human_action bad input: a non-Kinetics label is scored not correct and recorded; other names than .mp4/.gif are refused; an empty file is E_DECODE', async () => {
  const logits = new Float32Array(400).fill(-9);
  logits[1] = 5; // 'marching', sigmoid 0.9933: kept
  const umt = fakeModel('umt-vit-l16-k400', 'u', 'logits', [...logits]);
  const models = { 'umt-vit-l16-k400': umt };
  const dim = humanAction.create();
  const ok = await dim.scoreSample(sample(short3, 'A person is marching'), ctxWith(models));
  assert.equal(ok.value, true);
  assert.equal(ok.extra?.['label'], 'marching');
  assert.deepEqual((ok.extra?.['official'] as Record<string, unknown>), { cor_num_per_video: 1 });

  const typo = join(work, 'A person is marchng-0.mp4');
  execFileSync('cp', [short3, typo]);
  const log: string[] = [];
  const r = await dim.scoreSample(sample(typo, 'A person is marchng'), ctxWith(models, log));
  assert.equal(r.value, false);
  assert.equal(r.extra?.['label_is_class'], false);
  assert.match(String(r.extra?.['label_problem']), /"marchng" .* is not a Kinetics-400 class/);
  assert.equal(log.length, 1);

  const noIndex = join(work, 'A person is marching.mp4');
  execFileSync('cp', [short3, noIndex]);
  const r2 = await dim.scoreSample(sample(noIndex, 'A person is marching'), ctxWith(models));
  assert.equal(r2.extra?.['label'], 'marching.mp4');
  assert.equal(r2.value, false, 'the extension stays in the label, as officially: never correct');
  assert.match(String(r2.extra?.['label_problem']), /keeps the extension/);

  for (const name of ['A person is marching-0.avi', 'A person is marching-0.MP4']) {
    const p = join(work, name);
    execFileSync('cp', [short3, p]);
    await assert.rejects(dim.scoreSample(sample(p, 'A person is marching'), ctxWith(models)), (e: unknown) => e instanceof GenbenchError && e.code === 'E_INPUT');
  }
  const empty = join(work, 'A person is marching-1.mp4');
  writeFileSync(empty, '');
  await assert.rejects(dim.scoreSample(sample(empty, 'A person is marching'), ctxWith(models)), (e: unknown) => e instanceof GenbenchError && e.code === 'E_DECODE');
});

function rec(value: number | boolean, ok = true): SampleRecord {
  return { key: '', dimension: '', sample: '', path: '', prompt: '', contentSha256: '', ok, ...(ok ? { value } : { error: { code: 'E_DECODE', message: '' } }), at: '' };
}

test('aggregates: numpy pairwise mean of the cosines; correct videos / videos (error records left out)', () => {
  // 10 values: numpy sums 8 interleaved accumulators pairwise, then the last two left to right.
  const v = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1e16];
  const r = [0, 0, 0, 0, 0, 0, 0, 0];
  v.slice(0, 8).forEach((x, i) => (r[i] += x));
  const pairwise = (r[0]! + r[1]!) + (r[2]! + r[3]!) + ((r[4]! + r[5]!) + (r[6]! + r[7]!)) + v[8]! + v[9]!;
  assert.equal(viclipAggregate([...v.map((x) => rec(x)), rec(0, false)]), pairwise / 10);
  assert.equal(humanAction.create().aggregate([rec(true), rec(false), rec(true), rec(false, false)]), 2 / 3);
});
