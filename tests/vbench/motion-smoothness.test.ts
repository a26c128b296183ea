/**
 * VBench motion_smoothness: the arithmetic on hand-computed inputs, the AMT ONNX fixture
 * (tests/fixtures/models/amt-tiny.onnx, the official AMT-S with random weights) against the
 * official torch forward (`model_checks`), and our dimension end to end against the official
 * motion_smoothness code run with the same weights (tests/golden/vbench-motion-smoothness.json,
 * made by tools/parity/amt_motion_smoothness_golden.py). The videos are regenerated here with the
 * project's ffmpeg from the command lines in the golden, and their sha256 checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import { isGenbenchError } from '../../src/core/errors.ts';
import { ffmpegPath } from '../../src/media/ffmpeg.ts';
import type { SampleRecord, SampleRef } from '../../src/core/contracts.ts';
import type { ModelHandle } from '../../src/runtime/model-handle.ts';
import { createMotionSmoothnessDimension } from '../../src/suites/vbench/motion-smoothness.ts';
import { absDiffSumUnpadded, aggregateVideoScores, frameRoles, pairMeanAbsDiff, videoScoreFromPairMeans } from '../../src/suites/vbench/motion-smoothness-math.ts';
import { padAmounts, paddedInputTensor, toUint8 } from '../../src/metrics/amt/processor.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const MODEL = `${root}tests/fixtures/models/amt-tiny.onnx`;
const TOLERANCE = 1e-4;

interface ModelCheck {
  batch: number;
  h: number;
  w: number;
  sum: number;
  max_abs: number;
  samples: [number, number][];
}
interface GoldenVideo {
  file: string;
  ffmpeg_args: string[];
  sha256: string;
  frames: number;
  width: number;
  height: number;
  pad_lrtb: number[];
  interpolated: number;
  video_results: number;
}
interface Golden {
  model: { sha256: string };
  model_checks: ModelCheck[];
  videos: GoldenVideo[];
  dimension_score: number;
}
const golden = JSON.parse(readFileSync(`${root}tests/golden/vbench-motion-smoothness.json`, 'utf8')) as Golden;

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

// ------------------------------------------------------------------------------------ arithmetic

test('padding amounts follow InputPadder(divisor 16): left/top get the smaller half', () => {
  assert.deepEqual(padAmounts(360, 640), { left: 0, right: 0, top: 4, bottom: 4, height: 368, width: 640 });
  assert.deepEqual(padAmounts(139, 245), { left: 5, right: 6, top: 2, bottom: 3, height: 144, width: 256 });
  assert.deepEqual(padAmounts(512, 512), { left: 0, right: 0, top: 0, bottom: 0, height: 512, width: 512 });
  assert.deepEqual(padAmounts(1, 17), { left: 7, right: 8, top: 7, bottom: 8, height: 16, width: 32 });
  for (const g of golden.videos) {
    const p = padAmounts(g.height, g.width);
    assert.deepEqual([p.left, p.right, p.top, p.bottom], g.pad_lrtb, g.file);
  }
});

test('frame roles: even frames are inputs, prediction k is compared with frame 2k+1', () => {
  assert.deepEqual(frameRoles(3), { inputs: [0, 2], pairs: [{ a: 0, b: 2, compare: 1 }] });
  const r14 = frameRoles(14);
  assert.deepEqual(r14.inputs, [0, 2, 4, 6, 8, 10, 12]);
  assert.deepEqual(r14.pairs.map((p) => p.compare), [1, 3, 5, 7, 9, 11]); // frame 13 is never used
  assert.equal(frameRoles(13).pairs.length, 6);
  assert.equal(frameRoles(2).pairs.length, 0);
  assert.equal(frameRoles(1).pairs.length, 0);
});

test('tensor2img: float32 x*255, clip, truncate (no rounding); NaN -> 0', () => {
  assert.equal(toUint8(0.5), 127); // 127.5 truncates
  assert.equal(toUint8(1), 255);
  assert.equal(toUint8(1.5), 255);
  assert.equal(toUint8(0), 0);
  assert.equal(toUint8(-0.25), 0);
  assert.equal(toUint8(Number.NaN), 0);
  assert.equal(toUint8(0.99999994), 254); // fround(254.99998) = 254.99998474…
  assert.equal(toUint8(2 / 255), 2); // (2/255 in float64) * 255 = 2 exactly in float32
  assert.equal(toUint8(Math.fround(3 / 255)), 3); // float32(3/255) * 255 rounds to 3 in float32
  assert.equal(toUint8(Math.fround(100 / 255)), 100);
});

test('padded input tensor: planar RGB /255 in float32 with replicate padding', () => {
  // 2 wide, 1 high: pixels (10,20,30) and (40,50,60); padded to 16x16: left 7, right 7, top 7, bottom 8.
  const rgb = Uint8Array.from([10, 20, 30, 40, 50, 60]);
  const pad = padAmounts(1, 2);
  assert.deepEqual(pad, { left: 7, right: 7, top: 7, bottom: 8, height: 16, width: 16 });
  const t = paddedInputTensor(rgb, 2, 1, pad);
  assert.equal(t.length, 3 * 256);
  const at = (c: number, y: number, x: number): number => t[c * 256 + y * 16 + x]!;
  for (let y = 0; y < 16; y++) {
    for (let x = 0; x < 16; x++) {
      const left = x <= 7;
      assert.equal(at(0, y, x), Math.fround((left ? 10 : 40) / 255));
      assert.equal(at(1, y, x), Math.fround((left ? 20 : 50) / 255));
      assert.equal(at(2, y, x), Math.fround((left ? 30 : 60) / 255));
    }
  }
});

test('per-pair |Δ| is taken over the unpadded region only, per-video score (255 - mean)/255', () => {
  // 1x2 frame padded to 16x16 (left 7, top 7); prediction planes hold v/255 at the frame's pixels, junk elsewhere.
  const pad = padAmounts(1, 2);
  const pred = new Float32Array(3 * 256).fill(0.9);
  const put = (c: number, x: number, v: number): void => {
    pred[c * 256 + 7 * 16 + 7 + x] = v;
  };
  put(0, 0, 0.5); // -> 127
  put(1, 0, 1.2); // -> 255
  put(2, 0, -1); // -> 0
  put(0, 1, Number.NaN); // -> 0
  put(1, 1, 0.2); // fround(0.2*255) = 51.000000… -> 51
  put(2, 1, 0.1); // fround(0.1*255) = 25.5 -> 25
  const rgb = Uint8Array.from([130, 250, 3, 7, 51, 20]);
  // |130-127| + |250-255| + |3-0| + |7-0| + |51-51| + |20-25| = 3 + 5 + 3 + 7 + 0 + 5 = 23
  assert.equal(absDiffSumUnpadded(rgb, 2, 1, pred, pad), 23);
  assert.equal(pairMeanAbsDiff(rgb, 2, 1, pred, pad), 23 / 6);
  assert.equal(videoScoreFromPairMeans([1, 2]), (255 - 1.5) / 255);
  assert.ok(Number.isNaN(videoScoreFromPairMeans([])));
  assert.equal(aggregateVideoScores([0.5, 0.75]), 0.625);
});

// ------------------------------------------------------------------------------------ ONNX fixture

/** ((i*7919) % 1000)/1000 at flat index i over img0 then img1, rounded to float32. */
function checkInputs(b: number, h: number, w: number): [Float32Array, Float32Array] {
  const n = b * 3 * h * w;
  const all = new Float32Array(2 * n);
  for (let i = 0; i < 2 * n; i++) all[i] = ((i * 7919) % 1000) / 1000;
  return [all.subarray(0, n), all.subarray(n)];
}

