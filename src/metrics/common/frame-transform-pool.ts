/**
 * Image-embedding frame transforms (image-transform.ts: the model table's resize, crop and
 * normalisation, e.g. VBench's clip_transform / dino_transform) on worker threads, so that resizing
 * — the costliest JavaScript step of the model-based dimensions — uses every core while the main
 * thread keeps ffmpeg's pipe and ONNX Runtime busy. Results are identical to calling the
 * transforms directly (same code, same float32 arithmetic); they come back in submission order
 * per caller because each call awaits its own promise.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PlanarTensor, RgbImage } from '../../media/image.ts';
import { imageTransform, type ImageTransformSpec } from './image-transform.ts';
import type { TransformReply, TransformRequest } from './frame-transform-worker.ts';

export class FrameTransformPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (t: PlanarTensor) => void; reject: (e: Error) => void; into?: Float32Array }>();
  private readonly load: number[] = [];
  private nextId = 0;
  private broken: Error | undefined;

  constructor(size: number) {
    const entry = new URL('./frame-transform-worker.ts', import.meta.url).href;
    for (let i = 0; i < size; i++) {
      // The boot script registers tsx inside the worker (a loader registered on the main thread does not reach workers).
      const w = new Worker(new URL('./frame-transform-worker-boot.mjs', import.meta.url), { workerData: { entry } });
      w.on('message', (r: TransformReply) => {
        if (--this.load[i]! === 0) w.unref();
        const p = this.pending.get(r.id);
        if (!p) return;
        this.pending.delete(r.id);
        if (r.error !== undefined || !(r.data || p.into)) p.reject(new Error(`frame transform failed: ${r.error}`));
        else p.resolve({ channels: r.channels, height: r.height, width: r.width, data: p.into ?? new Float32Array(r.data!) });
      });
      w.on('error', (e) => {
        // A broken worker fails everything in flight, and the pool stops using workers.
        for (const [, p] of this.pending) p.reject(e);
        this.pending.clear();
        this.broken = e;
      });
      // An idle worker must not keep the process alive, a busy one must (unref after the listeners, which ref the port).
      w.unref();
      this.workers.push(w);
      this.load.push(0);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Transform one frame. Pixels in ordinary memory are copied, so the frame's buffer may be reused
   * at once; pixels in a SharedArrayBuffer are read in place, so they must stay unchanged until
   * the promise settles. `into` (transformedSize values): where the result goes — in place when it
   * lies in a SharedArrayBuffer (no copy, no allocation), else copied there.
   */
  run(transform: ImageTransformSpec, frame: RgbImage, into?: Float32Array): Promise<PlanarTensor> {
    if (this.broken) return Promise.reject(new Error(`frame transform workers failed: ${this.broken.message}`));
    if (this.workers.length === 0) {
      try {
        return Promise.resolve(imageTransform(frame, transform, into));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[best]!) best = i;
    const id = this.nextId++;
    const sharedIn = frame.data.buffer instanceof SharedArrayBuffer;
    const pixels = sharedIn ? frame.data : frame.data.slice();
    const sharedOut = into !== undefined && into.buffer instanceof SharedArrayBuffer;
    const msg: TransformRequest = { id, transform, width: frame.width, height: frame.height, pixels, ...(sharedOut ? { into } : {}) };
    return new Promise<PlanarTensor>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(sharedOut ? { into } : {}) });
      if (this.load[best]!++ === 0) this.workers[best]!.ref();
      this.workers[best]!.postMessage(msg, sharedIn ? [] : [pixels.buffer as ArrayBuffer]);
    }).then((t) => {
      if (!into || sharedOut) return t;
      into.set(t.data);
      return { ...t, data: into };
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

let shared: FrameTransformPool | undefined;

/** One pool per process, sized to the cores (GENBENCH_TRANSFORM_WORKERS overrides; 0 = inline). */
export function sharedFrameTransformPool(): FrameTransformPool {
  if (!shared) {
    const env = process.env['GENBENCH_TRANSFORM_WORKERS'];
    const n = env !== undefined && /^\d+$/.test(env) ? Number(env) : Math.max(1, availableParallelism());
    shared = new FrameTransformPool(n);
  }
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
