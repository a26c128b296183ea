import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { sha256Hex } from '../../src/core/hash.ts';
import { isGenbenchError } from '../../src/core/errors.ts';
import { countDecodedFrames, decodeVideoFrames, type VideoFrame } from '../../src/media/video-decode.ts';
import { decodeGolden, opencvFrameHashes, type DecodeGoldenRow } from '../helpers/parity-goldens.ts';
import { parityInputs } from '../../tools/parity/temporal-flickering-inputs.ts';

const hash8 = (data: Uint8Array): string => sha256Hex(data).slice(0, 8);

function rgbToBgr(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i += 3) {
    out[i] = data[i + 2]!;
    out[i + 1] = data[i + 1]!;
    out[i + 2] = data[i]!;
  }
  return out;
}

async function pathOf(file: string): Promise<string> {
  const input = (await parityInputs()).get(file);
  assert.ok(input, `no parity input ${file}`);
  return input.path;
}

async function sameBytesAsGolden(row: DecodeGoldenRow): Promise<boolean> {
  const input = (await parityInputs()).get(row.file)!;
  return input.sha256 === row.sha256;
}

/** Videos OpenCV reads and our decoder reproduces completely (no decode error). */
const readable = decodeGolden.videos.filter((v) => v.opencv_frames > 0 && v.our_error === null);

test('bgr24 frames equal OpenCV 4.6 frames byte for byte, frame by frame, on every readable input', async () => {
  assert.ok(readable.length >= 25);
  for (const row of readable) {
    if (!(await sameBytesAsGolden(row))) assert.fail(`${row.file}: the regenerated input differs from the one the golden was made on (different ffmpeg build?)`);
    const expected = opencvFrameHashes(row);
    const got: string[] = [];
    for await (const f of decodeVideoFrames(await pathOf(row.file), { pixelFormat: 'bgr24' })) got.push(hash8(f.data));
    assert.equal(got.length, expected.length, `${row.file}: frame count ours ${got.length}, OpenCV ${expected.length}`);
    const first = got.findIndex((h, i) => h !== expected[i]);
    assert.equal(first, -1, `${row.file}: frame ${first} differs from OpenCV's`);
  }
});

test('rgb24 frames are OpenCV’s BGR frames with the channels swapped (media videos and 10-bit/rotated/full-range samples)', async () => {
  const files = ['xvid-mandelbrot-480x352-23.976fps.avi', 'cinepak-life-240x176-15fps.avi', 'x264-high-bars-640x480-vfr.mp4', 'x264-10bit-bt709-testsrc2-256x144-10fps.mp4', 'x264-rotate90-testsrc2-320x180-10fps.mp4', 'vp9-fullrange-testsrc2-160x120-10fps.webm', 'mjpeg-testsrc-201x151-15fps.avi'];
  for (const file of files) {
    const row = decodeGolden.videos.find((v) => v.file === file)!;
    const expected = opencvFrameHashes(row);
    let n = 0;
    for await (const f of decodeVideoFrames(await pathOf(file), { pixelFormat: 'rgb24' })) {
      assert.equal(hash8(rgbToBgr(f.data)), expected[f.index], `${file} frame ${f.index}`);
      n += 1;
    }
    assert.equal(n, expected.length, file);
  }
});

test('frame size and order: a 90°-rotated video comes out as OpenCV turns it (180×320)', async () => {
  const frames: VideoFrame[] = [];
  for await (const f of decodeVideoFrames(await pathOf('x264-rotate90-testsrc2-320x180-10fps.mp4'))) frames.push(f);
  assert.deepEqual([frames[0]!.width, frames[0]!.height], [180, 320]);
  assert.deepEqual(frames.map((f) => f.index), [...Array(20).keys()]);
});

test('chosen indices: yielded in increasing order whatever the order asked, equal to OpenCV’s frames', async () => {
  const row = decodeGolden.videos.find((v) => v.file === 'div3-testsrc2-768x576-10fps.avi')!;
  const expected = opencvFrameHashes(row);
  const got: number[] = [];
  for await (const f of decodeVideoFrames(await pathOf('div3-testsrc2-768x576-10fps.avi'), { pixelFormat: 'bgr24', indices: [400, 0, 5, 5, 794] })) {
    got.push(f.index);
    assert.equal(hash8(f.data), expected[f.index], `frame ${f.index}`);
  }
  assert.deepEqual(got, [0, 5, 400, 794]);
  const none: number[] = [];
  for await (const f of decodeVideoFrames(await pathOf('div3-testsrc2-768x576-10fps.avi'), { indices: [] })) none.push(f.index);
  assert.deepEqual(none, []);
  const past: number[] = [];
  for await (const f of decodeVideoFrames(await pathOf('cinepak-life-240x176-15fps.avi'), { indices: [67, 68, 500] })) past.push(f.index);
  assert.deepEqual(past, [67], 'indices past the end are simply absent');
  await assert.rejects(async () => {
    for await (const _ of decodeVideoFrames(await pathOf('cinepak-life-240x176-15fps.avi'), { indices: [-1] })) void _;
  }, (e) => isGenbenchError(e, 'E_USAGE'));
});

