/**
 * Model runs spread over worker threads. onnxruntime-node runs a session synchronously on the
 * calling thread, so on the main thread one run blocks everything else (decoding pipes, the next
 * run) and videos "in flight" take turns; and one session's intra-op threads scale poorly on the
 * many small operators of RAFT, AMT or MUSIQ (below ~1 ms each, synchronisation dominates). Here
 * each worker opens its own copy of the model (same file, same cpu provider and optimisation level)
 * and takes one run at a time, so `workers` runs go truly in parallel.
 *
 * Results are those of a main-thread session with the worker's thread count (floor(cores/workers),
 * or the --threads asked for): the VBench records of every dimension that uses this were compared
 * bit for bit with the parity tests' way, one main-thread session with 1 thread
 * (bench/vbench-quality.ts --check), and tests/runtime/session-workers.test.ts checks the outputs.
 *
 * Falls back to the session itself (one run at a time) when the session was not made by createSession,
 * is not on the cpu provider, or when only one copy of the model fits (see `sessionWorkerCount`).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import { GenbenchError } from '../core/errors.ts';
import { sessionSource, type InferenceSession, type SessionSource } from './session.ts';

export interface WireTensor {
  type: 'float32' | 'int32' | 'int64' | 'uint8' | 'bool' | 'float64' | 'int8';
  dims: number[];
  data: ArrayBufferView;
}

export interface WorkerSetup {
  entry: string;
  path: string;
  /** The bytes to load instead of the file (SessionSource.model). */
  model?: Uint8Array;
  threads: number;
}

export interface RunRequest {
  id: number;
  feeds: Record<string, WireTensor>;
}

export interface RunReply {
  id: number;
  outputs?: Record<string, WireTensor>;
  error?: string;
}

/** Runs a model. */
export interface ModelRunner {
  /**
   * How many runs a caller may leave in flight while it goes on (and reuses its feed buffers):
   * the workers' count, whose `run` copies the feeds before returning; 0 for the session itself,
   * which reads them later (await each run before touching its buffers).
   */
  readonly ahead: number;
  /**
   * `workingBytes`: what one run of these feeds needs beyond its inputs (e.g. a correlation
   * volume); runs wait while the pool's running total would pass WORKER_WORKING_BUDGET_BYTES.
   */
  run(feeds: Record<string, ort.Tensor>, opts?: { workingBytes?: number }): Promise<Record<string, ort.Tensor>>;
}

/** Memory allowed for the workers' copies of one model (the main thread's session comes on top). */
export const WORKER_MODEL_BUDGET_BYTES = 2 * 1024 ** 3;
/** Working memory the runs of one pool may hold at once (one run always may, whatever it needs). */
export const WORKER_WORKING_BUDGET_BYTES = 3 * 1024 ** 3;

/**
 * Models above this size run in one session with every core instead: their operators (the GEMMs
 * of full-size ViTs) are large and parallelise well inside one session. Measured on 2 cores with
 * the full-size CLIP ViT-B/32 (350 MB), background_consistency over 144 frames: 5.1 s in one
 * session, 6.7 s in two single-threaded workers (bench/vbench-quality.ts --full).
 */
export const WORKER_MAX_MODEL_BYTES = 256 * 1024 ** 2;

/**
 * Workers for a model file of `bytes`: one per core, at most as many copies as fit in
 * WORKER_MODEL_BUDGET_BYTES, none (1: the session itself) above WORKER_MAX_MODEL_BYTES.
 * GENBENCH_SESSION_WORKERS overrides (0 or 1: no workers).
 */
export function sessionWorkerCount(bytes: number, cores = availableParallelism()): number {
  const env = process.env['GENBENCH_SESSION_WORKERS'];
  if (env !== undefined && /^\d+$/.test(env)) return Number(env);
  if (bytes > WORKER_MAX_MODEL_BYTES) return 1;
  return Math.max(1, Math.min(cores, Math.floor(WORKER_MODEL_BUDGET_BYTES / Math.max(1, bytes))));
}

interface QueuedRun {
  wire: Record<string, WireTensor>;
  workingBytes: number;
  resolve: (o: Record<string, ort.Tensor>) => void;
  reject: (e: Error) => void;
}

class SessionWorkerPool implements ModelRunner {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly pending = new Map<number, { worker: number; workingBytes: number; resolve: QueuedRun['resolve']; reject: QueuedRun['reject'] }>();
  /** Runs waiting for working memory, in order. */
  private readonly queue: QueuedRun[] = [];
  private nextId = 0;
  private broken: Error | undefined;
  private working = 0;

  constructor(source: SessionSource, count: number, threads: number) {
    const entry = new URL('./session-worker.ts', import.meta.url).href;
    for (let i = 0; i < count; i++) {
      const setup: WorkerSetup = { entry, path: source.path, threads, ...(source.model ? { model: source.model } : {}) };
      const w = new Worker(new URL('./session-worker-boot.mjs', import.meta.url), { workerData: setup });
      w.on('message', (r: RunReply) => this.reply(i, r));
      w.on('error', (e) => {
        // A broken worker fails what is in flight or waiting, and the pool refuses further runs.
        this.broken = e;
        for (const [, p] of this.pending) p.reject(e);
        for (const q of this.queue) q.reject(e);
        this.pending.clear();
        this.queue.length = 0;
      });
      // An idle worker must not keep the process alive, a busy one must.
      w.unref();
      this.workers.push(w);
      this.load.push(0);
    }
  }

