/** The prompt-feature cache (src/generate/nova/text-embeddings.ts): one encoder call per prompt, exact float32 round trip, damaged entries recomputed, keyed by encoder files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextEmbeddingCache, textEncoderKey } from '../../src/generate/nova/text-embeddings.ts';
import type { TextFeatures } from '../../src/generate/nova/sampler/networks.ts';

const DIM = 3;

function fakeEncoder(calls: string[], opened: { n: number }) {
  return async () => {
    opened.n += 1;
    return {
      async encodeText(prompts: readonly string[]): Promise<TextFeatures[]> {
        return prompts.map((p) => {
          calls.push(p);
          const n = Math.min(p.length, 4);
          return { features: Float32Array.from({ length: n * DIM }, (_, i) => Math.fround(p.charCodeAt(i % p.length) / 7 + i * 1e-7)), length: n, truncated: p.length > 4 };
        });
      },
    };
  };
}

test('text embedding cache: encoder opened lazily, once per prompt, exact values, truncation kept, damaged entries redone', async () => {
  const root = mkdtempSync(join(tmpdir(), 'gb-text-cache-'));
  const key = textEncoderKey({ 'text_encoder/model.safetensors': 'aa', 'tokenizer/tokenizer.json': 'bb' }, 256);
  const calls: string[] = [];
  const opened = { n: 0 };
  const cache = new TextEmbeddingCache(key, DIM, fakeEncoder(calls, opened), root);
  const a = await cache.get('a cat');
  assert.equal(a.cached, false);
  assert.equal(a.length, 4);
  assert.equal(a.truncated, true);
  // A second cache object (a later run) reads it back bit for bit without opening the encoder.
  const opened2 = { n: 0 };
  const later = new TextEmbeddingCache(key, DIM, fakeEncoder(calls, opened2), root);
  const b = await later.get('a cat');
  assert.equal(b.cached, true);
  assert.deepEqual(b.features, a.features);
  assert.equal(b.truncated, true);
  assert.equal(opened2.n, 0);
  assert.deepEqual(calls, ['a cat']);
  // Damaged data: recomputed.
  const data = readdirSync(join(root, key)).find((f) => f.endsWith('.f32'))!;
  writeFileSync(join(root, key, data), Buffer.alloc(8));
  assert.equal((await later.get('a cat')).cached, false);
  assert.deepEqual(calls, ['a cat', 'a cat']);
  // Another encoder (other file hashes or token limit): another key, nothing shared.
  assert.notEqual(textEncoderKey({ 'text_encoder/model.safetensors': 'ab', 'tokenizer/tokenizer.json': 'bb' }, 256), key);
  assert.notEqual(textEncoderKey({ 'text_encoder/model.safetensors': 'aa', 'tokenizer/tokenizer.json': 'bb' }, 32), key);
  assert.equal(opened.n, 1);
  rmSync(root, { recursive: true, force: true });
});
