/** SharedBufferPool / SharedBufferLease: buffers come back by exact length, a lease returns all it took. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SharedBufferLease, SharedBufferPool } from '../../src/core/shared-buffers.ts';

test('a released buffer is handed out again for the same length only', () => {
  const pool = new SharedBufferPool(2, 2);
  const a = pool.acquire(1024);
  assert.ok(a instanceof SharedArrayBuffer);
  assert.equal(a.byteLength, 1024);
  pool.release(a);
  assert.notEqual(pool.acquire(2048), a, 'another length gets a new buffer');
  assert.equal(pool.acquire(1024), a, 'the same length gets the released one');
  assert.notEqual(pool.acquire(1024), a, 'a buffer is handed out once');
});

test('the pool keeps at most `keep` buffers per length and `sizes` lengths', () => {
  const pool = new SharedBufferPool(2, 2);
  const bufs = [pool.acquire(8), pool.acquire(8), pool.acquire(8)];
  bufs.forEach((b) => pool.release(b));
  const again = [pool.acquire(8), pool.acquire(8), pool.acquire(8)];
  assert.equal(again.filter((b) => bufs.includes(b)).length, 2);
  // A third length pushes out the oldest one.
  const l1 = pool.acquire(16);
  const l2 = pool.acquire(32);
  pool.release(l1);
  pool.release(l2);
  pool.release(pool.acquire(64));
  assert.notEqual(pool.acquire(8), again[0], 'length 8 was dropped');
  assert.equal(pool.acquire(32), l2);
});

test('a lease gives back everything it took, once', () => {
  const pool = new SharedBufferPool();
  const lease = new SharedBufferLease(pool);
  const x = lease.acquire(100);
  const y = lease.acquire(100);
  lease.release();
  lease.release();
  const got = [pool.acquire(100), pool.acquire(100), pool.acquire(100)];
  assert.deepEqual(new Set(got.slice(0, 2)), new Set([x, y]));
  assert.ok(!got.slice(0, 2).includes(got[2]!));
});
