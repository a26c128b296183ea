import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGenbenchError } from '../../src/core/errors.ts';
import { opencvFps, opencvFrameCount, opencvRotation, probeVideo, rationalToDouble } from '../../src/media/video-probe.ts';
import { decodeGolden } from '../helpers/parity-goldens.ts';
import { parityInputs } from '../../tools/parity/temporal-flickering-inputs.ts';

test('fps, frame count and frame size equal what cv2.VideoCapture reports, on every input it opens', async () => {
  const inputs = await parityInputs();
  const opened = decodeGolden.videos.filter((v) => v.opencv_frames > 0);
  assert.ok(opened.length >= 30);
  for (const row of opened) {
    const p = await probeVideo(inputs.get(row.file)!.path);
    assert.equal(p.fps, row.opencv_fps, `${row.file}: fps ours ${p.fps}, OpenCV ${row.opencv_fps}`);
    assert.equal(p.frameCount, row.opencv_frame_count, `${row.file}: CAP_PROP_FRAME_COUNT`);
    assert.deepEqual([p.width, p.height], row.opencv_size, `${row.file}: size`);
  }
});

test('media videos: the values OpenCV 4.6 prints (avg_frame_rate, not r_frame_rate; the AVI index count)', async () => {
  const inputs = await parityInputs();
  // Every 9th frame is held half a frame longer: 180 frames in 189 frame times of 1001/30000 s.
  const vfr = await probeVideo(inputs.get('x264-high-bars-640x480-vfr.mp4')!.path);
  assert.equal(vfr.avgFrameRate, '200000/7007');
  assert.equal(vfr.rFrameRate, '30000/1001');
  assert.equal(vfr.fps, 200000 / 7007);
  assert.equal(vfr.frameCount, 180);
  // XviD with packed B-frames: the AVI index has 96 entries, 94 frames decode.
  const xvid = await probeVideo(inputs.get('xvid-mandelbrot-480x352-23.976fps.avi')!.path);
  assert.equal(xvid.fps, 2997 / 125);
  assert.equal(xvid.frameCount, 96, 'the AVI index count; 94 frames decode');
  const rot = await probeVideo(inputs.get('x264-rotate90-testsrc2-320x180-10fps.mp4')!.path);
  assert.equal(rot.rotation, 90);
  assert.deepEqual([rot.width, rot.height], [180, 320]);
});

test('by hand: OpenCV’s fps and frame-count rules', () => {
  assert.equal(rationalToDouble('30000/1001'), 30000 / 1001);
  assert.equal(rationalToDouble('0/0'), 0);
  assert.equal(rationalToDouble(undefined), 0);
  assert.equal(opencvFps('24/1', '1/12800'), 24);
  assert.equal(opencvFps('0/0', '1/25'), 25, 'no average rate: 1/time_base');
  // nb_frames wins when stored.
  assert.deepEqual(opencvFrameCount({ nbFrames: 456, formatDurationUs: 15_184_000, streamDurationTs: null, timeBase: '1/1000000', fps: 29.9 }).frameCount, 456);
  // Else ⌊duration·fps + 0.5⌋: 1.04 s at 25 fps → ⌊26.5⌋ = 26.
  assert.equal(opencvFrameCount({ nbFrames: 0, formatDurationUs: 1_040_000, streamDurationTs: null, timeBase: '1/25', fps: 25 }).frameCount, 26);
  // No container duration: stream duration × time_base (90 ticks of 1/90 s at 10 fps → 10).
  assert.equal(opencvFrameCount({ nbFrames: 0, formatDurationUs: null, streamDurationTs: 90, timeBase: '1/90', fps: 10 }).frameCount, 10);
  // Nothing known: OpenCV computes with AV_NOPTS_VALUE and reports INT64_MIN.
  const unknown = opencvFrameCount({ nbFrames: 0, formatDurationUs: null, streamDurationTs: null, timeBase: '1/25', fps: 25 });
  assert.equal(unknown.frameCount, -(2 ** 63));
  assert.equal(unknown.known, false);
  // Display matrix angle (counter-clockwise, as ffprobe prints it) → OpenCV's rotation.
  assert.equal(opencvRotation(90), 90);
  assert.equal(opencvRotation(-90), 270);
  assert.equal(opencvRotation(-180), 180);
  assert.equal(opencvRotation(45), 0);
  assert.equal(opencvRotation(undefined), 0);
});

test('missing → E_NOT_FOUND; a folder → E_NOT_FOUND; empty and text files → E_DECODE with the reason', async () => {
  const inputs = await parityInputs();
  await assert.rejects(probeVideo('/nonexistent/x.mp4'), (e) => isGenbenchError(e, 'E_NOT_FOUND'));
  await assert.rejects(probeVideo('/tmp'), (e) => isGenbenchError(e, 'E_NOT_FOUND'));
  await assert.rejects(probeVideo(inputs.get('empty.mp4')!.path), (e) => isGenbenchError(e, 'E_DECODE') && /empty \(0 bytes\)/.test(e.message));
  await assert.rejects(probeVideo(inputs.get('text-renamed.mp4')!.path), (e) => isGenbenchError(e, 'E_DECODE') && /text-renamed\.mp4/.test(e.message));
});

test('concurrent probes of one file share one ffprobe run; a changed file is probed again', async () => {
  const { copyFileSync, mkdtempSync, utimesSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const inputs = await parityInputs();
  const path = join(mkdtempSync(join(tmpdir(), 'gb-probe-')), 'clip.mp4');
  copyFileSync(inputs.get('x264-high-bars-640x480-vfr.mp4')!.path, path);
  const [a, b] = await Promise.all([probeVideo(path), probeVideo(path)]);
  assert.equal(a, b, 'the second call got the first one’s probe');
  assert.ok(Object.isFrozen(a));
  assert.equal(await probeVideo(path), a);
  // Same size, new modification time: not the same file any more.
  copyFileSync(inputs.get('x264-tv-mandelbrot-640x480-26.777fps.mp4')!.path, path);
  utimesSync(path, new Date(), new Date(Date.now() + 5000));
  const c = await probeVideo(path);
  assert.notEqual(c, a);
  assert.notEqual(c.frameCount, a.frameCount);
});
