import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { sha256Hex } from '../../src/core/hash.ts';
import { isGenbenchError } from '../../src/core/errors.ts';
import { decodeFrames } from '../../src/media/video/decode.ts';
import { probeVideo } from '../../src/media/video/probe.ts';
import { goldenInputs } from '../helpers/golden-inputs.ts';

const golden = JSON.parse(readFileSync(new URL('../golden/vbench-temporal-flickering.json', import.meta.url), 'utf8')) as {
  videos: { file: string; opencv_fps: number; opencv_frame_count: number; frames_read: number; frame_sha256_16: string[] }[];
};

test('decoded frames equal OpenCV 4.6 frames byte for byte, frame by frame (media + generated videos)', async () => {
  const inputs = await goldenInputs();
  for (const g of golden.videos.filter((v) => v.frames_read > 1)) {
    const hashes: string[] = [];
    for await (const f of decodeFrames(inputs.get(g.file)!)) hashes.push(sha256Hex(f.data).slice(0, 16));
    assert.equal(hashes.length, g.frames_read, `${g.file}: frame count`);
    const firstDiff = hashes.findIndex((h, i) => h !== g.frame_sha256_16[i]);
    assert.equal(firstDiff, -1, `${g.file}: frame ${firstDiff} differs from OpenCV's`);
  }
});

test('probe reports fps and frame count as OpenCV does', async () => {
  const inputs = await goldenInputs();
  for (const g of golden.videos.filter((v) => v.frames_read > 1)) {
    const info = await probeVideo(inputs.get(g.file)!);
    assert.equal(info.fps, g.opencv_fps, `${g.file} fps`);
    if (!g.file.endsWith('.gif')) assert.equal(info.frameCountHint, g.opencv_frame_count, `${g.file} frame count property`);
  }
});

test('chosen indices are yielded in order and the rest skipped; early stop kills ffmpeg', async () => {
  const inputs = await goldenInputs();
  const g = golden.videos.find((v) => v.file === 'vtest.avi')!;
  const got: number[] = [];
  for await (const f of decodeFrames(inputs.get('vtest.avi')!, { indices: [0, 5, 400, 794] })) {
    got.push(f.index);
    assert.equal(sha256Hex(f.data).slice(0, 16), g.frame_sha256_16[f.index]);
  }
  assert.deepEqual(got, [0, 5, 400, 794]);
  const before = ffmpegCount();
  for await (const f of decodeFrames(inputs.get('vtest.avi')!)) if (f.index === 3) break;
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(ffmpegCount(), before, 'no ffmpeg left running after break');
  const ac = new AbortController();
  await assert.rejects(
    (async () => {
      for await (const f of decodeFrames(inputs.get('vtest.avi')!, { signal: ac.signal })) if (f.index === 2) ac.abort();
    })(),
    (e) => isGenbenchError(e, 'E_RUN'),
  );
});

test('missing file → E_NOT_FOUND; text file and empty file → E_DECODE naming the file', async () => {
  const inputs = await goldenInputs();
  await assert.rejects(probeVideo('/nonexistent/v.mp4'), (e) => isGenbenchError(e, 'E_NOT_FOUND'));
  for (const f of ['not a video-0.mp4', 'empty-0.mp4']) {
    await assert.rejects(
      (async () => {
        for await (const _ of decodeFrames(inputs.get(f)!)) void _;
      })(),
      (e) => isGenbenchError(e, 'E_DECODE') && e.message.includes(f),
    );
  }
});

function ffmpegCount(): number {
  try {
    return execFileSync('pgrep', ['-c', '-f', 'ffmpeg.*pipe:1'], { encoding: 'utf8' }).trim().split('\n').map(Number)[0] ?? 0;
  } catch {
    return 0;
  }
}
