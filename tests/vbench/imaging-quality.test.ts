/**
 * VBench imaging_quality (src/suites/vbench/imaging-quality.ts, src/metrics/musiq/processor.ts) against the
 * official code: tests/golden/vbench-imaging-quality.json, made by
 * tools/parity/musiq_imaging_quality_golden.py (official vbench/imaging_quality.py technical_quality
 * + official pyiqa MUSIQ with reduced random weights; the same weights are
 * tests/fixtures/models/musiq-tiny.onnx, contract `patches` [B,N,3075] → `score` [B,1]).
 *
 * 1. hand-checked preprocessing sizes, hash positions, paddings and masks;
 * 2. our multiscale patches vs the official get_multiscale_patches on deterministic images;
 * 3. onnxruntime-node vs the torch forward (`model_checks`: official forward on images, our
 *    preprocessing + ORT; `packed_checks`: packed tokens straight into the contract);
 * 4. end to end: our dimension on the golden's videos (first N frames, as the golden's decord
 *    stand-in fed the official loop) vs the official per-frame MOS, video_results and score. The
 *    `media:` videos are the project's generated media stand-ins (tools/fixtures/media-stand-ins.ts).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import { ffmpegPath } from '../../src/media/ffmpeg.ts';
import { planarTensor } from '../../src/media/image.ts';
import type { SampleRecord } from '../../src/core/contracts.ts';
import type { ModelDimensionContext as DimensionContext } from '../../src/suites/types.ts';
import { mediaPath } from '../helpers/golden-inputs.ts';
import { createImagingQualityDimension, imagingQualityAggregate } from '../../src/suites/vbench/imaging-quality.ts';
import { musiqScore } from '../../src/metrics/musiq/model.ts';
import {
  hashedSpatialPositions,
  imagingQualityResizeSize,
  MUSIQ_TOKEN_DIM,
  musiqMaxSeqLen,
  musiqPatches,
  musiqScaleSize,
  musiqTokenCount,
  nearestGridIndex,
  samePatchPadding,
} from '../../src/metrics/musiq/processor.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const MODEL = join(ROOT, 'tests/fixtures/models/musiq-tiny.onnx');
const TOLERANCE = 1e-4;

interface GoldenVideo {
  video: string;
  made?: string[];
  sha256: string;
  frames_used: number;
  source_hw: [number, number];
  model_input_hw: [number, number];
  per_frame_mos: number[];
  video_results: number;
}
interface PreprocessCheck {
  h: number;
  w: number;
  tokens: number;
  spatial: number[];
  scale: number[];
  mask: number[];
  token_sum: number[];
  token_sumsq: number[];
  first_token: number[];
}
interface Golden {
  model: { sha256: string };
  preprocess_checks: PreprocessCheck[];
  model_checks: { h: number; w: number; tokens: number; score: number }[];
  packed_checks: { tokens: number; score: number }[];
  videos: GoldenVideo[];
  dimension_score: number;
}
const golden = JSON.parse(readFileSync(join(ROOT, 'tests/golden/vbench-imaging-quality.json'), 'utf8')) as Golden;

/** The golden's deterministic image in [0,1]: ((i*7919) % 1000)/1000 at flat index i, float64 → float32. */
function checkImage(h: number, w: number) {
  const x = planarTensor(3, h, w);
  for (let i = 0; i < x.data.length; i++) x.data[i] = ((i * 7919) % 1000) / 1000;
  return x;
}

/** The golden's packed tokens (`packed_check_input`). */
function checkPacked(n: number): Float32Array {
  const x = new Float32Array(n * MUSIQ_TOKEN_DIM);
  for (let t = 0; t < n; t++) {
    const base = t * MUSIQ_TOKEN_DIM;
    for (let j = 0; j < 3072; j++) x[base + j] = (((t * 3072 + j) * 7919) % 2001) / 1000 - 1;
    x[base + 3072] = t % 100;
    x[base + 3073] = t % 3;
    x[base + 3074] = t % 7 === 6 ? 0 : 1;
  }
  return x;
}

