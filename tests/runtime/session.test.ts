import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { GenbenchError } from '../../src/core/errors.ts';
import { checkSignature, createSession, inspectModelFile, inspectSignature, providerInstalled, releaseSessions, signatureDifferences, type ModelSignature } from '../../src/runtime/session.ts';
import { buildFixtureModels } from '../../tools/fixtures/build-fixtures.ts';
import { writeImageEmbedder } from './wrong-models.ts';

const dir = mkdtempSync(join(tmpdir(), 'gb-session-'));
const fixtures = Object.fromEntries(buildFixtureModels(dir).map((f) => [f.id, f.path]));
after(() => releaseSessions());

function caught(fn: () => unknown): GenbenchError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof GenbenchError, String(e));
    return e;
  }
  assert.fail('expected a GenbenchError');
}

async function rejected(p: Promise<unknown>): Promise<GenbenchError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof GenbenchError, String(e));
    return e;
  }
  assert.fail('expected a GenbenchError');
}

const DINO: ModelSignature = {
  inputs: [{ name: 'pixel_values', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] }],
  outputs: [{ name: 'features', dtype: 'float32', shape: ['batch', 768] }],
};

test('cpu sessions run, and are created once per (file, device, threads)', async () => {
  const a = await createSession(fixtures['fixture-dino']);
  const b = await createSession(fixtures['fixture-dino'], { device: 'cpu' });
  const c = await createSession(fixtures['fixture-dino'], { threads: 1 });
  assert.equal(a, b, 'same session reused');
  assert.notEqual(a, c, 'another thread count is another session');
  const out = await c.run({ pixel_values: new ort.Tensor('float32', new Float32Array(2 * 3 * 16 * 16).fill(0.5), [2, 3, 16, 16]) });
  assert.deepEqual([...out.features.dims], [2, 768]);
});

test('inspectSignature reports names, element types and symbolic dims', async () => {
  const s = await createSession(fixtures['fixture-clip-b32-image']);
  assert.deepEqual(inspectSignature(s), {
    inputs: [{ name: 'pixel_values', dtype: 'float32', shape: ['batch', 3, 224, 224] }],
    outputs: [{ name: 'image_embeds', dtype: 'float32', shape: ['batch', 512] }],
  });
});

test('a model with the wrong signature is refused, naming both signatures', async () => {
  const wrong = await inspectModelFile(writeImageEmbedder(join(dir, 'wrong.onnx'), { outDim: 512 }));
  const e = caught(() => checkSignature(wrong, DINO, { subject: 'model dino-vitb16 (wrong.onnx)' }));
  assert.equal(e.code, 'E_SIGNATURE');
  assert.ok(e.message.includes('model dino-vitb16 (wrong.onnx)'));
  assert.ok(e.message.includes('expected: inputs: pixel_values float32 [batch,3,height,width]; outputs: features float32 [batch,768]'), e.message);
  assert.ok(e.message.includes('actual:   inputs: pixel_values float32 [batch,3,height,width]; outputs: features float32 [batch,512]'), e.message);
  assert.ok(e.message.includes('output features: dim 1 is 512, expected 768'), e.message);
  // The right one passes.
  checkSignature(await inspectModelFile(fixtures['fixture-dino']), DINO);
});

test('signature rules: symbolic dims match anything, fixed dims must match, names and types must match', () => {
  const sig = (input: (number | string)[], out = ['batch', 768] as (number | string)[], dtype = 'float32', name = 'pixel_values'): ModelSignature => ({
    inputs: [{ name, dtype, shape: input }],
    outputs: [{ name: 'features', dtype: 'float32', shape: out }],
  });
  const clip: ModelSignature = sig(['batch', 3, 224, 224]);
  assert.deepEqual(signatureDifferences(sig(['N', 3, 224, 224]), clip), [], 'another symbol for batch');
  assert.deepEqual(signatureDifferences(sig([1, 3, 224, 224]), clip), [], 'fixed batch 1 satisfies a symbolic batch');
  assert.deepEqual(signatureDifferences(sig(['batch', 3, 'h', 'w']), clip), [], 'a free dim accepts the fixed size we feed');
  assert.deepEqual(signatureDifferences(sig(['batch', 3, 256, 256]), clip), ['input pixel_values: dim 2 is 256, expected 224', 'input pixel_values: dim 3 is 256, expected 224']);
  assert.deepEqual(signatureDifferences(sig(['batch', 3, 224]), clip), ['input pixel_values: rank 3 [batch,3,224], expected rank 4 [batch,3,224,224]']);
  assert.deepEqual(signatureDifferences(sig(['batch', 3, 224, 224], undefined, 'float16'), clip), ['input pixel_values: element type float16, expected float32']);
  assert.deepEqual(signatureDifferences(sig(['batch', 3, 224, 224], undefined, 'float32', 'input'), clip), ['missing input pixel_values', 'unexpected input input']);
  const extra: ModelSignature = { ...clip, outputs: [...clip.outputs, { name: 'tokens', dtype: 'float32', shape: ['batch', 50, 768] }] };
  assert.deepEqual(signatureDifferences(extra, clip), ['unexpected output tokens']);
});

test('cuda without the CUDA provider installed is E_PROVIDER with the reinstall hint', { skip: providerInstalled('cuda') ? 'the CUDA provider is installed here' : false }, async () => {
  const e = await rejected(createSession(fixtures['fixture-dino'], { device: 'cuda' }));
  assert.equal(e.code, 'E_PROVIDER');
  assert.match(e.message, /the cuda execution provider is not installed/);
  // npm ≥ 11.16 skips onnxruntime-node's install script (package.json allowScripts), so a flag to npm ci installs nothing.
  assert.match(e.hint ?? '', /npm run install:cuda/);
  assert.doesNotMatch(e.hint ?? '', /npm ci/);
  assert.match(e.hint ?? '', /--device cpu\|webgpu/);
});

test('webgpu either runs the model or fails as E_PROVIDER (never as a model error, never silently on cpu)', async () => {
  try {
    const s = await createSession(fixtures['fixture-aesthetic-head'], { device: 'webgpu' });
    const out = await s.run({ image_embeds: new ort.Tensor('float32', new Float32Array(768).fill(0.1), [1, 768]) });
    assert.deepEqual([...out.score.dims], [1, 1]);
  } catch (e) {
    assert.ok(e instanceof GenbenchError, String(e));
    assert.equal(e.code, 'E_PROVIDER', e.message);
    assert.match(e.message, /webgpu/);
  }
});

test('a missing file is E_NOT_FOUND; a file that is not ONNX is E_INPUT; bad options are E_USAGE', async () => {
  assert.equal((await rejected(createSession(join(dir, 'nope.onnx')))).code, 'E_NOT_FOUND');
  const junk = join(dir, 'junk.onnx');
  writeFileSync(junk, 'this is not a protobuf');
  assert.equal((await rejected(createSession(junk))).code, 'E_INPUT');
  assert.equal((await rejected(inspectModelFile(junk))).code, 'E_INPUT');
  assert.equal((await rejected(createSession(fixtures['fixture-dino'], { threads: 0 }))).code, 'E_USAGE');
  assert.equal((await rejected(createSession(fixtures['fixture-dino'], { device: 'tpu' as never }))).code, 'E_USAGE');
});
