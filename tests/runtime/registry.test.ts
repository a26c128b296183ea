import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GenbenchError } from '../../src/core/errors.ts';
import { ModelSpecSchema, parseModelSpec, type ModelSpecInput } from '../../src/runtime/model-spec-schema.ts';
import { builtinModelSpecs, getModelSpec, listModelSpecs, localRegistryPath } from '../../src/runtime/registry.ts';
// The built-in models are the metric families' tables: loading the catalog registers them.
import '../../src/metrics/catalog.ts';

beforeEach(() => {
  process.env.GENBENCH_HOME = mkdtempSync(join(tmpdir(), 'gb-registry-'));
});

function thrown(fn: () => unknown): GenbenchError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof GenbenchError, String(e));
    return e;
  }
  assert.fail('expected a GenbenchError');
}

const valid = (): ModelSpecInput => ({
  id: 'my-model',
  description: 'a test model',
  family: 'user',
  status: 'available',
  files: [{ name: 'my-model.onnx', url: 'https://example.org/my-model.onnx', sha256: 'a'.repeat(64), bytes: 10 }],
  inputs: [{ name: 'x', dtype: 'float32', shape: ['batch', 4] }],
  outputs: [{ name: 'y', dtype: 'float32', shape: ['batch', 1] }],
  preprocess: {},
  source: { upstream: 'https://example.org' },
  license: 'MIT',
});

