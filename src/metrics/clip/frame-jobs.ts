/**
 * Worker threads for the semantic dimensions' per-frame transforms (frame-job-kinds.ts: CLIP's PIL
 * path for appearance_style, ViCLIP's and UMT's video transforms), so that resizing — the costliest
 * JavaScript step there — uses every core while the main thread keeps ffmpeg's pipe and ONNX
 * Runtime busy. The results are those of calling the functions directly (same code). The common
 * frame-transform pool (metrics/common) runs only the table-declared tensor transform; these jobs
 * are other transforms. One pool per process, sized like it (GENBENCH_TRANSFORM_WORKERS, 0 = inline).
 */
import type { RgbImage } from '../../media/image.ts';
import { WorkerPool, workerPoolSize } from '../common/worker-pool.ts';
import { runFrameJob, type FrameJob, type FrameJobReply, type FrameJobRequest } from './frame-job-kinds.ts';

export class FrameJobPool {
  private readonly pool: WorkerPool<FrameJobReply>;

  constructor(size: number) {
    this.pool = new WorkerPool<FrameJobReply>(new URL('./frame-job-worker.ts', import.meta.url), size, 'frame job');
  }

  get size(): number {
    return this.pool.size;
  }

  /** Run `job` on one frame (its pixels are copied: the frame's buffer may be reused at once). */
  run(job: FrameJob, frame: RgbImage): Promise<Float32Array | Uint8Array> {
    return this.pool.run<Float32Array | Uint8Array>(
      () => runFrameJob(job, frame),
      (id) => {
        const pixels = frame.data.slice();
        const message: FrameJobRequest = { id, job, width: frame.width, height: frame.height, pixels };
        return { message, transfer: [pixels.buffer as ArrayBuffer] };
      },
      (r) => (r.data ? (r.float ? new Float32Array(r.data) : new Uint8Array(r.data)) : undefined),
    );
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

let shared: FrameJobPool | undefined;

export function sharedFrameJobPool(): FrameJobPool {
  if (!shared) shared = new FrameJobPool(workerPoolSize());
  return shared;
}

/** Jobs in flight per stream. */
export function frameJobsAhead(): number {
  return 2 * Math.max(1, sharedFrameJobPool().size);
}
