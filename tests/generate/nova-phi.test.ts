import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { parsePhiConfig, readJsonConfig } from '../../src/generate/nova/config.ts';
import { WeightBinder } from '../../src/generate/nova/graph/weights.ts';
import { buildPhiEncoderGraph, phiRotaryTables } from '../../src/generate/nova/networks/phi-encoder.ts';
import { openSafetensors } from '../../src/generate/nova/safetensors.ts';
import { OrtPhiTextEncoder, loadTokenizer, tokenizePrompt } from '../../src/generate/nova/networks/ort-text-encoder.ts';
import { NOVA_TINY_DIR, agreement, novaGolden, session } from '../helpers/nova-tiny.ts';

const TOL = 1e-4;
const dir = join(NOVA_TINY_DIR, 'text_encoder');

const ids = (rows: number[][]) => new ort.Tensor('int64', BigInt64Array.from(rows.flat().map(BigInt)), [rows.length, rows[0].length]);

test('Phi-2 encoder (parallel blocks, partial rotary, causal attention, final LN) matches PhiEncoderModel', async () => {
  const cfg = parsePhiConfig(readJsonConfig(join(dir, 'config.json')));
  assert.equal(cfg.rotaryDim, 4); // int(0.4 · 12), as for the real int(0.4 · 80) = 32
  const s = await session(buildPhiEncoderGraph(new WeightBinder(openSafetensors(dir, 'model')), cfg));
  const g = novaGolden.phi;
  const out = await s.run({ input_ids: ids(g.input_ids) });
  const a = agreement(out.hidden.data as Float32Array, g.hidden.data);
  console.log(`phi encoder: max|Δ| ${a.maxAbs.toExponential(2)}, relative ${a.relative.toExponential(2)}`);
  assert.ok(a.relative <= TOL, `relative ${a.relative}`);

  // Causal: the first 4 tokens alone give the same rows as inside the 7-token run (why no padding is needed).
  const short = await s.run({ input_ids: ids(g.input_ids.map((r: number[]) => r.slice(0, 4))) });
  const D = cfg.hiddenSize;
  const expected: number[] = [];
  for (let b = 0; b < 2; b++) expected.push(...g.hidden.data.slice(b * 7 * D, (b * 7 + 4) * D));
  assert.ok(agreement(short.hidden.data as Float32Array, expected).relative <= TOL);
});

test('rotary tables: position 0 is the identity, frequencies theta^(−2i/dim)', () => {
  const { cos, sin, half } = phiRotaryTables(3, 32, 10000);
  assert.equal(half, 16);
  for (let i = 0; i < 16; i++) {
    assert.equal(cos[i], 1);
    assert.equal(sin[i], 0);
  }
  assert.equal(cos[16], Math.fround(Math.cos(1))); // position 1, frequency 1
  assert.equal(sin[16 + 15], Math.fround(Math.sin(Math.fround(1 / Math.fround(10000 ** Math.fround(30 / 32))))));
});

/** A tiny byte-level BPE tokenizer.json in the Phi-2/GPT-2 layout (ByteLevel pre-tokenizer and post-processor). */
function tinyTokenizerDir(): string {
  const vocab: Record<string, number> = {};
  'abcdefghijklmnopqrstuvwxyz'.split('').forEach((c, i) => (vocab[c] = i));
  Object.assign(vocab, { 'Ġ': 26, ca: 27, cat: 28, '<|endoftext|>': 50 });
  const json = {
    version: '1.0', truncation: null, padding: null,
    added_tokens: [{ id: 50, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab, merges: ['c a', 'ca t'] },
  };
  const d = mkdtempSync(join(tmpdir(), 'gb-phi-tok-'));
  writeFileSync(join(d, 'tokenizer.json'), JSON.stringify(json));
  writeFileSync(join(d, 'tokenizer_config.json'), JSON.stringify({ bos_token: '<|endoftext|>', eos_token: '<|endoftext|>', pad_token: '<|endoftext|>', model_max_length: 2048 }));
  return d;
}

test('text-encoder part: tokenises without BOS/EOS, truncates at max tokens, runs Phi-2 per prompt', async () => {
  const tok = tinyTokenizerDir();
  const enc = await OrtPhiTextEncoder.open(dir, tok, { delivery: 'embed', outDir: mkdtempSync(join(tmpdir(), 'gb-phi-')) });
  assert.deepEqual(tokenizePrompt(loadTokenizer(tok), 'a cat').ids, [0, 26, 28]);
  const [full, cut, empty] = await (async () => {
    const a = await enc.encodeText(['a cat', '']);
    const short = await OrtPhiTextEncoder.open(dir, tok, { delivery: 'embed', outDir: mkdtempSync(join(tmpdir(), 'gb-phi-')), maxTokens: 2 });
    return [a[0], (await short.encodeText(['a cat']))[0], a[1]];
  })();
  assert.deepEqual([full.length, full.truncated, cut.length, cut.truncated, empty.length], [3, false, 2, true, 0]);
  assert.equal(full.features.length, 3 * 24);
  assert.deepEqual(cut.features, full.features.slice(0, 2 * 24), 'causal: the cut prompt is a prefix of the full one');
  // The part's Phi run agrees with the official model on the golden ids.
  const g = novaGolden.phi;
  const row0 = await enc.encodeIds(g.input_ids[0]);
  assert.ok(agreement(row0, g.hidden.data.slice(0, 7 * 24)).relative <= TOL);
  await assert.rejects(enc.encodeIds([100]), /outside the vocabulary/);
});
