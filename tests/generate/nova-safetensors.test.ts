import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenbenchError } from '../../src/core/errors.ts';
import { SafetensorsFile, decodeToFloat32, encodeSafetensors, halfToFloat, openSafetensors } from '../../src/generate/nova/safetensors.ts';
import { NOVA_TINY_DIR } from '../helpers/nova-tiny.ts';

const dir = mkdtempSync(join(tmpdir(), 'genbench-st-'));

/** A safetensors file from a header object and a data block, written by hand. */
function rawFile(name: string, header: object, data: Uint8Array): string {
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat([len, json, data]));
  return path;
}

const u16 = (...v: number[]) => new Uint8Array(Uint16Array.from(v).buffer);

test('f16 values widen exactly (normals, subnormals, ±0, ±inf, NaN)', () => {
  assert.equal(halfToFloat(0x3c00), 1);
  assert.equal(halfToFloat(0xc000), -2);
  assert.equal(halfToFloat(0x7bff), 65504);
  assert.equal(halfToFloat(0x0001), 2 ** -24);
  assert.equal(halfToFloat(0x03ff), 1023 * 2 ** -24);
  assert.equal(halfToFloat(0x3555), 0.333251953125);
  assert.ok(Object.is(halfToFloat(0x8000), -0));
  assert.equal(halfToFloat(0x7c00), Infinity);
  assert.equal(halfToFloat(0xfc00), -Infinity);
  assert.ok(Number.isNaN(halfToFloat(0x7e00)));
});

test('F16 and BF16 tensors read as the float32 values they encode', () => {
  const path = rawFile('half.safetensors', {
    h: { dtype: 'F16', shape: [2, 2], data_offsets: [0, 8] },
    b: { dtype: 'BF16', shape: [3], data_offsets: [8, 14] },
    __metadata__: { format: 'pt' },
  }, new Uint8Array([...u16(0x3c00, 0xc000, 0x0001, 0x7bff), ...u16(0x3f80, 0xc049, 0x0001)]));
  const f = SafetensorsFile.open(path);
  assert.deepEqual([...f.float32('h')], [1, -2, 2 ** -24, 65504]);
  assert.deepEqual([...f.float32('b')], [1, -3.140625, 2 ** -133]);
  assert.deepEqual(f.entry('b').shape, [3]);
  assert.equal(f.metadata.format, 'pt');
  f.close();
});

test('F32 round trip through encodeSafetensors; entry() gives the absolute byte range', () => {
  const a = Float32Array.from([1.5, -0.25, 3e-38, 7]);
  const bytes = encodeSafetensors({ a: { shape: [2, 2], data: a }, z: { shape: [0], data: new Float32Array(0) } });
  const path = join(dir, 'rt.safetensors');
  writeFileSync(path, bytes);
  const f = SafetensorsFile.open(path);
  assert.deepEqual([...f.float32('a')], [...a]);
  assert.equal(f.float32('z').length, 0);
  const e = f.entry('a');
  assert.deepEqual(decodeToFloat32(readFileSync(path).subarray(e.offset, e.offset + e.byteLength), 'F32'), a);
  assert.equal(e.offset % 8, 0, 'data block starts 8-byte aligned');
  f.close();
});

test('truncated, corrupt and inconsistent files are refused with E_INPUT naming the problem', () => {
  const good = encodeSafetensors({ a: { shape: [4], data: Float32Array.from([1, 2, 3, 4]) } });
  const cases: [string, Uint8Array, RegExp][] = [
    ['truncated-data', good.subarray(0, good.length - 3), /truncated/],
    ['short', good.subarray(0, 5), /shorter than the 8-byte header length/],
    ['huge-header', (() => { const b = new Uint8Array(good); new DataView(b.buffer).setBigUint64(0, 1n << 40n, true); return b; })(), /header length/],
    ['not-json', (() => { const b = new Uint8Array(good); b[8] = 0x7a; return b; })(), /not JSON/],
  ];
  for (const [name, bytes, re] of cases) {
    const path = join(dir, `${name}.safetensors`);
    writeFileSync(path, bytes);
    assert.throws(() => SafetensorsFile.open(path), (e: unknown) => e instanceof GenbenchError && e.code === 'E_INPUT' && re.test(e.message), name);
  }
  const badShape = rawFile('bad-shape.safetensors', { a: { dtype: 'F32', shape: [3], data_offsets: [0, 16] } }, new Uint8Array(16));
  assert.throws(() => SafetensorsFile.open(badShape), /16 bytes for F32\[3\]/);
  const badType = rawFile('bad-type.safetensors', { a: { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8));
  assert.throws(() => SafetensorsFile.open(badType), /unsupported dtype C64/);
  const f = SafetensorsFile.open(rawFile('ok.safetensors', { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)));
  assert.throws(() => f.float32('nope'), (e: unknown) => e instanceof GenbenchError && /tensor nope is missing/.test(e.message));
  f.close();
  assert.throws(() => openSafetensors(join(dir, 'missing.safetensors')), (e: unknown) => e instanceof GenbenchError && e.code === 'E_NOT_FOUND');
});

test('sharded checkpoints: the index maps each tensor to its shard; a wrong map is refused', () => {
  const shard = mkdtempSync(join(dir, 'sharded-'));
  writeFileSync(join(shard, 'model-00001-of-00002.safetensors'), encodeSafetensors({ x: { shape: [2], data: Float32Array.from([1, 2]) } }));
  writeFileSync(join(shard, 'model-00002-of-00002.safetensors'), encodeSafetensors({ y: { shape: [1], data: Float32Array.from([3]) } }));
  writeFileSync(join(shard, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: { x: 'model-00001-of-00002.safetensors', y: 'model-00002-of-00002.safetensors' } }));
  const s = openSafetensors(shard, 'model');
  assert.deepEqual(s.names().sort(), ['x', 'y']);
  assert.deepEqual([...s.float32('y')], [3]);
  assert.match(s.entry('x').file, /00001/);
  s.close();
  writeFileSync(join(shard, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { x: 'model-00002-of-00002.safetensors' } }));
  assert.throws(() => openSafetensors(shard, 'model'), /maps x to model-00002-of-00002.safetensors, which does not hold it/);
});

test('the tiny NOVA checkpoint (written by the golden script with its own writer) opens', () => {
  const s = openSafetensors(join(NOVA_TINY_DIR, 'transformer'));
  assert.equal(s.names().length, 134);
  assert.deepEqual(s.entry('text_embed.weight').shape, [512, 24]);
  assert.deepEqual(s.entry('video_encoder.patch_embed.proj.weight').shape, [32, 4, 4, 4]);
  s.close();
});
