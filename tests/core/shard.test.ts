import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inShard, parseShard, shardOf } from '../../src/core/shard.ts';

test('parseShard takes 1-based I/N and rejects nonsense', () => {
  assert.deepEqual(parseShard('1/4'), { index: 0, count: 4 });
  assert.deepEqual(parseShard(' 4 / 4 '), { index: 3, count: 4 });
  for (const bad of ['0/4', '5/4', '1/0', '2', 'a/b', '-1/3']) assert.throws(() => parseShard(bad), /--shard/);
});

test('every unit lands in exactly one shard, independent of order, and shards are balanced', () => {
  const units = Array.from({ length: 946 }, (_, i) => `prompt number ${i}`);
  for (const n of [1, 2, 3, 8]) {
    const sizes = new Array(n).fill(0);
    for (const u of units) {
      const owners = Array.from({ length: n }, (_, i) => i).filter((i) => inShard(u, { index: i, count: n }));
      assert.equal(owners.length, 1);
      sizes[owners[0]!] += 1;
      assert.equal(shardOf(u, n), owners[0]);
    }
    const expected = units.length / n;
    for (const s of sizes) assert.ok(Math.abs(s - expected) < 5 * Math.sqrt(expected) + 1, `shard size ${s} vs ${expected}`);
  }
  assert.equal(inShard('x', undefined), true);
});
