/**
 * VBench background_consistency and aesthetic_quality end to end against the OFFICIAL code
 * (tests/golden/vbench-clip-dims.json, made by tools/parity/clip_consistency_aesthetic_golden.py):
 * reduced random-weight CLIP image towers built with openai/CLIP's VisionTransformer, a random
 * LAION-style linear head, the official per-video loops of vbench/background_consistency.py and
 * vbench/aesthetic_quality.py in fp32 (CPU path: clip.load calls model.float()).
 *
 * (a) onnxruntime-node on the tiny ONNX fixtures reproduces the torch outputs (`model_checks`).
 * (b) our dimensions (background_consistency with `cosine: 'fp32'`, aesthetic_quality) score the
 *     same videos: per-video values and the dimension aggregates within 1e-4 of the official ones.
 *
 * The videos are rebuilt here exactly as the golden script made them (the first 48 frames of two
 * of the project's media stand-ins, tools/fixtures/media-stand-ins.ts, re-encoded with the pinned
 * static ffmpeg, argument lists taken from the golden, and two tools/fixtures/make-sample-videos.ts
 * recipes); their sha256 must match.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import { createBackgroundConsistencyDimension } from '../../src/suites/vbench/background-consistency.ts';
import { createAestheticQualityDimension } from '../../src/suites/vbench/aesthetic-quality.ts';
import type { SampleRecord, SampleResult } from '../../src/core/contracts.ts';
import type { ModelDimensionContext as DimensionContext } from '../../src/suites/types.ts';
import type { ModelHandle } from '../../src/runtime/model-handle.ts';
import { ffmpegPath } from '../../src/media/ffmpeg.ts';
import { makeSampleVideos, SAMPLE_VIDEO_RECIPES } from '../../tools/fixtures/make-sample-videos.ts';
import { mediaStandIns } from '../../tools/fixtures/media-stand-ins.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const TOLERANCE = 1e-4;

interface GoldenModel {
  contract: string;
  file: string;
  sha256: string;
}
interface ModelCheck {
  model: string;
  input_name: string;
  shape: number[];
  output_name: string;
  output: number[][];
}
interface GoldenVideo {
  video: string;
  sha256: string;
  made: { source?: string; source_sha256?: string; ffmpeg_args?: string[]; file?: string };
  frames: number;
  background: { video_results: number; video_sim: number; cnt_per_video: number };
  aesthetic: { video_results: number };
}
interface Golden {
  models: Record<string, GoldenModel>;
  model_checks: { checks: ModelCheck[] };
  videos: GoldenVideo[];
  background_score: number;
  aesthetic_score: number;
}
const golden = JSON.parse(readFileSync(`${root}tests/golden/vbench-clip-dims.json`, 'utf8')) as Golden;

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** ((i*7919) % 1000)/1000 - 0.5 at flat index i, rounded to float32. */
function checkInput(n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * 7919) % 1000) / 1000 - 0.5;
  return out;
}

const sessions = new Map<string, ModelHandle>();
let work = '';
const videoPaths = new Map<string, string>();

before(async () => {
  for (const [name, m] of Object.entries(golden.models)) {
    const path = join(root, m.file);
    assert.equal(sha256(path), m.sha256, `${m.file} is not the file the golden was made with`);
    sessions.set(m.contract, { id: m.contract, sha256: m.sha256, session: await ort.InferenceSession.create(path) });
    sessions.set(name, sessions.get(m.contract)!);
  }
  work = mkdtempSync(join(tmpdir(), 'genbench-clip-dims-'));
  const generated = golden.videos.filter((v) => v.made.file).map((v) => v.made.file!);
  const recipes = SAMPLE_VIDEO_RECIPES.filter((r) => generated.includes(r.file));
  assert.equal(recipes.length, generated.length, 'every generated golden video has a recipe');
  for (const made of await makeSampleVideos(work, recipes)) videoPaths.set(`generated:${made.file}`, made.path);
  const media = await mediaStandIns();
  for (const v of golden.videos.filter((x) => x.made.ffmpeg_args)) {
    const out = join(work, v.video.replace(/^media-cut:/, ''));
    const source = media.get(v.made.source!);
    assert.ok(source, `${v.video}: no media stand-in ${v.made.source}`);
    assert.equal(source.sha256, v.made.source_sha256, `${v.video}: the media stand-in ${v.made.source} differs from the one the golden was made with`);
    const src = source.path;
    await run(ffmpegPath(), v.made.ffmpeg_args!.map((a) => a.replace('{in}', src).replace('{out}', out)), { maxBuffer: 16 << 20 });
    videoPaths.set(v.video, out);
  }
  for (const v of golden.videos) {
    const p = videoPaths.get(v.video);
    assert.ok(p, `${v.video} was made`);
    assert.equal(sha256(p), v.sha256, `${v.video}: the rebuilt video differs from the one the golden was made with`);
  }
});

