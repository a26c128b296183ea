/**
 * Worker threads for the semantic dimensions' per-frame transforms (frame-job-kinds.ts: CLIP's PIL
 * path for appearance_style, ViCLIP's and UMT's video transforms), so that resizing — the costliest
 * JavaScript step there — uses every core while the main thread keeps ffmpeg's pipe and ONNX
 * Runtime busy. The results are those of calling the functions directly (same code). The common
 * frame-transform pool (metrics/common) runs only the table-declared tensor transform; these jobs
 * are other transforms. One pool per process, sized like it (GENBENCH_TRANSFORM_WORKERS, 0 = inline).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RgbImage } from '../../media/image.ts';
import { runFrameJob, type FrameJob, type FrameJobReply, type FrameJobRequest } from './frame-job-kinds.ts';

export class FrameJobPool {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly pending = new Map<number, { resolve: (d: Float32Array | Uint8Array) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private broken: Error | undefined;

  constructor(size: number) {
    const entry = new URL('./frame-job-worker.ts', import.meta.url).href;
    for (let i = 0; i < size; i++) {
      // The common boot script registers tsx inside the worker, then imports `entry`.
      const w = new Worker(new URL('../common/frame-transform-worker-boot.mjs', import.meta.url), { workerData: { entry } });
      w.on('message', (r: FrameJobReply) => {
        if (--this.load[i]! === 0) w.unref();
        const p = this.pending.get(r.id);
        if (!p) return;
        this.pending.delete(r.id);
        if (r.error !== undefined || !r.data) p.reject(new Error(`frame job failed: ${r.error}`));
        else p.resolve(r.float ? new Float32Array(r.data) : new Uint8Array(r.data));
      });
      w.on('error', (e) => {
        for (const [, p] of this.pending) p.reject(e);
        this.pending.clear();
        this.broken = e;
      });
      w.unref();
      this.workers.push(w);
      this.load.push(0);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Run `job` on one frame (its pixels are copied: the frame's buffer may be reused at once). */
  run(job: FrameJob, frame: RgbImage): Promise<Float32Array | Uint8Array> {
    if (this.broken) return Promise.reject(new Error(`frame job workers failed: ${this.broken.message}`));
    if (this.workers.length === 0) {
      try {
        return Promise.resolve(runFrameJob(job, frame));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[best]!) best = i;
    const id = this.nextId++;
    const pixels = frame.data.slice();
    const msg: FrameJobRequest = { id, job, width: frame.width, height: frame.height, pixels };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.load[best]!++ === 0) this.workers[best]!.ref();
      this.workers[best]!.postMessage(msg, [pixels.buffer as ArrayBuffer]);
    });
  }
}

let shared: FrameJobPool | undefined;

export function sharedFrameJobPool(): FrameJobPool {
  if (!shared) {
    const env = process.env['GENBENCH_TRANSFORM_WORKERS'];
    shared = new FrameJobPool(env !== undefined && /^\d+$/.test(env) ? Number(env) : Math.max(1, availableParallelism()));
  }
  return shared;
}

/** Jobs in flight per stream. */
export function frameJobsAhead(): number {
  return 2 * Math.max(1, sharedFrameJobPool().size);
}
