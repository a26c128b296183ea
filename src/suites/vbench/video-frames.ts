/**
 * Frames as VBench's `load_video` reads them for the DINO/CLIP/MUSIQ dimensions (decord for .mp4:
 * every frame, RGB). Our decoder is byte-identical to OpenCV 4.6 and to PyAV on every test video
 * (tools/parity/decode_vs_opencv.py, decode_diff.py); decord is not packaged in Debian, so the
 * goldens use OpenCV frames as the stand-in (see the spec's §0.3 parity note).
 */
import { GenbenchError } from '../../core/errors.ts';
import type { RgbImage } from '../../media/image.ts';
import { decodeVideoFrames } from '../../media/video-decode.ts';

/**
 * Every frame, RGB; each yielded image stays valid until the consumer takes the next one, or, with
 * `shared`, the next `shared.retain` ones, in buffers from `shared.allocate` (SharedArrayBuffers
 * that worker threads read in place; the metric families' FrameMemory).
 */
export async function* loadVideoFrames(
  path: string,
  signal?: AbortSignal,
  shared?: { retain: number; allocate: (byteLength: number) => ArrayBufferLike },
): AsyncGenerator<RgbImage, void, undefined> {
  const memory = shared ? { retain: shared.retain, allocate: shared.allocate } : { retain: 1 };
  for await (const f of decodeVideoFrames(path, { pixelFormat: 'rgb24', ...memory, signal })) {
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

/** motion_smoothness and dynamic_degree read `.mp4` files only; the official code raises NotImplementedError for others. */
export function requireMp4(path: string, dimension: string): void {
  if (!path.endsWith('.mp4')) {
    throw new GenbenchError(
      'E_INPUT',
      `${path}: ${dimension} reads only .mp4 files`,
      'the official code raises NotImplementedError for other files; convert the video to .mp4',
    );
  }
}
