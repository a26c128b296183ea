/**
 * Frames as VBench's `load_video` reads them for the DINO/CLIP/MUSIQ dimensions (decord for .mp4:
 * every frame, RGB). Our decoder is byte-identical to OpenCV 4.6 and to PyAV on every test video
 * (tools/parity/decode_vs_opencv.py, decode_diff.py); decord is not packaged in Debian, so the
 * goldens use OpenCV frames as the stand-in (see the spec's §0.3 parity note).
 */
import * as ort from 'onnxruntime-node';
import { GenbenchError } from '../../core/errors.ts';
import { transformFrames } from './frame-transform-pool.ts';
import type { RgbImage } from '../../media/image.ts';
import { decodeVideoFrames } from '../../media/video-decode.ts';
import { modelRunner, OrderedRuns } from '../../runtime/session-workers.ts';

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

/**
 * CLIP image embeddings of every frame, in order: clip_transform(224) per frame, `batch` frames
 * per ONNX run (`pixel_values` → `image_embeds`). Yields one [n, D] block per run; while the model
 * runs (in parallel workers where that helps, see session-workers.ts), ffmpeg keeps decoding ahead.
 */
export async function* clipEmbeddingBatches(
  path: string,
  session: import('onnxruntime-node').InferenceSession,
  batch: number,
  signal?: AbortSignal,
): AsyncGenerator<EmbeddingBatch, void, undefined> {
  const plane = 3 * 224 * 224;
  const runner = modelRunner(session);
  const runs = new OrderedRuns<EmbeddingBatch>(runner.ahead);
  let pixels = new Float32Array(batch * plane);
  let n = 0;
  const start = (): Promise<EmbeddingBatch> => {
    const count = n;
    const job = runner.run({ pixel_values: new ort.Tensor('float32', pixels.subarray(0, count * plane), [count, 3, 224, 224]) }).then((out) => {
      const e = out['image_embeds']!;
      return { count, dim: e.dims[1]!, data: e.data as Float32Array };
    });
    // Each run gets its own pixel buffer (the session itself reads it only when the run starts).
    n = 0;
    pixels = new Float32Array(batch * plane);
    return job;
  };
  for await (const t of transformFrames(loadVideoFrames(path, signal), 'clip')) {
    pixels.set(t.data, n * plane);
    if (++n === batch) yield* await runs.push(start());
  }
  if (n > 0) yield* await runs.push(start());
  yield* await runs.drain();
}

export interface EmbeddingBatch {
  count: number;
  dim: number;
  data: Float32Array;
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
