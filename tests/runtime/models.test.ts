import { test, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { GenbenchError } from '../../src/core/errors.ts';
import { ensureFixtureModels, fetchModel, importModel, listModels, loadModel, modelFilePath, modelProvider, verifyModel, verifyModels } from '../../src/runtime/models.ts';
import { getModelSpec, localRegistryPath } from '../../src/runtime/registry.ts';
import { providerInstalled, releaseSessions } from '../../src/runtime/session.ts';
import { FIXTURE_RECIPES, buildFixtureModel, buildFixtureModels } from '../../tools/fixtures/build-fixtures.ts';
import { writeImageEmbedder } from './wrong-models.ts';

const fixtureDir = mkdtempSync(join(tmpdir(), 'gb-models-fx-'));
const fixtures = Object.fromEntries(buildFixtureModels(fixtureDir).map((f) => [f.id, f]));
const work = mkdtempSync(join(tmpdir(), 'gb-models-work-'));

beforeEach(() => {
  process.env.GENBENCH_HOME = mkdtempSync(join(tmpdir(), 'gb-models-home-'));
});
after(() => releaseSessions());

async function rejected(p: Promise<unknown>, code: string): Promise<GenbenchError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof GenbenchError, String(e));
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A fixture's architecture and signature with other weights: a stand-in for a real export (not a fixture's bytes). */
function otherWeights(fixtureId: string, name: string): string {
  const path = join(work, name);
  writeFileSync(path, buildFixtureModel(FIXTURE_RECIPES.find((r) => r.id === fixtureId)!, 1000 + name.length));
  return path;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

test('fixtures: fetch from a folder, then list shows them cached and verified, and verify passes', async () => {
  const before = (await listModels()).find((m) => m.id === 'fixture-dino')!;
  assert.equal(before.cached, false);
  assert.equal(before.bytes, fixtures['fixture-dino'].bytes, 'declared size before caching');
  const r = await fetchModel('fixture-dino', { from: fixtureDir });
  assert.equal(r.files[0].path, join(process.env.GENBENCH_HOME!, 'models', 'fixture-dino', 'fixture-dino.onnx'));
  assert.equal(sha(r.files[0].path), fixtures['fixture-dino'].sha256);
  const listed = (await listModels()).find((m) => m.id === 'fixture-dino')!;
  assert.deepEqual([listed.cached, listed.verified, listed.bytes, listed.fetchable], [true, true, fixtures['fixture-dino'].bytes, false]);
  const v = await verifyModel('fixture-dino');
  assert.equal(v.signature.outputs[0].name, 'features');
  const all = await verifyModels();
  assert.deepEqual(all.map((o) => [o.id, o.status]), [['fixture-dino', 'ok']], 'only cached models are verified by default');
});

test('a real metric model with no published ONNX cannot be fetched, and says how to get it', async () => {
  const e = await rejected(fetchModel('dino-vitb16'), 'E_NOT_FOUND');
  assert.match(e.message, /model dino-vitb16 cannot be fetched/);
  assert.match(e.hint ?? '', /tools\/export\/dino\.py/);
  assert.match(e.hint ?? '', /genbench models import dino-vitb16/);
  const fx = await rejected(fetchModel('fixture-clip-b32-image'), 'E_NOT_FOUND');
  assert.match(fx.hint ?? '', /tools\/fixtures\/build-fixtures\.ts/);
});

test('import a new model: copied into the cache, sha256 and signature recorded; verify and load round trip', async () => {
  const file = writeImageEmbedder(join(work, 'mine.onnx'), { outDim: 16, seed: 5 });
  const imported = await importModel({ id: 'my-embedder', file, license: 'MIT' });
  assert.equal(imported.sha256, sha(file));
  assert.equal(imported.path, join(process.env.GENBENCH_HOME!, 'models', 'my-embedder', 'my-embedder.onnx'));
  assert.ok(readFileSync(imported.path).equals(readFileSync(file)));
  const local = JSON.parse(readFileSync(localRegistryPath(), 'utf8'));
  assert.equal(local.version, 1);
  assert.equal(local.models.length, 1);
  assert.equal(local.models[0].id, 'my-embedder');
  assert.equal(local.models[0].files[0].sha256, sha(file));
  assert.deepEqual(local.models[0].inputs, [{ name: 'pixel_values', dtype: 'float32', shape: ['batch', 3, 'height', 'width'] }]);
  assert.deepEqual(local.models[0].outputs, [{ name: 'features', dtype: 'float32', shape: ['batch', 16] }]);

  const v = await verifyModel('my-embedder');
  assert.equal(v.files[0].sha256, sha(file));
  const m = await loadModel('my-embedder');
  assert.equal(m.sha256, sha(file));
  const out = await m.session.run({ pixel_values: new ort.Tensor('float32', new Float32Array(3 * 8 * 8).fill(1), [1, 3, 8, 8]) });
  assert.deepEqual([...out.features.dims], [1, 16]);
  const listed = (await listModels()).find((x) => x.id === 'my-embedder')!;
  assert.deepEqual([listed.status, listed.cached, listed.verified, listed.license], ['imported', true, true, 'MIT']);
});

test('import under a built-in export-required id is checked against its contract', async () => {
  // A file with dino's signature: accepted, and the registry now knows a file for dino-vitb16.
  const file = otherWeights('fixture-dino', 'dino-like.onnx');
  const ok = await importModel({ id: 'dino-vitb16', file });
  assert.equal(ok.spec.status, 'imported');
  assert.equal(getModelSpec('dino-vitb16').files[0].sha256, sha(file));
  assert.deepEqual(getModelSpec('dino-vitb16').outputs, [{ name: 'features', dtype: 'float32', shape: ['batch', 768] }]);
  await verifyModel('dino-vitb16');
  const loaded = await loadModel('dino-vitb16');
  assert.equal(loaded.id, 'dino-vitb16');
});

test('a model with a companion file (the CLIP text tower and its tokenizer.json) is imported, fetched and loaded with both', async () => {
  const graph = otherWeights('fixture-clip-l14-text', 'clip-text-like.onnx');
  const tokenizer = join(fixtureDir, 'tokenizer.json');
  // The companion is required, and only the registry's companions are accepted.
  const missing = await rejected(importModel({ id: 'clip-vit-l14-text', file: graph }), 'E_USAGE');
  assert.match(missing.message, /needs tokenizer\.json/);
  assert.match(missing.hint ?? '', /--with tokenizer\.json=PATH/);
  await rejected(importModel({ id: 'clip-vit-l14-text', file: graph, companions: { 'tokenizer.json': tokenizer, 'vocab.txt': tokenizer } }), 'E_USAGE');
  const r = await importModel({ id: 'clip-vit-l14-text', file: graph, companions: { 'tokenizer.json': tokenizer } });
  const spec = getModelSpec('clip-vit-l14-text');
  assert.deepEqual(spec.files.map((f) => [f.name, f.sha256]), [['clip-vit-l14-text.onnx', sha(graph)], ['tokenizer.json', sha(tokenizer)]]);
  assert.equal(readFileSync(modelFilePath(spec, spec.files[1]!), 'utf8'), readFileSync(tokenizer, 'utf8'));
  const loaded = await loadModel('clip-vit-l14-text');
  assert.equal(loaded.files?.['tokenizer.json'], modelFilePath(spec, spec.files[1]!));
  // The handle's sha256 covers both files, so a changed tokenizer changes every record key that uses the model.
  assert.notEqual(loaded.sha256, r.sha256);
  assert.equal(loaded.sha256, createHash('sha256').update(`clip-vit-l14-text.onnx\t${sha(graph)}\ntokenizer.json\t${sha(tokenizer)}`).digest('hex'));
  await verifyModel('clip-vit-l14-text');
});

test('a wrong-signature file is refused at import, naming both signatures, and nothing is registered', async () => {
  const wrong = writeImageEmbedder(join(work, 'wrong-dino.onnx'), { outDim: 512 });
  const e = await rejected(importModel({ id: 'dino-vitb16', file: wrong }), 'E_SIGNATURE');
  assert.match(e.message, /expected: inputs: pixel_values float32 \[batch,3,height,width\]; outputs: features float32 \[batch,768\]/);
  assert.match(e.message, /actual: {3}inputs: pixel_values float32 \[batch,3,height,width\]; outputs: features float32 \[batch,512\]/);
  assert.equal(existsSync(localRegistryPath()), false);
  assert.equal(existsSync(modelFilePath(getModelSpec('dino-vitb16'))), false);
  // A fixture id pins its bytes: another file is refused.
  const c = await rejected(importModel({ id: 'fixture-dino', file: wrong }), 'E_CHECKSUM');
  assert.ok(c.message.includes(fixtures['fixture-dino'].sha256) && c.message.includes(sha(wrong)));
});

test('verify rehashes: a flipped byte in the cache is refused with both hashes', async () => {
  const r = await fetchModel('fixture-aesthetic-head', { from: fixtureDir });
  const path = r.files[0].path;
  const bytes = readFileSync(path);
  bytes[bytes.length - 1] ^= 0x01;
  writeFileSync(path, bytes);
  const e = await rejected(verifyModel('fixture-aesthetic-head'), 'E_CHECKSUM');
  assert.ok(e.message.includes(fixtures['fixture-aesthetic-head'].sha256), 'expected hash');
  assert.ok(e.message.includes(createHash('sha256').update(bytes).digest('hex')), 'actual hash');
  const outcomes = await verifyModels(['fixture-aesthetic-head', 'fixture-raft']);
  assert.deepEqual(outcomes.map((o) => [o.id, o.status]), [['fixture-aesthetic-head', 'failed'], ['fixture-raft', 'not-cached']]);
  // loadModel re-verifies a changed file too (the stamp no longer matches): with no URL, it refuses.
  await rejected(loadModel('fixture-aesthetic-head'), 'E_CHECKSUM');
  // fetch from the folder again repairs it.
  await fetchModel('fixture-aesthetic-head', { from: fixtureDir });
  await verifyModel('fixture-aesthetic-head');
});

test('verify refuses a cached file whose signature differs from the registry entry', async () => {
  const file = writeImageEmbedder(join(work, 'sig.onnx'), { outDim: 8 });
  await importModel({ id: 'sig-model', file });
  // Hand-edit the recorded signature: the file no longer matches its entry.
  const local = JSON.parse(readFileSync(localRegistryPath(), 'utf8'));
  local.models[0].outputs[0].shape = ['batch', 9];
  writeFileSync(localRegistryPath(), JSON.stringify(local));
  const e = await rejected(verifyModel('sig-model'), 'E_SIGNATURE');
  assert.match(e.message, /expected: .*features float32 \[batch,9\]/);
  assert.match(e.message, /actual: .*features float32 \[batch,8\]/);
  await rejected(loadModel('sig-model'), 'E_SIGNATURE');
});

test('loadModel on cuda without the provider is E_PROVIDER', { skip: providerInstalled('cuda') ? 'the CUDA provider is installed here' : false }, async () => {
  const e = await rejected(loadModel('fixture-musiq', { from: fixtureDir, device: 'cuda' }), 'E_PROVIDER');
  assert.match(e.hint ?? '', /npm run install:cuda/);
});

test('a model provider serves fixtures in place of the real models when asked, once per model', async () => {
  const p = modelProvider({ useFixtures: true, from: fixtureDir });
  const a = await p.get('clip-vit-b32-image');
  const b = await p.get('clip-vit-b32-image');
  assert.equal(a, b);
  assert.equal(a.id, 'fixture-clip-b32-image');
  assert.equal(a.sha256, fixtures['fixture-clip-b32-image'].sha256);
  await rejected(modelProvider().get('clip-vit-b32-image'), 'E_NOT_FOUND');
});

test('a fixture ONNX is refused under a real model\'s id (and any other id): its scores would pass for real ones', async () => {
  for (const id of ['dino-vitb16', 'my-dino']) {
    const e = await rejected(importModel({ id, file: fixtures['fixture-dino'].path }), 'E_INPUT');
    assert.match(e.message, /is the fixture model fixture-dino \(random weights standing in for dino-vitb16\)/);
    assert.match(e.hint ?? '', /--fixture-models/);
  }
  assert.equal(existsSync(localRegistryPath()), false, 'nothing registered');
  assert.equal(existsSync(modelFilePath(getModelSpec('dino-vitb16'))), false, 'nothing copied');
  // An entry written before this check (or by hand) is refused when loaded.
  mkdirSync(join(process.env.GENBENCH_HOME!, 'models'), { recursive: true });
  const spec = { ...getModelSpec('dino-vitb16'), status: 'imported', files: [{ name: 'dino-vitb16.onnx', url: null, sha256: fixtures['fixture-dino'].sha256 }] };
  writeFileSync(localRegistryPath(), JSON.stringify({ version: 1, models: [spec] }));
  const l = await rejected(loadModel('dino-vitb16', { from: fixtureDir }), 'E_INPUT');
  assert.match(l.message, /fixture-dino/);
});

test('models import with an invalid id (.., ../x, a/b) is refused before anything is written anywhere', async () => {
  const root = mkdtempSync(join(tmpdir(), 'gb-models-badid-'));
  const file = join(root, 'in', 'model.onnx');
  mkdirSync(join(root, 'in'));
  writeImageEmbedder(file, { outDim: 8 });
  process.env.GENBENCH_HOME = join(root, 'home', 'genbench');
  for (const id of ['..', '../x', 'a/b', '.', 'Upper', '']) {
    const e = await rejected(importModel({ id, file }), 'E_USAGE');
    assert.match(e.message, /invalid model id/);
  }
  assert.deepEqual(walk(root).map((p) => p.slice(root.length)), ['/in/model.onnx'], 'no file written outside (or inside) the models folder');
});

test('verify: a model moved aside after failing its check counts as missing (not silently skipped)', async () => {
  await fetchModel('fixture-aesthetic-head', { from: fixtureDir });
  await fetchModel('fixture-raft', { from: fixtureDir });
  const path = modelFilePath(getModelSpec('fixture-aesthetic-head'));
  const bytes = readFileSync(path);
  bytes[10] ^= 0x01;
  writeFileSync(path, bytes);
  // Loading finds the tampered file, and moves it aside (no URL to download it again).
  await rejected(loadModel('fixture-aesthetic-head'), 'E_CHECKSUM');
  assert.equal(existsSync(path), false);
  const out = await verifyModels();
  assert.deepEqual(out.map((o) => [o.id, o.status]), [['fixture-aesthetic-head', 'missing'], ['fixture-raft', 'ok']]);
  const missing = out[0] as { error: { message: string } };
  assert.match(missing.error.message, /moved aside to .*fixture-aesthetic-head\.onnx\.bad/);
  // An imported model whose file was deleted is missing too.
  const file = writeImageEmbedder(join(work, 'gone.onnx'), { outDim: 4 });
  const imported = await importModel({ id: 'gone-model', file });
  const { rmSync } = await import('node:fs');
  rmSync(join(imported.path, '..'), { recursive: true });
  assert.deepEqual((await verifyModels()).map((o) => [o.id, o.status]).filter(([id]) => id === 'gone-model'), [['gone-model', 'missing']]);
});

test('--fixture-models works on its own: the first use builds and imports the fixtures into the cache, saying so once', async () => {
  const notes: string[] = [];
  const p = modelProvider({ useFixtures: true, onNote: (l) => notes.push(l) });
  const [a, b] = await Promise.all([p.get('dino-vitb16'), p.get('raft-things')]);
  assert.equal(a.id, 'fixture-dino');
  assert.equal(a.sha256, fixtures['fixture-dino'].sha256);
  assert.equal(b.id, 'fixture-raft');
  assert.equal(notes.length, 1, notes.join('\n'));
  // Every fixture of the catalog (FIXTURE_RECIPES), in catalog order.
  assert.match(notes[0]!, new RegExp(`^fixture models: built and imported ${FIXTURE_RECIPES.length} \\(fixture-dino, .*fixture-clip-l14-text.*\\) into .*models`));
  const text = await p.get('clip-vit-l14-text');
  assert.equal(readFileSync(text.files!['tokenizer.json']!, 'utf8'), readFileSync(join(fixtureDir, 'tokenizer.json'), 'utf8'));
  assert.deepEqual((await verifyModels()).map((o) => o.status), Array(FIXTURE_RECIPES.length).fill('ok'), 'every fixture cached and verified');
  // Later uses find them cached: nothing built, nothing said.
  const again: string[] = [];
  await modelProvider({ useFixtures: true, onNote: (l) => again.push(l) }).get('amt-s');
  assert.deepEqual(again, []);
  // A damaged one is rebuilt.
  const path = modelFilePath(getModelSpec('fixture-amt'));
  writeFileSync(path, Buffer.from('not onnx'));
  assert.deepEqual(await ensureFixtureModels(() => {}), ['fixture-amt']);
  assert.equal(sha(path), fixtures['fixture-amt'].sha256);
});