after(async () => {
  for (const h of new Set(sessions.values())) await h.session.release();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('tiny CLIP towers and LAION head: onnxruntime-node matches torch within 1e-4', async () => {
  assert.equal(golden.model_checks.checks.length, 3);
  for (const c of golden.model_checks.checks) {
    const { session } = sessions.get(c.model)!;
    assert.deepEqual([...session.inputNames], [c.input_name]);
    assert.deepEqual([...session.outputNames], [c.output_name]);
    const n = c.shape.reduce((a, b) => a * b, 1);
    const out = (await session.run({ [c.input_name]: new ort.Tensor('float32', checkInput(n), c.shape) }))[c.output_name]!;
    assert.deepEqual(out.dims, [c.shape[0], c.output[0]!.length], `${c.model} output dims`);
    const data = out.data as Float32Array;
    let maxAbs = 0;
    c.output.flat().forEach((v, i) => (maxAbs = Math.max(maxAbs, Math.abs(data[i]! - v))));
    assert.ok(maxAbs <= TOLERANCE, `${c.model}: max |Δ| ${maxAbs}`);
    process.stdout.write(`# ${c.model}: ORT vs torch max |Δ| ${maxAbs.toExponential(3)}\n`);
  }
});

function record(dimension: string, video: string, r: SampleResult): SampleRecord {
  return {
    key: `${dimension}:${video}`,
    dimension,
    sample: video,
    path: videoPaths.get(video)!,
    prompt: '',
    contentSha256: '',
    ok: true,
    value: r.value,
    extra: r.extra,
    at: new Date(0).toISOString(),
  };
}

const ctx: DimensionContext = {
  models: {
    async get(id: string) {
      const h = sessions.get(id);
      if (!h) throw new Error(`no model ${id}`);
      return h;
    },
  },
  log() {},
  device: 'cpu',
};

test('background_consistency (fp32 cosines) matches the official per-video values and score within 1e-4', async () => {
  const dim = createBackgroundConsistencyDimension({ cosine: 'fp32' });
  const records: SampleRecord[] = [];
  let worst = 0;
  for (const v of golden.videos) {
    const r = await dim.scoreSample({ id: v.video, path: videoPaths.get(v.video)!, prompt: '', contentSha256: '' }, ctx);
    assert.equal(r.extra?.['cnt_per_video'], v.background.cnt_per_video, `${v.video} cnt_per_video`);
    assert.equal(r.extra?.['frames'], v.frames, `${v.video} frames`);
    const d = Math.abs((r.value as number) - v.background.video_results);
    const ds = Math.abs(Number(r.extra?.['video_sim']) - v.background.video_sim);
    process.stdout.write(`# background ${v.video}: ${r.value} vs ${v.background.video_results} |Δ| ${d.toExponential(3)}, video_sim |Δ| ${ds.toExponential(3)}\n`);
    assert.ok(d <= TOLERANCE, `${v.video}: |Δ| ${d}`);
    worst = Math.max(worst, d);
    records.push(record(dim.id, v.video, r));
  }
  const score = dim.aggregate(records);
  const d = Math.abs(score - golden.background_score);
  process.stdout.write(`# background_consistency: ${score} vs ${golden.background_score} |Δ| ${d.toExponential(3)} (worst video ${worst.toExponential(3)})\n`);
  assert.ok(d <= TOLERANCE, `aggregate |Δ| ${d}`);
});

test('aesthetic_quality matches the official per-video values and score within 1e-4', async () => {
  const dim = createAestheticQualityDimension();
  const records: SampleRecord[] = [];
  let worst = 0;
  for (const v of golden.videos) {
    const r = await dim.scoreSample({ id: v.video, path: videoPaths.get(v.video)!, prompt: '', contentSha256: '' }, ctx);
    assert.equal(r.extra?.['frames'], v.frames, `${v.video} frames`);
    const d = Math.abs((r.value as number) - v.aesthetic.video_results);
    process.stdout.write(`# aesthetic ${v.video}: ${r.value} vs ${v.aesthetic.video_results} |Δ| ${d.toExponential(3)}\n`);
    assert.ok(d <= TOLERANCE, `${v.video}: |Δ| ${d}`);
    worst = Math.max(worst, d);
    records.push(record(dim.id, v.video, r));
  }
  const score = dim.aggregate(records);
  const d = Math.abs(score - golden.aesthetic_score);
  process.stdout.write(`# aesthetic_quality: ${score} vs ${golden.aesthetic_score} |Δ| ${d.toExponential(3)} (worst video ${worst.toExponential(3)})\n`);
  assert.ok(d <= TOLERANCE, `aggregate |Δ| ${d}`);
});
