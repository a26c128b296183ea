/**
 * Image-embedding frame transforms (image-transform.ts: the model table's resize, crop and
 * normalisation, e.g. VBench's clip_transform / dino_transform) on worker threads, so that resizing
 * — the costliest JavaScript step of the model-based dimensions — uses every core while the main
 * thread keeps ffmpeg's pipe and ONNX Runtime busy. Results are identical to calling the
 * transforms directly (same code, same float32 arithmetic); they come back in submission order
 * per caller because each call awaits its own promise.
 */
import type { PlanarTensor, RgbImage } from '../../media/image.ts';
import { imageTransform, type ImageTransformSpec } from './image-transform.ts';
import type { TransformReply, TransformRequest } from './frame-transform-worker.ts';
import { WorkerPool, workerPoolSize } from './worker-pool.ts';

export class FrameTransformPool {
  private readonly pool: WorkerPool<TransformReply>;

  constructor(size: number) {
    this.pool = new WorkerPool<TransformReply>(new URL('./frame-transform-worker.ts', import.meta.url), size, 'frame transform');
  }

  get size(): number {
    return this.pool.size;
  }

  /**
   * Transform one frame. Pixels in ordinary memory are copied, so the frame's buffer may be reused
   * at once; pixels in a SharedArrayBuffer are read in place, so they must stay unchanged until
   * the promise settles. `into` (transformedSize values): where the result goes — in place when it
   * lies in a SharedArrayBuffer (no copy, no allocation), else copied there.
   */
  run(transform: ImageTransformSpec, frame: RgbImage, into?: Float32Array): Promise<PlanarTensor> {
    const sharedOut = into !== undefined && into.buffer instanceof SharedArrayBuffer;
    return this.pool.run(
      () => imageTransform(frame, transform, into),
      (id) => {
        const sharedIn = frame.data.buffer instanceof SharedArrayBuffer;
        const pixels = sharedIn ? frame.data : frame.data.slice();
        const message: TransformRequest = { id, transform, width: frame.width, height: frame.height, pixels, ...(sharedOut ? { into } : {}) };
        return { message, transfer: sharedIn ? [] : [pixels.buffer as ArrayBuffer] };
      },
      (r) => {
        // Written in place by the worker, or sent back and copied into `into` when one is given.
        if (sharedOut) return { channels: r.channels, height: r.height, width: r.width, data: into };
        if (!r.data) return undefined;
        const t = { channels: r.channels, height: r.height, width: r.width, data: new Float32Array(r.data) };
        if (!into) return t;
        into.set(t.data);
        return { ...t, data: into };
      },
    );
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

let shared: FrameTransformPool | undefined;

/** One pool per process, sized to the cores (GENBENCH_TRANSFORM_WORKERS overrides; 0 = inline). */
export function sharedFrameTransformPool(): FrameTransformPool {
  if (!shared) shared = new FrameTransformPool(workerPoolSize());
  return shared;
}

/** Transforms in flight per stream in transformFrames (frames in shared memory must outlive them: see loadVideoFrames). */
export function transformsAhead(): number {
  return 2 * Math.max(1, sharedFrameTransformPool().size);
}

/**
 * Transformed frames of an async frame stream, in order, with up to `ahead` transforms in flight.
 * `target(i)`: where frame i's result goes (see FrameTransformPool.run's `into`), or a new tensor.
 */
export async function* transformFrames(
  frames: AsyncIterable<RgbImage>,
  transform: ImageTransformSpec,
  ahead = transformsAhead(),
  target?: (index: number, frame: RgbImage) => Float32Array | undefined,
): AsyncGenerator<PlanarTensor, void, undefined> {
  const pool = sharedFrameTransformPool();
  const queue: Promise<PlanarTensor>[] = [];
  let index = 0;
  for await (const f of frames) {
    const t = pool.run(transform, f, target?.(index++, f));
    t.catch(() => {}); // handled when its turn comes; no unhandled rejection if the consumer stops early
    queue.push(t);
    if (queue.length >= ahead) yield await queue.shift()!;
  }
  while (queue.length) yield await queue.shift()!;
}
