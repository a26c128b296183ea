import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isGenbenchError } from '../../src/core/errors.ts';
import { rgbImage } from '../../src/media/image.ts';
import { readRgbImage, writePng } from '../../src/media/image-io.ts';

const MEDIA = join(import.meta.dirname, '../../../shared/data/media');

test('grey PNG reads as RGB with the grey value replicated, RGBA drops alpha', async () => {
  const grey = await readRgbImage(join(MEDIA, 'basketball1.png'));
  assert.equal(grey.data.length, 640 * 480 * 3);
  for (let p = 0; p < grey.data.length; p += 3 * 997) assert.ok(grey.data[p] === grey.data[p + 1] && grey.data[p] === grey.data[p + 2]);
  const rgba = await readRgbImage(join(MEDIA, 'chicky_512.png'));
  assert.equal(rgba.data.length, 512 * 512 * 3);
});

test('PNG written and read back is lossless', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'genbench-img-'));
  const img = rgbImage(5, 3, Uint8Array.from({ length: 45 }, (_, i) => (i * 37) % 256));
  await writePng(join(dir, 'x.png'), img);
  assert.deepEqual((await readRgbImage(join(dir, 'x.png'))).data, img.data);
});

test('a missing image and a corrupt image give clear errors', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'genbench-img-'));
  await assert.rejects(readRgbImage(join(dir, 'nope.png')), (e) => isGenbenchError(e, 'E_NOT_FOUND'));
  await writeFile(join(dir, 'bad.png'), Buffer.from('this is not a png'));
  await assert.rejects(readRgbImage(join(dir, 'bad.png')), (e) => isGenbenchError(e, 'E_DECODE') && /bad\.png/.test(e.message));
  const png = Buffer.from(await (await import('node:fs/promises')).readFile(join(MEDIA, 'basketball1.png')));
  await writeFile(join(dir, 'truncated.png'), png.subarray(0, png.length >> 1));
  await assert.rejects(readRgbImage(join(dir, 'truncated.png')), (e) => isGenbenchError(e, 'E_DECODE'));
});
