import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { FIXTURE_RECIPES, buildFixtureModel, buildFixtureModels } from '../../tools/fixtures/build-fixtures.ts';
import { builtinModelSpecs } from '../../src/runtime/registry.ts';
import { inspectSignature } from '../../src/runtime/session.ts';

// The signatures the fixtures must have, written out here (not read from the registry) so a
// drift in either the registry or the builder shows up.
const EXPECTED: Record<string, { inputs: [string, string, (number | string)[]][]; outputs: [string, string, (number | string)[]][] }> = {
  'fixture-dino': { inputs: [['pixel_values', 'float32', ['batch', 3, 'height', 'width']]], outputs: [['features', 'float32', ['batch', 768]]] },
  'fixture-clip-b32-image': { inputs: [['pixel_values', 'float32', ['batch', 3, 224, 224]]], outputs: [['image_embeds', 'float32', ['batch', 512]]] },
  'fixture-clip-l14-image': { inputs: [['pixel_values', 'float32', ['batch', 3, 224, 224]]], outputs: [['image_embeds', 'float32', ['batch', 768]]] },
  'fixture-aesthetic-head': { inputs: [['image_embeds', 'float32', ['batch', 768]]], outputs: [['score', 'float32', ['batch', 1]]] },
  'fixture-musiq': { inputs: [['patches', 'float32', ['batch', 'tokens', 3075]]], outputs: [['score', 'float32', ['batch', 1]]] },
  'fixture-raft': {
    inputs: [['image1', 'float32', ['batch', 3, 'height', 'width']], ['image2', 'float32', ['batch', 3, 'height', 'width']]],
    outputs: [['flow', 'float32', ['batch', 2, 'height', 'width']]],
  },
  'fixture-amt': {
    inputs: [['img0', 'float32', ['batch', 3, 'height', 'width']], ['img1', 'float32', ['batch', 3, 'height', 'width']], ['embt', 'float32', ['batch', 1, 1, 1]]],
    outputs: [['imgt_pred', 'float32', ['batch', 3, 'height', 'width']]],
  },
  'fixture-mask2former': {
    inputs: [['pixel_values', 'float32', [1, 3, 'height', 'width']]],
    outputs: [['cls_logits', 'float32', [1, 100, 81]], ['mask_logits', 'float32', [1, 100, 'mask_height', 'mask_width']]],
  },
  'fixture-clip-l14-text': { inputs: [['input_ids', 'int64', ['batch', 77]]], outputs: [['text_embeds', 'float32', ['batch', 768]]] },
  'fixture-clip-b32-text': {
    inputs: [['input_ids', 'int64', ['batch', 77]]],
    outputs: [['text_embeds', 'float32', ['batch', 512]], ['logit_scale', 'float32', []]],
  },
  'fixture-viclip-video': { inputs: [['pixel_values', 'float32', ['batch', 8, 3, 224, 224]]], outputs: [['video_embeds', 'float32', ['batch', 768]]] },
  'fixture-viclip-text': { inputs: [['input_ids', 'int64', ['batch', 32]]], outputs: [['text_embeds', 'float32', ['batch', 768]]] },
  'fixture-umt': { inputs: [['pixel_values', 'float32', ['batch', 3, 16, 224, 224]]], outputs: [['logits', 'float32', ['batch', 400]]] },
};

// Concrete sizes to feed for each symbolic dim.
const SIZES: Record<string, number> = { batch: 2, height: 40, width: 56, tokens: 7, mask_height: 10, mask_width: 14 };
const concrete = (shape: (number | string)[]) => shape.map((d) => (typeof d === 'number' ? d : SIZES[d]));

function input(shape: number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.sin(i * 0.37 + seed) * 0.5 + 0.5;
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'gb-fixtures-'));
const built = buildFixtureModels(dir);