test('retain: buffers are recycled after `retain` further frames, and each frame is intact when yielded', async () => {
  const row = decodeGolden.videos.find((v) => v.file === 'x264-tv-mandelbrot-640x480-26.777fps.mp4')!;
  const expected = opencvFrameHashes(row);
  const seen: Uint8Array[] = [];
  let prevOk = true;
  for await (const f of decodeVideoFrames(await pathOf('x264-tv-mandelbrot-640x480-26.777fps.mp4'), { pixelFormat: 'bgr24', retain: 1 })) {
    assert.equal(hash8(f.data), expected[f.index]);
    if (f.index > 0) prevOk &&= hash8(seen[f.index - 1]!) === expected[f.index - 1];
    seen.push(f.data);
  }
  assert.ok(prevOk, 'the previous frame is still intact while the next one is held');
  assert.equal(seen[0]!.buffer, seen[2]!.buffer, 'frame 2 reuses frame 0’s memory');
  assert.notEqual(seen[0]!.buffer, seen[1]!.buffer);
});

test('countDecodedFrames equals OpenCV’s read count; the H.264, Cinepak and XviD media (XviD: 94 of 96 indexed frames) included', async () => {
  for (const file of ['x264-high-bars-640x480-vfr.mp4', 'x264-tv-mandelbrot-640x480-26.777fps.mp4', 'cinepak-life-240x176-15fps.avi', 'xvid-mandelbrot-480x352-23.976fps.avi']) {
    const row = decodeGolden.videos.find((v) => v.file === file)!;
    assert.equal(await countDecodedFrames(await pathOf(file)), row.opencv_frames, file);
  }
});

test('decoder threads do not change the frames (1 thread, 2 threads, ffmpeg’s automatic choice)', async () => {
  for (const file of ['x264-high-bars-640x480-vfr.mp4', 'x264-ntsc-testsrc2-320x180-29.97fps.mp4']) {
    const expected = opencvFrameHashes(decodeGolden.videos.find((v) => v.file === file)!);
    for (const threads of [1, 2, undefined]) {
      const got: string[] = [];
      for await (const f of decodeVideoFrames(await pathOf(file), { pixelFormat: 'bgr24', threads })) got.push(hash8(f.data));
      assert.deepEqual(got, expected, `${file}, threads ${threads ?? 'auto'}`);
    }
  }
});

function alive(pid: number): boolean {
  // A zombie (exited, not reaped) still has a /proc entry; a reaped process has none.
  return existsSync(`/proc/${pid}`);
}

test('stopping early (break) kills ffmpeg and reaps it: no process, no zombie', async () => {
  let pid = 0;
  for await (const f of decodeVideoFrames(await pathOf('div3-testsrc2-768x576-10fps.avi'), { onSpawn: (p) => (pid = p) })) {
    if (f.index === 3) break;
  }
  assert.ok(pid > 0);
  assert.equal(alive(pid), false, `ffmpeg ${pid} still exists after break`);
  // An exception thrown by the consumer does the same.
  let pid2 = 0;
  await assert.rejects(async () => {
    for await (const f of decodeVideoFrames(await pathOf('div3-testsrc2-768x576-10fps.avi'), { onSpawn: (p) => (pid2 = p) })) if (f.index === 1) throw new Error('consumer failed');
  }, /consumer failed/);
  assert.equal(alive(pid2), false);
});

test('an AbortSignal stops decoding with E_RUN and kills ffmpeg', async () => {
  const ac = new AbortController();
  let pid = 0;
  let last = -1;
  await assert.rejects(
    async () => {
      for await (const f of decodeVideoFrames(await pathOf('div3-testsrc2-768x576-10fps.avi'), { signal: ac.signal, onSpawn: (p) => (pid = p) })) {
        last = f.index;
        if (f.index === 2) ac.abort();
      }
    },
    (e) => isGenbenchError(e, 'E_RUN'),
  );
  assert.equal(last, 2);
  assert.equal(alive(pid), false);
  // Aborted before starting: nothing is spawned.
  await assert.rejects(async () => {
    for await (const _ of decodeVideoFrames(await pathOf('div3-testsrc2-768x576-10fps.avi'), { signal: AbortSignal.abort() })) void _;
  }, (e) => isGenbenchError(e, 'E_RUN'));
});

test('backpressure: with a slow consumer ffmpeg waits instead of decoding ahead', { skip: !existsSync('/proc/self/io') }, async () => {
  // The DivX 3 stand-in: 795 frames of 768×576×3 = 1.3 MB (1 GB in all). Hold the first frame for a while
  // and look at how much ffmpeg has written: only what fits in the pipe and the stream buffers.
  let pid = 0;
  let written = 0;
  for await (const f of decodeVideoFrames(await pathOf('div3-testsrc2-768x576-10fps.avi'), { onSpawn: (p) => (pid = p) })) {
    if (f.index === 0) {
      await sleep(1500);
      written = Number(/wchar:\s*(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))![1]);
    }
    if (f.index === 5) break;
  }
  const frameBytes = 768 * 576 * 3;
  assert.ok(written < 4 * frameBytes, `ffmpeg wrote ${written} bytes (${(written / frameBytes).toFixed(1)} frames) while the consumer held frame 0`);
});

