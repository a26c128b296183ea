/**
 * SharedArrayBuffers reused across videos. Allocating them is costly (they are zeroed, live
 * outside the JavaScript heap and are freed only by a garbage collection that does not feel
 * their size), and a video run asks for the same sizes again and again: frame rings of the
 * decoder, batch buffers of the transform workers. Buffers are handed out by exact byte length;
 * a released buffer is kept for the next request of that length (up to `keep` per length, and
 * lengths beyond the most recent `sizes` are dropped).
 */
export class SharedBufferPool {
  private readonly free = new Map<number, SharedArrayBuffer[]>();

  constructor(
    private readonly keep = 16,
    private readonly sizes = 8,
  ) {}

  acquire(byteLength: number): SharedArrayBuffer {
    const list = this.free.get(byteLength);
    const b = list?.pop();
    return b ?? new SharedArrayBuffer(byteLength);
  }

  /** Give a buffer back: nothing may use it afterwards. */
  release(buffer: SharedArrayBuffer): void {
    let list = this.free.get(buffer.byteLength);
    if (!list) {
      if (this.free.size >= this.sizes) this.free.delete(this.free.keys().next().value!);
      this.free.set(buffer.byteLength, (list = []));
    }
    if (list.length < this.keep) list.push(buffer);
  }
}

/**
 * Buffers taken for one job, given back together with `release()` once nothing uses them (a job
 * that fails simply drops its lease: a worker may still be writing into one of its buffers).
 */
export class SharedBufferLease {
  private readonly taken: SharedArrayBuffer[] = [];

  constructor(private readonly pool: SharedBufferPool) {}

  readonly acquire = (byteLength: number): SharedArrayBuffer => {
    const b = this.pool.acquire(byteLength);
    this.taken.push(b);
    return b;
  };

  release(): void {
    for (const b of this.taken.splice(0)) this.pool.release(b);
  }
}

/** The process's pool (each worker thread that imports this has its own, unused). */
export const sharedBuffers = new SharedBufferPool();
