/**
 * Frames as VBench's `load_video` reads them for the DINO/CLIP/MUSIQ dimensions (decord for .mp4:
 * every frame, RGB). Our decoder is byte-identical to OpenCV 4.6 and to PyAV on every test video
 * (tools/parity/decode_vs_opencv.py, decode_diff.py); decord is not packaged in Debian, so the
 * goldens use OpenCV frames as the stand-in (see the spec's §0.3 parity note).
 */
import * as ort from 'onnxruntime-node';
import { GenbenchError } from '../../core/errors.ts';
import { transformFrames, transformsAhead } from './frame-transform-pool.ts';
import type { RgbImage } from '../../media/image.ts';
import { decodeVideoFrames } from '../../media/video-decode.ts';
import { modelRunner, OrderedRuns } from '../../runtime/session-workers.ts';
import { SharedBufferLease, sharedBuffers } from '../../core/shared-buffers.ts';

/**
 * Every frame, RGB; each yielded image stays valid until the consumer takes the next one, or, with
 * `shared`, the next `shared.retain` ones, in buffers from `shared.allocate` (SharedArrayBuffers
 * that worker threads read in place).
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
  const ahead = transformsAhead();
  // Frames and their transforms live in shared memory: the transform workers read the decoded
  // frame in place and write the result straight into its slot of a batch buffer. Batch k uses
  // buffer k mod `buffers`: while a batch waits for its run to take (or copy) its pixels, the
  // transforms in flight may already fill the next ones.
  const lease = new SharedBufferLease(sharedBuffers);
  const buffers = Array.from({ length: 2 + Math.ceil(ahead / batch) }, () => new Float32Array(lease.acquire(batch * plane * 4)));
  const slot = (i: number) => buffers[Math.floor(i / batch) % buffers.length]!.subarray((i % batch) * plane, (i % batch + 1) * plane);
  let n = 0;
  let k = 0;
  const start = (): Promise<EmbeddingBatch> => {
    const count = n;
    const pixels = buffers[k++ % buffers.length]!;
    n = 0;
    // A worker runner copies the feeds before `run` returns; the session itself reads them while
    // the run is awaited below (OrderedRuns with 0 ahead), before the buffer comes round again.
    return runner.run({ pixel_values: new ort.Tensor('float32', pixels.subarray(0, count * plane), [count, 3, 224, 224]) }).then((out) => {
      const e = out['image_embeds']!;
      return { count, dim: e.dims[1]!, data: e.data as Float32Array };
    });
  };
  // A decoded frame must stay untouched while its transform runs: `ahead` in flight, plus one.
  const frames = loadVideoFrames(path, signal, { retain: ahead + 1, allocate: lease.acquire });
  for await (const _ of transformFrames(frames, 'clip', ahead, slot)) {
    if (++n === batch) yield* await runs.push(start());
  }
  if (n > 0) yield* await runs.push(start());
  yield* await runs.drain();
  // Every transform and run has finished with the buffers (on an error they are simply dropped).
  lease.release();
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