  get ahead(): number {
    return this.workers.length;
  }

  run(feeds: Record<string, ort.Tensor>, opts: { workingBytes?: number } = {}): Promise<Record<string, ort.Tensor>> {
    if (this.broken) return Promise.reject(new GenbenchError('E_RUN', `model workers failed: ${this.broken.message}`));
    // Own copies of the feeds, made now: the caller may reuse its buffers as soon as run returns.
    const wire: Record<string, WireTensor> = {};
    for (const [name, t] of Object.entries(feeds)) {
      wire[name] = { type: t.type as WireTensor['type'], dims: [...t.dims], data: (t.data as Float32Array).slice() };
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ wire, workingBytes: Math.max(0, opts.workingBytes ?? 0), resolve, reject });
      this.pump();
    });
  }

  /** Start queued runs while their working memory fits (one run always may start). */
  private pump(): void {
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (this.pending.size > 0 && this.working + next.workingBytes > WORKER_WORKING_BUDGET_BYTES) return;
      this.queue.shift();
      // A run too big to have one per worker goes to worker 0: ONNX Runtime's arena keeps a run's
      // peak memory, so big runs spread over workers would leave that much in every one of them.
      const big = next.workingBytes * this.workers.length > WORKER_WORKING_BUDGET_BYTES;
      let best = 0;
      if (!big) for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[best]!) best = i;
      const id = this.nextId++;
      this.working += next.workingBytes;
      this.pending.set(id, { worker: best, workingBytes: next.workingBytes, resolve: next.resolve, reject: next.reject });
      if (this.load[best]!++ === 0) this.workers[best]!.ref();
      const transfer = Object.values(next.wire).map((w) => w.data.buffer as ArrayBuffer);
      this.workers[best]!.postMessage({ id, feeds: next.wire } satisfies RunRequest, transfer);
    }
  }

  private reply(worker: number, r: RunReply): void {
    if (--this.load[worker]! === 0) this.workers[worker]!.unref();
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    this.working -= p.workingBytes;
    if (r.error !== undefined || !r.outputs) {
      p.reject(new GenbenchError('E_RUN', `model run failed: ${r.error ?? 'no outputs'}`));
    } else {
      const out: Record<string, ort.Tensor> = {};
      for (const [name, t] of Object.entries(r.outputs)) out[name] = new ort.Tensor(t.type, t.data as Float32Array, t.dims);
      p.resolve(out);
    }
    this.pump();
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

/** The session itself, one run at a time (its own intra-op threads). */
function directRunner(session: InferenceSession): ModelRunner {
  return { ahead: 0, run: (feeds) => session.run(unshared(feeds)) };
}

/**
 * onnxruntime-node refuses tensors whose data lies in a SharedArrayBuffer ("Invalid argument"):
 * those feeds are copied into ordinary memory (the worker pool copies every feed anyway).
 */
export function unshared(feeds: Record<string, ort.Tensor>): Record<string, ort.Tensor> {
  let out: Record<string, ort.Tensor> | undefined;
  for (const [name, t] of Object.entries(feeds)) {
    const data = t.data as Float32Array;
    if (!(data.buffer instanceof SharedArrayBuffer)) continue;
    out ??= { ...feeds };
    out[name] = new ort.Tensor(t.type as 'float32', data.slice(), t.dims);
  }
  return out ?? feeds;
}

const pools = new Map<string, SessionWorkerPool>();
const direct = new WeakMap<InferenceSession, ModelRunner>();

/**
 * A runner for `session`: worker threads with their own copies when that helps (see the module
 * comment), else the session. One pool per (file, threads) per process, started on first use.
 */
export function modelRunner(session: InferenceSession): ModelRunner {
  const source = sessionSource(session);
  const cores = availableParallelism();
  const count = source && source.device === 'cpu' ? sessionWorkerCount(source.bytes, cores) : 1;
  if (!source || count <= 1) {
    let r = direct.get(session);
    if (!r) direct.set(session, (r = directRunner(session)));
    return r;
  }
  const threads = source.threads ?? Math.max(1, Math.floor(cores / count));
  const key = `${source.path}|${threads}|${count}`;
  let pool = pools.get(key);
  if (!pool) pools.set(key, (pool = new SessionWorkerPool(source, count, threads)));
  return pool;
}

/** Stop every worker pool (tests, end of a run); a later modelRunner call starts new ones. */
export async function closeSessionWorkers(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.close()));
}

/**
 * Jobs started in order with up to `inFlight` of them pending (ModelRunner.ahead), results
 * returned in the same order.
 */
export class OrderedRuns<T> {
  private readonly queue: Promise<T>[] = [];

  constructor(private readonly inFlight: number) {}

  /** Start a job; when too many are in flight, first wait for the oldest and return its result. */
  async push(job: Promise<T>): Promise<T[]> {
    job.catch(() => {}); // handled in its turn; no unhandled rejection if the caller stops early
    this.queue.push(job);
    const done: T[] = [];
    while (this.queue.length > this.inFlight) done.push(await this.queue.shift()!);
    return done;
  }

  /** Wait for every job still in flight, in order. */
  async drain(): Promise<T[]> {
    const done: T[] = [];
    while (this.queue.length) done.push(await this.queue.shift()!);
    return done;
  }
}