describe('imaging_quality preprocessing (hand-checked)', () => {
  test("transform 'longer': new size (int(512/max·H), int(512/max·W)); the long side can be 511", () => {
    assert.deepEqual(imagingQualityResizeSize(480, 640, 'longer'), [384, 512]);
    assert.deepEqual(imagingQualityResizeSize(362, 644, 'longer'), [287, 511]);
    assert.deepEqual(imagingQualityResizeSize(720, 1280, 'longer'), [288, 512]);
    assert.deepEqual(imagingQualityResizeSize(480, 848, 'longer'), [289, 512]);
    assert.deepEqual(imagingQualityResizeSize(480, 854, 'longer'), [287, 512]);
    assert.deepEqual(imagingQualityResizeSize(480, 720, 'longer'), [341, 512]);
    assert.deepEqual(imagingQualityResizeSize(1080, 1920, 'longer'), [288, 512]);
    for (const long of [561, 569, 644, 685, 691, 694, 725]) assert.deepEqual(imagingQualityResizeSize(100, long, 'longer')![1], 511);
    assert.equal(imagingQualityResizeSize(512, 512, 'longer'), null);
    assert.equal(imagingQualityResizeSize(180, 320, 'longer'), null);
    assert.deepEqual(imagingQualityResizeSize(1080, 1920, 'shorter'), [512, 910]);
    assert.equal(imagingQualityResizeSize(480, 1920, 'shorter'), null);
    assert.equal(imagingQualityResizeSize(4000, 4000, 'None'), null);
  });

  test('MUSIQ scale sizes: round(side·L/max) half to even', () => {
    assert.deepEqual(musiqScaleSize(384, 512, 224), [168, 224]);
    assert.deepEqual(musiqScaleSize(384, 512, 384), [288, 384]);
    assert.deepEqual(musiqScaleSize(287, 511, 224), [126, 224]);
    assert.deepEqual(musiqScaleSize(287, 511, 384), [216, 384]);
    assert.deepEqual(musiqScaleSize(180, 320, 384), [216, 384]); // upsampled
    assert.deepEqual(musiqScaleSize(3, 448, 224), [2, 224]); // 1.5 → 2
    assert.deepEqual(musiqScaleSize(5, 448, 224), [2, 224]); // 2.5 → 2
    assert.equal(musiqMaxSeqLen(224), 49);
    assert.equal(musiqMaxSeqLen(384), 144);
    assert.equal(musiqTokenCount(288, 512), 49 + 144 + 9 * 16);
    assert.equal(musiqTokenCount(287, 511), 49 + 144 + 9 * 16);
    assert.equal(musiqTokenCount(384, 512), 49 + 144 + 12 * 16);
  });

  test('TF SAME patch padding: [count, before, after]', () => {
    assert.deepEqual(samePatchPadding(287), [9, 0, 1]);
    assert.deepEqual(samePatchPadding(511), [16, 0, 1]);
    assert.deepEqual(samePatchPadding(126), [4, 1, 1]);
    assert.deepEqual(samePatchPadding(50), [2, 7, 7]);
    assert.deepEqual(samePatchPadding(33), [2, 15, 16]);
    assert.deepEqual(samePatchPadding(224), [7, 0, 0]);
  });

  test('hashed spatial positions: PyTorch nearest of arange(10)', () => {
    const grid = (n: number) => Array.from({ length: n }, (_, i) => nearestGridIndex(i, n));
    assert.deepEqual(grid(2), [0, 5]);
    assert.deepEqual(grid(3), [0, 3, 6]);
    assert.deepEqual(grid(7), [0, 1, 2, 4, 5, 7, 8]);
    assert.deepEqual(grid(13), [0, 0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9]);
    assert.deepEqual(grid(16), [0, 0, 1, 1, 2, 3, 3, 4, 5, 5, 6, 6, 7, 8, 8, 9]);
    assert.deepEqual(grid(10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual([...hashedSpatialPositions(2, 3)], [0, 3, 6, 50, 53, 56]);
  });

  test('token layout of a 288x512 frame: 224 scale 4x7 patches + 21 padding rows, 384 scale 7x12 + 60, original 9x16', () => {
    const { data, tokens } = musiqPatches(checkImage(288, 512));
    assert.equal(tokens, 337);
    const meta = (t: number) => [...data.subarray((t + 1) * MUSIQ_TOKEN_DIM - 3, (t + 1) * MUSIQ_TOKEN_DIM)];
    const mask = Array.from({ length: tokens }, (_, t) => meta(t)[2]);
    assert.deepEqual(mask.slice(0, 49), [...Array(28).fill(1), ...Array(21).fill(0)]);
    assert.deepEqual(mask.slice(49, 193), [...Array(84).fill(1), ...Array(60).fill(0)]);
    assert.deepEqual(mask.slice(193), Array(144).fill(1));
    assert.deepEqual(meta(27), [hashedSpatialPositions(4, 7)[27]!, 0, 1]);
    assert.deepEqual(meta(49 + 83), [hashedSpatialPositions(7, 12)[83]!, 1, 1]);
    assert.deepEqual(meta(336), [89, 2, 1]); // 9 rows: floor(8·10/9) = 8; 16 columns: 9
    // padding rows are all zero
    assert.ok(data.subarray(28 * MUSIQ_TOKEN_DIM, 49 * MUSIQ_TOKEN_DIM).every((v) => v === 0));
    // original scale, first token = top-left 32x32 block of (x − 0.5)·2 (no padding: 288 and 512 are multiples of 32)
    const base = 193 * MUSIQ_TOKEN_DIM;
    assert.equal(data[base + 0], Math.fround(Math.fround(0 - 0.5) * 2));
    assert.equal(data[base + 1], Math.fround(Math.fround(Math.fround(0.919) - 0.5) * 2)); // i=1: 7919 % 1000
    assert.equal(data[base + 32], Math.fround(Math.fround(Math.fround(((512 * 7919) % 1000) / 1000) - 0.5) * 2)); // row 1, col 0
  });
});

describe('imaging_quality preprocessing vs the official get_multiscale_patches', () => {
  for (const c of golden.preprocess_checks) {
    // Bicubic is within a few float32 ulps of torch's (src/media/resize/torch-interpolate.ts), so a
    // patch sum may drift by ~1e-6 relative where the errors share a sign (e.g. a constant 1x1 image).
    test(`${c.h}x${c.w}: tokens, positions, scales, masks exact; patch sums within 1e-3 + 2e-6·|sum|`, () => {
      const { data, tokens } = musiqPatches(checkImage(c.h, c.w));
      assert.equal(tokens, c.tokens);
      let worst = 0;
      for (let t = 0; t < tokens; t++) {
        const base = t * MUSIQ_TOKEN_DIM;
        assert.equal(data[base + 3072], c.spatial[t], `spatial ${t}`);
        assert.equal(data[base + 3073], c.scale[t], `scale ${t}`);
        assert.equal(data[base + 3074], c.mask[t], `mask ${t}`);
        let s = 0;
        let s2 = 0;
        for (let j = 0; j < 3072; j++) {
          s += data[base + j]!;
          s2 += data[base + j]! * data[base + j]!;
        }
        const over = (got: number, ref: number) => Math.abs(got - ref) - (1e-3 + 2e-6 * Math.abs(ref));
        worst = Math.max(worst, over(s, c.token_sum[t]!), over(s2, c.token_sumsq[t]!));
      }
      assert.ok(worst <= 0, `patch sums exceed the tolerance by ${worst}`);
      c.first_token.forEach((v, j) => assert.ok(Math.abs(data[j]! - v) <= 1e-5, `first token value ${j}`));
    });
  }
});

describe('musiq-tiny.onnx in onnxruntime-node vs torch', () => {
  let session: ort.InferenceSession;
  before(async () => {
    session = await ort.InferenceSession.create(MODEL);
  });
  after(async () => {
    await session.release();
  });

  test('the ONNX fixture is the one the golden was made with; contract names', () => {
    assert.equal(createHash('sha256').update(readFileSync(MODEL)).digest('hex'), golden.model.sha256);
    assert.deepEqual([...session.inputNames], ['patches']);
    assert.deepEqual([...session.outputNames], ['score']);
  });

  test('model_checks: our preprocessing + ORT vs the official forward on images, within 1e-4', async () => {
    let worst = 0;
    for (const c of golden.model_checks) {
      const x = checkImage(c.h, c.w);
      assert.equal(musiqPatches(x).tokens, c.tokens);
      const got = await musiqScore(session, x);
      worst = Math.max(worst, Math.abs(got - c.score));
      assert.ok(Math.abs(got - c.score) <= TOLERANCE, `${c.h}x${c.w}: ${got} vs ${c.score}`);
    }
    process.stdout.write(`# MUSIQ model_checks max |Δ| ${worst.toExponential(3)}\n`);
  });

  test('packed_checks: packed tokens straight into the contract (dynamic N, masked tokens), within 1e-4', async () => {
    for (const c of golden.packed_checks) {
      const out = await session.run({ patches: new ort.Tensor('float32', checkPacked(c.tokens), [1, c.tokens, MUSIQ_TOKEN_DIM]) });
      assert.deepEqual(out['score']!.dims, [1, 1]);
      const got = (out['score']!.data as Float32Array)[0]!;
      assert.ok(Math.abs(got - c.score) <= TOLERANCE, `${c.tokens} tokens: ${got} vs ${c.score}`);
    }
  });
});

describe('imaging_quality end to end vs the official technical_quality', () => {
  let dir: string;
  let session: ort.InferenceSession;
  const paths = new Map<string, string>();
  before(async () => {
    session = await ort.InferenceSession.create(MODEL);
    dir = mkdtempSync(join(tmpdir(), 'genbench-iq-'));
    for (const v of golden.videos) {
      if (v.video.startsWith('media:')) {
        paths.set(v.video, await mediaPath(v.video.slice('media:'.length)));
      } else {
        const made = v.made!;
        const path = join(dir, made[made.length - 1]!);
        await run(ffmpegPath(), [...made.slice(1, -1), path]);
        paths.set(v.video, path);
      }
    }
  });
  after(async () => {
    await session.release();
    rmSync(dir, { recursive: true, force: true });
  });

  test('per-frame MOS and video_results within 1e-4, dimension score', async () => {
    const frames = Math.max(...golden.videos.map((v) => v.frames_used));
    const dim = createImagingQualityDimension({ firstFrames: frames });
    assert.equal(dim.id, 'imaging_quality');
    assert.deepEqual(dim.models, ['musiq-spaq']);
    const ctx: DimensionContext = {
      models: { get: async (id) => ({ id, sha256: '', session }) },
      log: () => {},
      device: 'cpu',
    };
    const records: SampleRecord[] = [];
    let worst = 0;
    for (const v of golden.videos) {
      const path = paths.get(v.video)!;
      assert.equal(createHash('sha256').update(readFileSync(path)).digest('hex'), v.sha256, `${v.video} bytes`);
      const r = await dim.scoreSample({ id: v.video, path, prompt: '', contentSha256: v.sha256 }, ctx);
      const perFrame = r.extra!['frame_mos'] as number[];
      assert.equal(perFrame.length, v.frames_used, v.video);
      perFrame.forEach((m, i) => assert.ok(Math.abs(m - v.per_frame_mos[i]!) <= TOLERANCE, `${v.video} frame ${i}: ${m} vs ${v.per_frame_mos[i]}`));
      const d = Math.abs((r.value as number) - v.video_results);
      worst = Math.max(worst, d);
      assert.ok(d <= TOLERANCE, `${v.video}: ${r.value} vs ${v.video_results}`);
      records.push({ key: v.video, dimension: dim.id, sample: v.video, path, prompt: '', contentSha256: v.sha256, ok: true, value: r.value, at: '' });
    }
    const score = dim.aggregate(records);
    assert.ok(Math.abs(score - golden.dimension_score) <= TOLERANCE / 100, `${score} vs ${golden.dimension_score}`);
    process.stdout.write(`# imaging_quality video_results max |Δ| ${worst.toExponential(3)}; score ${score} vs ${golden.dimension_score}\n`);
  });

  test('videos with at most N frames: the unlimited dimension gives the same value (all frames)', async () => {
    const dim = createImagingQualityDimension();
    const ctx: DimensionContext = { models: { get: async (id) => ({ id, sha256: '', session }) }, log: () => {}, device: 'cpu' };
    const v = golden.videos.find((g) => g.made && g.frames_used < 12)!;
    const r = await dim.scoreSample({ id: v.video, path: paths.get(v.video)!, prompt: '', contentSha256: v.sha256 }, ctx);
    assert.equal(r.extra!['frames'], v.frames_used);
    assert.ok(Math.abs((r.value as number) - v.video_results) <= TOLERANCE);
  });

  test('aggregate: mean of video_results / 100 over successful records', () => {
    const rec = (value: number, ok = true): SampleRecord => ({ key: '', dimension: '', sample: '', path: '', prompt: '', contentSha256: '', ok, value, at: '' });
    assert.equal(imagingQualityAggregate([rec(40), rec(60), rec(99, false)]), 0.5);
  });
});