test('the ONNX fixture is the one the golden was made with', () => {
  assert.equal(sha256(MODEL), golden.model.sha256);
});

test('AMT fixture: onnxruntime-node matches the official torch forward within 1e-4', async () => {
  const session = await ort.InferenceSession.create(MODEL);
  try {
    assert.deepEqual([...session.inputNames], ['img0', 'img1', 'embt']);
    assert.deepEqual([...session.outputNames], ['imgt_pred']);
    let worst = 0;
    for (const c of golden.model_checks) {
      const [a, b] = checkInputs(c.batch, c.h, c.w);
      const dims = [c.batch, 3, c.h, c.w];
      const out = await session.run({
        img0: new ort.Tensor('float32', a, dims),
        img1: new ort.Tensor('float32', b, dims),
        embt: new ort.Tensor('float32', new Float32Array(c.batch).fill(0.5), [c.batch, 1, 1, 1]),
      });
      const y = out['imgt_pred']!;
      assert.deepEqual(y.dims, dims);
      const data = y.data as Float32Array;
      let sum = 0;
      let maxAbs = 0;
      for (const v of data) {
        sum += v;
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
      for (const [i, v] of c.samples) {
        const d = Math.abs(data[i]! - v);
        worst = Math.max(worst, d);
        assert.ok(d <= TOLERANCE, `${c.batch}x${c.h}x${c.w} [${i}]: ${data[i]} vs ${v}`);
      }
      assert.ok(Math.abs(maxAbs - c.max_abs) <= TOLERANCE, `max abs ${maxAbs} vs ${c.max_abs}`);
      assert.ok(Math.abs(sum - c.sum) / data.length <= 1e-6, `sum ${sum} vs ${c.sum}`);
    }
    process.stdout.write(`# AMT fixture max |Δ| over the sampled outputs: ${worst.toExponential(3)}\n`);
  } finally {
    await session.release();
  }
});

// ------------------------------------------------------------------------------------ end to end

test('motion_smoothness equals the official code per video and in aggregate (|Δ| ≤ 1e-4)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'genbench-amt-'));
  const session = await ort.InferenceSession.create(MODEL);
  try {
    const handle: ModelHandle = { id: 'amt-s', sha256: '', session };
    const ctx = { log: () => {}, device: 'cpu' as const, models: { get: async () => handle } };
    const dim = createMotionSmoothnessDimension();
    assert.equal(dim.id, 'motion_smoothness');
    assert.deepEqual(dim.models, ['amt-s']);
    assert.ok(golden.videos.length >= 3);
    const records: SampleRecord[] = [];
    let worst = 0;
    for (const g of golden.videos) {
      const path = join(dir, g.file);
      await run(ffmpegPath(), [...g.ffmpeg_args, path]);
      assert.equal(sha256(path), g.sha256, `${g.file}: regenerated bytes differ from the golden's (different ffmpeg?)`);
      const s: SampleRef = { id: g.file, path, prompt: g.file, contentSha256: g.sha256 };
      const r = await dim.scoreSample(s, ctx);
      assert.equal(r.extra?.['frames'], g.frames, `${g.file}: frames`);
      assert.equal(r.extra?.['pairs'], g.interpolated, `${g.file}: pairs`);
      const d = Math.abs((r.value as number) - g.video_results);
      worst = Math.max(worst, d);
      assert.ok(d <= TOLERANCE, `${g.file}: ours ${r.value}, official ${g.video_results}, |Δ| ${d}`);
      records.push({ key: g.file, dimension: dim.id, sample: g.file, path, prompt: g.file, contentSha256: g.sha256, ok: true, value: r.value, at: '' });
    }
    records.push({ key: 'x', dimension: dim.id, sample: 'x', path: 'x', prompt: 'x', contentSha256: '', ok: false, error: { code: 'E_INPUT', message: 'x' }, at: '' });
    const score = dim.aggregate(records);
    assert.ok(Math.abs(score - golden.dimension_score) <= TOLERANCE, `aggregate ${score} vs ${golden.dimension_score}`);
    process.stdout.write(`# motion_smoothness max per-video |Δ| ${worst.toExponential(3)}, aggregate |Δ| ${Math.abs(score - golden.dimension_score).toExponential(3)}\n`);

    // A 2-frame video fails the official assertion: an E_INPUT error record here.
    const short = join(dir, 'two-frames.mp4');
    const args = [...golden.videos[0]!.ffmpeg_args];
    args[args.indexOf('-frames:v') + 1] = '2';
    await run(ffmpegPath(), [...args, short]);
    await assert.rejects(dim.scoreSample({ id: 'short', path: short, prompt: 'x', contentSha256: '' }, ctx), (e) => isGenbenchError(e, 'E_INPUT'));
  } finally {
    await session.release();
    rmSync(dir, { recursive: true, force: true });
  }
});
