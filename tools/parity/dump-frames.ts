/**
 * Streams our decoder's frames to stdout for tools/parity/decode_vs_opencv.py, which compares
 * them with OpenCV's frame by frame. Protocol, per video given on the command line:
 *   a JSON line {file, probe} (probe null and error set when the file cannot be probed), then for
 *   every frame the byte "F" followed by height·width·3 bytes, then the byte "E" and a JSON line
 *   {frames, error}.
 *
 *   node --import tsx tools/parity/dump-frames.ts rgb24|bgr24 VIDEO...
 */
import { once } from 'node:events';
import { describeError, GenbenchError } from '../../src/core/errors.ts';
import { decodeVideoFrames, type PixelFormat } from '../../src/media/video-decode.ts';
import { probeVideo, type VideoProbe } from '../../src/media/video-probe.ts';

const [fmt, ...videos] = process.argv.slice(2);
if (fmt !== 'rgb24' && fmt !== 'bgr24') throw new Error('usage: dump-frames.ts rgb24|bgr24 VIDEO...');
const out = process.stdout;

async function write(data: string | Uint8Array): Promise<void> {
  if (!out.write(data)) await once(out, 'drain');
}

function errorJson(e: unknown): { code: string; message: string } {
  return { code: e instanceof GenbenchError ? e.code : 'E_INTERNAL', message: describeError(e) };
}

for (const path of videos) {
  let probe: VideoProbe | null = null;
  let error: { code: string; message: string } | null = null;
  try {
    probe = await probeVideo(path);
  } catch (e) {
    error = errorJson(e);
  }
  await write(`${JSON.stringify({ file: path, probe, error })}\n`);
  let frames = 0;
  if (probe) {
    try {
      for await (const f of decodeVideoFrames(path, { pixelFormat: fmt as PixelFormat, probe })) {
        await write('F');
        await write(f.data);
        frames += 1;
      }
    } catch (e) {
      error = errorJson(e);
    }
  }
  await write('E');
  await write(`${JSON.stringify({ frames, error })}\n`);
}
