/**
 * Decoder check: the ffmpeg in use renders a lavfi test pattern into a small lossless video;
 * ffprobe and our OpenCV-equivalent decoder read it back; the frames must equal the ones OpenCV's
 * cv2.VideoCapture decoded from the same file (src/selftest/golden.json).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GenbenchError } from '../core/errors.ts';
import { ffmpegPath, lastLines } from '../media/ffmpeg.ts';
import { decodeVideoFrames } from '../media/video-decode.ts';
import { probeVideo, type VideoProbe } from '../media/video-probe.ts';
import type { Golden } from './golden.ts';
import { blobValues } from './golden.ts';
import { SELFTEST_ENCODE, SELFTEST_LAVFI } from './input.ts';
import { failed, formatDiff, maxAbsDiff, ok, sameBits, skipped, threw, type CheckResult } from './result.ts';

const run = promisify(execFile);

/** Render the test video with the ffmpeg in use (GENBENCH_FFMPEG or the bundled one). */
async function renderTestVideo(dir: string): Promise<string> {
  const ff = ffmpegPath();
  const out = join(dir, 'pattern.mkv');
  try {
    await run(ff, ['-v', 'error', '-nostdin', '-f', 'lavfi', '-i', SELFTEST_LAVFI, ...SELFTEST_ENCODE, '-y', out], { timeout: 30_000 });
  } catch (e) {
    const err = e as { stderr?: string; code?: unknown; signal?: string; message: string };
    const why = lastLines(err.stderr ?? '') || err.message;
    throw new GenbenchError('E_DECODE', `ffmpeg (${ff}) could not render the lavfi test video: ${why}`, 'set GENBENCH_FFMPEG to a working ffmpeg (with lavfi and FFV1), or run npm ci to reinstall the bundled one');
  }
  return out;
}

export async function checkDecoder(golden: Golden): Promise<CheckResult[]> {
  const g = golden.video;
  const results: CheckResult[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'genbench-selftest-'));
  try {
    let path: string;
    try {
      path = await renderTestVideo(dir);
      results.push(ok('decoder', 'ffmpeg lavfi test video', `${g.lavfi} → FFV1 (${ffmpegPath()})`));
    } catch (e) {
      results.push(threw('decoder', 'ffmpeg lavfi test video', e));
      results.push(skipped('decoder', 'ffprobe', 'needs the test video'), skipped('decoder', 'decoded frames', 'needs the test video'));
      return results;
    }
    let probe: VideoProbe;
    try {
      probe = await probeVideo(path);
      const wrong = [
        probe.width !== g.width || probe.height !== g.height ? `size ${probe.width}×${probe.height}, expected ${g.width}×${g.height}` : '',
        Math.abs(probe.fps - g.fps) > 1e-9 ? `fps ${probe.fps}, expected ${g.fps}` : '',
      ].filter(Boolean);
      results.push(
        wrong.length === 0
          ? ok('decoder', 'ffprobe', `${probe.width}×${probe.height}, ${probe.fps} fps, ${probe.codec}/${probe.pixelFormat}`)
          : failed('decoder', 'ffprobe', wrong.join('; ')),
      );
    } catch (e) {
      results.push(threw('decoder', 'ffprobe', e), skipped('decoder', 'decoded frames', 'needs the probe'));
      return results;
    }
    const name = `decoded frames vs ${g.decoded_by}`;
    try {
      const expected = blobValues(g, 'video frames') as Uint8Array;
      const frameBytes = g.width * g.height * 3;
      const got = new Uint8Array(expected.length);
      let frames = 0;
      let extra = 0;
      for await (const f of decodeVideoFrames(path, { probe, pixelFormat: 'rgb24' })) {
        if (f.width !== g.width || f.height !== g.height) throw new GenbenchError('E_DECODE', `frame ${f.index} is ${f.width}×${f.height}, expected ${g.width}×${g.height}`);
        if (frames < g.frames) got.set(f.data, frames * frameBytes);
        else extra++;
        frames++;
      }
      const d = frames === g.frames ? maxAbsDiff(got, expected) : Infinity;
      const exact = frames === g.frames && sameBits(got, expected);
      const detail = `${frames} frame(s) (expected ${g.frames}${extra ? `, ${extra} extra` : ''}), max |Δ| ${formatDiff(d)} over ${expected.length} values`;
      results.push(exact ? ok('decoder', name, `${detail}, bit-identical`, { maxAbsDiff: 0, values: expected.length }) : failed('decoder', name, detail, { maxAbsDiff: d, values: expected.length }));
    } catch (e) {
      results.push(threw('decoder', name, e));
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
