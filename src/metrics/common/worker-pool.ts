/**
 * The mechanics shared by the per-frame worker pools (frame-transform-pool.ts, clip/frame-jobs.ts):
 * TypeScript workers started through the boot script, least-loaded dispatch, a reply matched to its
 * request by id, an idle worker that does not keep the process alive, a broken worker that fails
 * everything in flight, and a size-0 pool that runs the job inline. What a request carries and how a
 * reply becomes a result belong to the pool that uses it.
 */
import { availableParallelism } from 'node:os';
import { Worker, type TransferListItem } from 'node:worker_threads';

/** What every worker reply carries: the request's id, and the error message when the job threw. */
export interface WorkerReply {
  id: number;
  error?: string;
}

/** One request for a worker: the message and the buffers handed over with it. */
export interface WorkerRequest {
  message: unknown;
  transfer: readonly TransferListItem[];
}

interface Pending<R> {
  decode: (reply: R) => unknown;
  resolve: (value: unknown) => void;
  reject: (e: Error) => void;
}

export class WorkerPool<R extends WorkerReply> {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly pending = new Map<number, Pending<R>>();
  private nextId = 0;
  private broken: Error | undefined;

  /**
   * `entry`: the TypeScript worker module; `size` workers (0: every job runs inline); `what` names
   * the jobs in error messages ("frame transform" gives "frame transform failed: …").
   */
  constructor(
    entry: URL,
    size: number,
    private readonly what: string,
  ) {
    for (let i = 0; i < size; i++) {
      // The boot script registers tsx inside the worker (a loader registered on the main thread does not reach workers), then imports `entry`.
      const w = new Worker(new URL('./frame-transform-worker-boot.mjs', import.meta.url), { workerData: { entry: entry.href } });
      w.on('message', (r: R) => {
        if (--this.load[i]! === 0) w.unref();
        const p = this.pending.get(r.id);
        if (!p) return;
        this.pending.delete(r.id);
        let value: unknown;
        try {
          value = r.error !== undefined ? undefined : p.decode(r);
        } catch (e) {
          p.reject(e as Error);
          return;
        }
        if (value === undefined) p.reject(new Error(`${this.what} failed: ${r.error}`));
        else p.resolve(value);
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
   * Run one job: `inline()` when the pool has no workers, else `request(id)` posted to the least
   * loaded worker, its reply turned into the result by `decode` (undefined: the reply holds no
   * result, which rejects like a worker error).
   */
  run<T>(inline: () => T, request: (id: number) => WorkerRequest, decode: (reply: R) => T | undefined): Promise<T> {
    if (this.broken) return Promise.reject(new Error(`${this.what} workers failed: ${this.broken.message}`));
    if (this.workers.length === 0) {
      try {
        return Promise.resolve(inline());
      } catch (e) {
        return Promise.reject(e);
      }
    }
    let best = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[best]!) best = i;
    const id = this.nextId++;
    const { message, transfer } = request(id);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { decode, resolve: resolve as (value: unknown) => void, reject });
      if (this.load[best]!++ === 0) this.workers[best]!.ref();
      this.workers[best]!.postMessage(message, transfer);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

/** Workers per pool: GENBENCH_TRANSFORM_WORKERS (digits; 0 = inline), else one per core. */
export function workerPoolSize(): number {
  const env = process.env['GENBENCH_TRANSFORM_WORKERS'];
  return env !== undefined && /^\d+$/.test(env) ? Number(env) : Math.max(1, availableParallelism());
}
