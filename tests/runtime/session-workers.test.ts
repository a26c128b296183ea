import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { createSession, releaseSessions } from '../../src/runtime/session.ts';
import { closeSessionWorkers, modelRunner, OrderedRuns, sessionWorkerCount, WORKER_WORKING_BUDGET_BYTES } from '../../src/runtime/session-workers.ts';

const CLIP = new URL('../fixtures/models/clip-b32-tiny.onnx', import.meta.url).pathname;

after(async () => {
  await closeSessionWorkers();
  await releaseSessions();
});

const pixels = (seed: number) => Float32Array.from({ length: 2 * 3 * 224 * 224 }, (_, i) => ((i * 7919 + seed * 104729) % 1000) / 500 - 1);

test('worker runs give exactly what the session gives, and the caller may reuse its buffer as soon as run returns', async () => {
  process.env['GENBENCH_SESSION_WORKERS'] = '2';
  try {
    const session = await createSession(CLIP, { threads: 1 });
    const runner = modelRunner(session);
    assert.equal(runner.ahead, 2);
    assert.equal(modelRunner(session), runner, 'one pool per model');
    const inputs = [1, 2, 3, 4].map(pixels);
    const expected: Float32Array[] = [];
    for (const x of inputs) expected.push(((await session.run({ pixel_values: new ort.Tensor('float32', x.slice(), [2, 3, 224, 224]) }))['image_embeds']!.data as Float32Array).slice());
    // One buffer, overwritten right after each run call.
    const shared = new Float32Array(inputs[0]!.length);
    const pending = inputs.map((x) => {
      shared.set(x);
      const p = runner.run({ pixel_values: new ort.Tensor('float32', shared, [2, 3, 224, 224]) });
      shared.fill(Number.NaN);
      return p;
    });
    const got = await Promise.all(pending);
    got.forEach((o, i) => assert.deepEqual(o['image_embeds']!.data, expected[i], `input ${i}`));
    // Runs over the working-memory budget go one at a time, and still all run.
    const big = await Promise.all(inputs.slice(0, 2).map((x) => runner.run({ pixel_values: new ort.Tensor('float32', x, [2, 3, 224, 224]) }, { workingBytes: WORKER_WORKING_BUDGET_BYTES })));
    big.forEach((o, i) => assert.deepEqual(o['image_embeds']!.data, expected[i]));
  } finally {
    delete process.env['GENBENCH_SESSION_WORKERS'];
  }
});

test('a session not made by createSession, or one copy only, runs on the session itself (ahead 0)', async () => {
  const plain = await ort.InferenceSession.create(CLIP);
  assert.equal(modelRunner(plain).ahead, 0);
  process.env['GENBENCH_SESSION_WORKERS'] = '1';
  try {
    assert.equal(modelRunner(await createSession(CLIP, { threads: 2 })).ahead, 0);
  } finally {
    delete process.env['GENBENCH_SESSION_WORKERS'];
  }
  await plain.release();
});

test('worker count: one per core, as many model copies as fit in 2 GiB, none above 256 MiB, overridable', () => {
  assert.equal(sessionWorkerCount(20e6, 16), 16);
  assert.equal(sessionWorkerCount(200 * 1024 ** 2, 16), 10); // floor(2 GiB / 200 MiB)
  assert.equal(sessionWorkerCount(256 * 1024 ** 2, 16), 8);
  assert.equal(sessionWorkerCount(256 * 1024 ** 2 + 1, 16), 1); // above WORKER_MAX_MODEL_BYTES: one session, all cores
  assert.equal(sessionWorkerCount(1.2e9, 16), 1);
  assert.equal(sessionWorkerCount(20e6, 1), 1);
  process.env['GENBENCH_SESSION_WORKERS'] = '3';
  try {
    assert.equal(sessionWorkerCount(1.2e9, 16), 3);
  } finally {
    delete process.env['GENBENCH_SESSION_WORKERS'];
  }
});

test('OrderedRuns keeps `inFlight` jobs pending and returns results in job order', async () => {
  const later = (v: number, ms: number) => new Promise<number>((r) => setTimeout(() => r(v), ms));
  const runs = new OrderedRuns<number>(2);
  const seen: number[] = [];
  seen.push(...(await runs.push(later(0, 30))));
  seen.push(...(await runs.push(later(1, 5))));
  assert.equal(seen.length, 0, 'two may stay pending');
  seen.push(...(await runs.push(later(2, 1))));
  assert.deepEqual([...seen], [0]);
  seen.push(...(await runs.drain()));
  assert.deepEqual(seen, [0, 1, 2]);
  const none = new OrderedRuns<number>(0);
  assert.deepEqual(await none.push(later(7, 1)), [7], 'inFlight 0 waits for each job');
  const failing = new OrderedRuns<number>(1);
  await failing.push(Promise.reject(new Error('boom')));
  await assert.rejects(failing.drain(), /boom/);
});