test('the built-in registry names the VBench quality models and is honest about what can be fetched', () => {
  const specs = builtinModelSpecs();
  for (const id of ['dino-vitb16', 'clip-vit-b32-image', 'clip-vit-l14-image', 'laion-aesthetic-vit-l14', 'musiq-spaq', 'raft-things', 'amt-s']) {
    const s = specs.find((x) => x.id === id);
    assert.ok(s, `has ${id}`);
    // No ONNX file of a real metric model is published yet: nothing pretends to be downloadable.
    assert.equal(s.status, 'export-required', id);
    assert.ok(s.files.every((f) => f.url === null), `${id} has no URL`);
    assert.match(s.message ?? '', /tools\/export\/\w+\.py/, `${id} names its export recipe`);
    assert.match(s.source.upstream, /^https:\/\//, `${id} names the upstream checkpoint`);
    assert.ok(s.license.length > 0);
  }
  assert.deepEqual(getModelSpec('dino-vitb16').outputs, [{ name: 'features', dtype: 'float32', shape: ['batch', 768] }]);
  assert.deepEqual(getModelSpec('clip-vit-b32-image').inputs, [{ name: 'pixel_values', dtype: 'float32', shape: ['batch', 3, 224, 224] }]);
  assert.deepEqual(getModelSpec('laion-aesthetic-vit-l14').inputs, [{ name: 'image_embeds', dtype: 'float32', shape: ['batch', 768] }]);
});

test('every fixture shares the signature of the model it stands in for', () => {
  const specs = builtinModelSpecs();
  const fixtures = specs.filter((s) => s.status === 'fixture');
  // Every metric model has exactly one fixture (smoke runs and the demo can serve each of them).
  const metric = specs.filter((s) => s.status === 'export-required').map((s) => s.id).sort();
  assert.deepEqual(fixtures.map((f) => f.standsInFor).sort(), metric);
  for (const f of fixtures) {
    const real = specs.find((s) => s.id === f.standsInFor);
    assert.ok(real, `${f.id} stands in for ${f.standsInFor}`);
    assert.deepEqual([f.inputs, f.outputs], [real.inputs, real.outputs], f.id);
    assert.match(f.files[0].sha256 ?? '', /^[0-9a-f]{64}$/);
  }
});

test('schema: a valid entry parses; each broken variant is refused with the reason', () => {
  assert.equal(parseModelSpec(valid()).id, 'my-model');
  const bad: [string, (s: ModelSpecInput) => unknown, RegExp][] = [
    ['available without URL', (s) => ({ ...s, files: [{ ...s.files[0], url: null }] }), /needs a URL/],
    ['available without sha256', (s) => ({ ...s, files: [{ ...s.files[0], sha256: null }] }), /needs a sha256/],
    ['uppercase sha256', (s) => ({ ...s, files: [{ ...s.files[0], sha256: 'A'.repeat(64) }] }), /64 lowercase hex/],
    ['short sha256', (s) => ({ ...s, files: [{ ...s.files[0], sha256: 'a'.repeat(63) }] }), /64 lowercase hex/],
    ['export-required with URL', (s) => ({ ...s, status: 'export-required', message: 'x' }), /no download URL/],
    ['export-required without message', (s) => ({ ...s, status: 'export-required', files: [{ ...s.files[0], url: null }] }), /needs a message/],
    ['fixture without recipe', (s) => ({ ...s, status: 'fixture', files: [{ ...s.files[0], url: null }] }), /names the script/],
    ['duplicate inputs', (s) => ({ ...s, inputs: [...s.inputs, ...s.inputs] }), /duplicate input name x/],
    ['unknown dtype', (s) => ({ ...s, inputs: [{ name: 'x', dtype: 'float8', shape: [1] }] }), /inputs\.0\.dtype/],
    ['negative dim', (s) => ({ ...s, inputs: [{ name: 'x', dtype: 'float32', shape: [-1] }] }), /inputs\.0\.shape\.0/],
    ['first file not .onnx', (s) => ({ ...s, files: [{ ...s.files[0], name: 'weights.bin' }] }), /first file must be the \.onnx/],
    ['unknown key', (s) => ({ ...s, sha: 'x' }), /sha/],
    ['bad id', (s) => ({ ...s, id: 'My Model' }), /^invalid model spec My Model.*id:/],
    ['ftp URL', (s) => ({ ...s, files: [{ ...s.files[0], url: 'ftp://x/y.onnx' }] }), /http\(s\):\/\/ or file:\/\//],
  ];
  for (const [what, mutate, reason] of bad) {
    assert.equal(ModelSpecSchema.safeParse(mutate(valid())).success, false, what);
    const e = thrown(() => parseModelSpec(mutate(valid()), 'a test'));
    assert.equal(e.code, 'E_INPUT', what);
    assert.match(e.message, reason, `${what}: ${e.message}`);
  }
});

function writeLocal(value: unknown): void {
  mkdirSync(dirname(localRegistryPath()), { recursive: true });
  writeFileSync(localRegistryPath(), typeof value === 'string' ? value : JSON.stringify(value));
}

test('user entries come from $GENBENCH_HOME/models/registry.local.json', () => {
  assert.equal(localRegistryPath(), join(process.env.GENBENCH_HOME!, 'models', 'registry.local.json'));
  assert.equal(listModelSpecs().some((s) => s.id === 'my-model'), false);
  writeLocal({ version: 1, models: [valid()] });
  assert.equal(getModelSpec('my-model').license, 'MIT');
  assert.equal(thrown(() => getModelSpec('nope')).code, 'E_NOT_FOUND');
});

test('a malformed local registry, or one that rewrites a built-in, is refused', () => {
  writeLocal('{ not json');
  assert.equal(thrown(() => listModelSpecs()).code, 'E_INPUT');
  writeLocal({ version: 1, models: [{ ...valid(), inputs: [] }] });
  assert.match(thrown(() => listModelSpecs()).message, /models\.0\.inputs/);
  // A fixture's pinned bytes cannot be replaced by a local entry.
  const fixture = getModelSpecFresh('fixture-dino');
  writeLocal({ version: 1, models: [{ ...fixture, files: [{ ...fixture.files[0], sha256: 'b'.repeat(64) }] }] });
  assert.match(thrown(() => listModelSpecs()).message, /redefines built-in model fixture-dino/);
  // An export-required model may be supplied locally, but only with its contract.
  const dino = getModelSpecFresh('dino-vitb16');
  const imported = { ...dino, status: 'imported', message: undefined, files: [{ name: 'dino-vitb16.onnx', url: null, sha256: 'c'.repeat(64) }] };
  writeLocal({ version: 1, models: [imported] });
  assert.equal(getModelSpec('dino-vitb16').status, 'imported');
  writeLocal({ version: 1, models: [{ ...imported, outputs: [{ name: 'features', dtype: 'float32', shape: ['batch', 384] }] }] });
  const e = thrown(() => listModelSpecs());
  assert.equal(e.code, 'E_SIGNATURE');
  assert.match(e.message, /expected: .*features float32 \[batch,768\]/);
  assert.match(e.message, /actual: .*features float32 \[batch,384\]/);
});

function getModelSpecFresh(id: string) {
  return JSON.parse(JSON.stringify(builtinModelSpecs().find((s) => s.id === id)));
}
