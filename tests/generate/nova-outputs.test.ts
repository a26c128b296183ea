import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeVideoFrames } from '../../src/media/video-decode.ts';
import { probeVideo } from '../../src/media/video-probe.ts';
import { readRgbImage } from '../../src/media/image-io.ts';
import { missingVbenchSamples, vbenchVideoName, writeVbenchVideo } from '../../src/generate/outputs/vbench-videos.ts';
import { genevalImagePath, missingGenevalSamples, writeGenevalImage, writeGenevalMetadata } from '../../src/generate/outputs/geneval-images.ts';
import { isGenbenchError } from '../../src/core/errors.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'genbench-nova-out-'));

/** Smooth colour ramps with a square moving one pixel per frame (codec-friendly, frames distinct). */
function frames(n: number, w: number, h: number): Uint8Array[] {
  return Array.from({ length: n }, (_, t) => {
    const f = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      const inSq = x >= 8 + t && x < 24 + t && y >= 10 && y < 26;
      f[o] = inSq ? 230 : (x * 255) / (w - 1);
      f[o + 1] = inSq ? 30 : (y * 255) / (h - 1);
      f[o + 2] = 128;
    }
    return f;
  });
}

test('VBench videos: {prompt}-{i}.mp4, 12 fps, decodes to the frames (lossy, close), resumable', async () => {
  const dir = tmp();
  try {
    const prompt = 'a red square drifting over a gradient';
    const [W, H, N] = [64, 48, 9];
    const input = frames(N, W, H);
    assert.deepEqual(missingVbenchSamples(dir, prompt, 2), [0, 1]);
    const path = await writeVbenchVideo(dir, prompt, 1, input, W, H, { fps: 12 });
    assert.equal(path, join(dir, `${prompt}-1.mp4`));
    assert.deepEqual(readdirSync(dir), [`${prompt}-1.mp4`], 'no partial file left behind');
    assert.deepEqual(missingVbenchSamples(dir, prompt, 2), [0]);
    const probe = await probeVideo(path);
    assert.equal(probe.fps, 12);
    assert.equal(probe.width, W);
    assert.equal(probe.height, H);
    let count = 0, sum = 0, max = 0;
    for await (const fr of decodeVideoFrames(path)) {
      const ref = input[fr.index]!;
      for (let i = 0; i < ref.length; i++) { const d = Math.abs(fr.data[i]! - ref[i]!); sum += d; max = Math.max(max, d); }
      count++;
    }
    assert.equal(count, N);
    const mean = sum / (N * W * H * 3);
    assert.ok(mean < 4, `mean |Δ| ${mean} after H.264 (CRF 25, yuv420p)`);
    // Same frames → same bytes (one x264 thread).
    const again = await writeVbenchVideo(dir, prompt, 0, input, W, H, { fps: 12 });
    assert.deepEqual(readFileSync(again), readFileSync(path));
    console.log(`mp4 round trip: mean |Δ| ${mean.toFixed(3)}, max ${max}, ${statSync(path).size} bytes`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('VBench names: prompts that cannot be file names are refused; odd sizes refused', async () => {
  assert.equal(vbenchVideoName('x y', 3), 'x y-3.mp4');
  assert.throws(() => vbenchVideoName('a/b', 0), (e: unknown) => isGenbenchError(e, 'E_INPUT'));
  assert.throws(() => vbenchVideoName('x'.repeat(260), 0), (e: unknown) => isGenbenchError(e, 'E_INPUT'));
  const dir = tmp();
  try {
    await assert.rejects(writeVbenchVideo(dir, 'p', 0, [new Uint8Array(5 * 4 * 3)], 5, 4, { fps: 12 }), (e: unknown) => isGenbenchError(e, 'E_INPUT') && /even/.test((e as Error).message));
    assert.deepEqual(readdirSync(dir), [], 'nothing written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GenEval layout: NNNNN/metadata.jsonl (json.dumps, no newline) and NNNNN/samples/NNNNN.png, lossless, resumable', async () => {
  const dir = tmp();
  try {
    const meta = { tag: 'single_object', include: [{ class: 'café', count: 1 }], prompt: 'a photo of a café' };
    const mp = writeGenevalMetadata(dir, 7, meta);
    assert.equal(mp, join(dir, '00007', 'metadata.jsonl'));
    assert.equal(readFileSync(mp, 'utf8'), '{"tag": "single_object", "include": [{"class": "caf\\u00e9", "count": 1}], "prompt": "a photo of a caf\\u00e9"}');
    assert.deepEqual(missingGenevalSamples(dir, 7, 4), [0, 1, 2, 3]);
    const img = frames(1, 40, 30)[0]!;
    const p = await writeGenevalImage(dir, 7, 2, img, 40, 30);
    assert.equal(p, genevalImagePath(dir, 7, 2));
    assert.ok(p.endsWith(join('00007', 'samples', '00002.png')));
    const back = await readRgbImage(p);
    assert.equal(back.width, 40);
    assert.deepEqual(back.data, img);
    assert.deepEqual(missingGenevalSamples(dir, 7, 4), [0, 1, 3]);
    assert.deepEqual(readdirSync(join(dir, '00007', 'samples')), ['00002.png']);
    await assert.rejects(writeGenevalImage(dir, 7, 0, img, 41, 30), (e: unknown) => isGenbenchError(e, 'E_INPUT'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failed encode leaves no file, partial or final (resuming then regenerates it)', async () => {
  const dir = tmp();
  const saved = process.env.GENBENCH_FFMPEG;
  process.env.GENBENCH_FFMPEG = '/bin/false';
  try {
    await assert.rejects(writeVbenchVideo(dir, 'p', 0, frames(2, 64, 48), 64, 48, { fps: 12 }), (e: unknown) => isGenbenchError(e, 'E_RUN'));
    assert.deepEqual(readdirSync(dir), []);
    assert.deepEqual(missingVbenchSamples(dir, 'p', 1), [0]);
  } finally {
    if (saved === undefined) delete process.env.GENBENCH_FFMPEG;
    else process.env.GENBENCH_FFMPEG = saved;
    rmSync(dir, { recursive: true, force: true });
  }
});
