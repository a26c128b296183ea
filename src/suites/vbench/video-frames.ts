/**
 * Frames as VBench's `load_video` reads them for the DINO/CLIP/MUSIQ dimensions (decord for .mp4:
 * every frame, RGB). Our decoder is byte-identical to OpenCV 4.6 and to PyAV on every test video
 * (tools/parity/decode_vs_opencv.py, decode_diff.py); decord is not packaged in Debian, so the
 * goldens use OpenCV frames as the stand-in (see the spec's §0.3 parity note).
 */
import { GenbenchError } from '../../core/errors.ts';
import type { RgbImage } from '../../media/image.ts';
import { decodeVideoFrames } from '../../media/video-decode.ts';

/** Every frame, RGB; each yielded image stays valid until the consumer takes the next one. */
export async function* loadVideoFrames(path: string, signal?: AbortSignal): AsyncGenerator<RgbImage, void, undefined> {
  for await (const f of decodeVideoFrames(path, { pixelFormat: 'rgb24', retain: 1, signal })) {
    yield { width: f.width, height: f.height, data: f.data };
  }
}

/** The error record for a video with fewer frames than a consistency formula needs. */
export function tooFewFrames(path: string, frames: number, dimension: string): GenbenchError {
  if (frames === 0) {
    return new GenbenchError('E_DECODE', `${path}: no frame could be read`, 'the file is empty, damaged or not a video');
  }
  return new GenbenchError(
    'E_INPUT',
    `${path}: only ${frames} frame could be read; ${dimension} compares consecutive frames and needs at least two`,
    'the official code divides by T − 1 = 0 here (ZeroDivisionError, the whole run stops); supply a real video',
  );
}