test('missing file → E_NOT_FOUND; empty, text and cut-before-the-index files → E_DECODE with the reason', async () => {
  await assert.rejects(async () => {
    for await (const _ of decodeVideoFrames('/nonexistent/v.mp4')) void _;
  }, (e) => isGenbenchError(e, 'E_NOT_FOUND') && /video not found: \/nonexistent\/v\.mp4/.test(e.message));
  const cases: [string, RegExp][] = [
    ['empty.mp4', /empty \(0 bytes\)/],
    ['text-renamed.mp4', /moov atom not found|Invalid data found/],
    ['x264-first-half.mp4', /moov atom not found/],
  ];
  for (const [file, why] of cases) {
    await assert.rejects(async () => {
      for await (const _ of decodeVideoFrames(await pathOf(file))) void _;
    }, (e) => isGenbenchError(e, 'E_DECODE') && e.message.includes(file) && why.test(e.message), file);
  }
});

test('a PNG renamed .mp4 decodes as one frame, equal to OpenCV’s', async () => {
  const row = decodeGolden.videos.find((v) => v.file === 'png-renamed.mp4')!;
  const got: string[] = [];
  for await (const f of decodeVideoFrames(await pathOf('png-renamed.mp4'), { pixelFormat: 'bgr24' })) got.push(hash8(f.data));
  assert.deepEqual(got, opencvFrameHashes(row));
  assert.equal(got.length, 1);
});

test('truncated H.264 High mp4: the frames OpenCV reads are ours too, then E_DECODE because OpenCV stops at the cut packet', async () => {
  const row = decodeGolden.videos.find((v) => v.file === 'x264-high-first-half.mp4')!;
  const expected = opencvFrameHashes(row);
  assert.equal(expected.length, 89);
  const got: string[] = [];
  await assert.rejects(
    async () => {
      for await (const f of decodeVideoFrames(await pathOf('x264-high-first-half.mp4'), { pixelFormat: 'bgr24' })) got.push(hash8(f.data));
    },
    (e) => isGenbenchError(e, 'E_DECODE') && /is damaged: the decoder rejected a packet/.test(e.message) && /Error while decoding stream/.test(e.message),
  );
  assert.deepEqual(got.slice(0, expected.length), expected);
  // The cut H.264 (tv range) ends at a packet boundary: same 88 frames as OpenCV, no error.
  const cup = decodeGolden.videos.find((v) => v.file === 'x264-tv-cut-at-packet.mp4')!;
  const cupGot: string[] = [];
  for await (const f of decodeVideoFrames(await pathOf('x264-tv-cut-at-packet.mp4'), { pixelFormat: 'bgr24' })) cupGot.push(hash8(f.data));
  assert.deepEqual(cupGot, opencvFrameHashes(cup));
});

test('GENBENCH_FFMPEG pointing at a missing binary fails with E_NOT_FOUND naming the variable', async () => {
  const saved = process.env.GENBENCH_FFMPEG;
  process.env.GENBENCH_FFMPEG = '/nonexistent/ffmpeg';
  try {
    await assert.rejects(async () => {
      for await (const _ of decodeVideoFrames(await pathOf('cinepak-life-240x176-15fps.avi'))) void _;
    }, (e) => isGenbenchError(e, 'E_NOT_FOUND') && /GENBENCH_FFMPEG/.test(`${e.message} ${e.hint}`));
  } finally {
    if (saved === undefined) delete process.env.GENBENCH_FFMPEG;
    else process.env.GENBENCH_FFMPEG = saved;
  }
});

test('another ffmpeg (Debian 5.1, -fps_mode passthrough) gives the same frames', { skip: !existsSync('/usr/bin/ffmpeg') && 'no /usr/bin/ffmpeg' }, async () => {
  const saved = process.env.GENBENCH_FFMPEG;
  process.env.GENBENCH_FFMPEG = '/usr/bin/ffmpeg';
  try {
    for (const file of ['x264-high-bars-640x480-vfr.mp4', 'x264-bt709-testsrc-352x288-25fps.mp4', 'x264-rotate90-testsrc2-320x180-10fps.mp4', 'vp9-fullrange-testsrc2-160x120-10fps.webm']) {
      const expected = opencvFrameHashes(decodeGolden.videos.find((v) => v.file === file)!);
      const got: string[] = [];
      for await (const f of decodeVideoFrames(await pathOf(file), { pixelFormat: 'bgr24' })) got.push(hash8(f.data));
      assert.deepEqual(got, expected, file);
    }
  } finally {
    if (saved === undefined) delete process.env.GENBENCH_FFMPEG;
    else process.env.GENBENCH_FFMPEG = saved;
  }
});
