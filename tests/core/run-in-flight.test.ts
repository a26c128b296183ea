/**
 * The sample scheduler of scoreDimension: every item once, at most `concurrency` at a time, and
 * each item prefetched exactly once, before it starts and no more than `concurrency` items ahead.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInFlight } from '../../src/core/score-dimension.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('runInFlight: all items, bounded concurrency, each prefetched once, before it starts, at most `concurrency` ahead', async () => {
  for (const [count, concurrency] of [[0, 2], [1, 2], [7, 1], [10, 2], [10, 3], [3, 8]] as const) {
    const items = Array.from({ length: count }, (_, i) => i);
    const events: string[] = [];
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const prefetched: number[] = [];
    await runInFlight(
      items,
      concurrency,
      async (i) => {
        events.push(`start ${i}`);
        started.push(i);
        peak = Math.max(peak, ++running);
        await tick((i * 7) % 5);
        running--;
      },
      (i) => {
        // Never further ahead than the items in flight allow.
        assert.ok(i <= started.length + concurrency, `item ${i} prefetched with only ${started.length} started`);
        events.push(`prefetch ${i}`);
        prefetched.push(i);
      },
    );
    assert.deepEqual(started, items, `${count}/${concurrency}: items start in order, once each`);
    assert.deepEqual([...prefetched].sort((a, b) => a - b), items, `${count}/${concurrency}: each item prefetched once`);
    for (const i of items) assert.ok(events.indexOf(`prefetch ${i}`) < events.indexOf(`start ${i}`), `item ${i} prefetched before it starts`);
    assert.ok(peak <= Math.max(1, concurrency), `${count}/${concurrency}: ${peak} in flight`);
    if (count >= concurrency && concurrency > 1) assert.equal(peak, concurrency);
  }
});

test('runInFlight: a failing item rejects the run', async () => {
  await assert.rejects(
    runInFlight([1, 2, 3], 2, async (i) => {
      if (i === 2) throw new Error('boom');
    }),
    /boom/,
  );
});