test('every fixture the tests and the demo rely on is built, small, and pinned by the registry', () => {
  assert.deepEqual(built.map((b) => b.id).sort(), Object.keys(EXPECTED).sort());
  const specs = builtinModelSpecs();
  for (const b of built) {
    const bytes = readFileSync(b.path);
    assert.ok(bytes.length < 64 * 1024, `${b.id} is ${bytes.length} bytes`);
    assert.equal(b.sha256, createHash('sha256').update(bytes).digest('hex'));
    const spec = specs.find((s) => s.id === b.id);
    assert.ok(spec, `registry has ${b.id}`);
    assert.equal(spec.status, 'fixture');
    assert.equal(spec.files[0].sha256, b.sha256, `registry pins the bytes the builder makes for ${b.id}`);
    assert.equal(spec.files[0].bytes, bytes.length);
    // Companion files (the text fixture's tokenizer.json) are copied next to the graph and pinned too.
    for (const f of spec.files.slice(1)) {
      const companion = readFileSync(join(dir, f.name));
      assert.equal(f.sha256, createHash('sha256').update(companion).digest('hex'), `${b.id}: ${f.name} pinned`);
      assert.equal(f.bytes, companion.length);
    }
  }
});

test('the same seed gives identical bytes; another seed gives other weights', () => {
  for (const r of FIXTURE_RECIPES) {
    const a = buildFixtureModel(r);
    const b = buildFixtureModel(r);
    assert.ok(Buffer.from(a).equals(Buffer.from(b)), `${r.id} is deterministic`);
    assert.ok(Buffer.from(a).equals(readFileSync(join(dir, `${r.id}.onnx`))));
    const c = buildFixtureModel(r, r.seed + 100);
    assert.ok(!Buffer.from(a).equals(Buffer.from(c)), `${r.id} weights depend on the seed`);
  }
});

test('each fixture loads in onnxruntime-node with the declared signature and outputs of the declared shape', async () => {
  for (const b of built) {
    const session = await ort.InferenceSession.create(b.path);
    const sig = inspectSignature(session);
    const want = EXPECTED[b.id];
    assert.deepEqual(sig.inputs.map((t) => [t.name, t.dtype, t.shape]), want.inputs, `${b.id} inputs`);
    assert.deepEqual(sig.outputs.map((t) => [t.name, t.dtype, t.shape]), want.outputs, `${b.id} outputs`);
    const feeds: Record<string, ort.Tensor> = {};
    want.inputs.forEach(([name, dtype, shape], i) => {
      const dims = concrete(shape);
      feeds[name] =
        dtype === 'int64'
          ? new ort.Tensor('int64', BigInt64Array.from(input(dims, i), (v, j) => BigInt(Math.floor(v * 49408) + j)), dims)
          : new ort.Tensor('float32', input(dims, i), dims);
    });
    const out = await session.run(feeds);
    for (const [name, , shape] of want.outputs) {
      const t = out[name];
      assert.deepEqual([...t.dims], concrete(shape), `${b.id} ${name} dims`);
      const data = t.data as Float32Array;
      assert.ok(data.every(Number.isFinite), `${b.id} outputs are finite`);
      // A scalar output (CLIP's logit scale) is one constant; every other output varies.
      if (shape.length === 0) assert.equal(data.length, 1, `${b.id} ${name} is one value`);
      else assert.ok(new Set(data).size > 1, `${b.id} outputs are not constant`);
    }
    await session.release();
  }
});

test('weights are stored as written: the aesthetic head computes x·W + b from its own initializers', async () => {
  const b = built.find((x) => x.id === 'fixture-aesthetic-head')!;
  const model = onnxProto.onnx.ModelProto.decode(readFileSync(b.path));
  assert.equal(Number(model.irVersion), 8);
  assert.equal(Number(model.opsetImport[0].version), 17);
  const init = (name: string) => {
    const t = model.graph!.initializer!.find((i) => i.name === name)!;
    const raw = t.rawData!;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const data = new Float32Array(raw.byteLength / 4).map((_, i) => view.getFloat32(i * 4, true));
    return { dims: t.dims!.map(Number), data };
  };
  const w = init('head.weight');
  const bias = init('head.bias');
  assert.deepEqual(w.dims, [768, 1]);
  const x = input([2, 768], 3);
  const session = await ort.InferenceSession.create(b.path);
  const y = (await session.run({ image_embeds: new ort.Tensor('float32', x, [2, 768]) })).score.data as Float32Array;
  for (let r = 0; r < 2; r++) {
    let acc = bias.data[0];
    for (let k = 0; k < 768; k++) acc += x[r * 768 + k] * w.data[k];
    assert.ok(Math.abs(y[r] - acc) < 1e-4, `row ${r}: ${y[r]} vs ${acc}`);
  }
  await session.release();
});
