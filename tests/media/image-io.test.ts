/**
 * Image decoding as Pillow's `convert("RGB")` decodes, on the project's test photos
 * (tools/fixtures/test-images.ts): PNGs are lossless, so what we read must be exactly the pixels
 * the generator drew (testImagePixels), which is an answer derived independently of the decoder.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isGenbenchError } from '../../src/core/errors.ts';
import { rgbImage } from '../../src/media/image.ts';
import { readRgbImage, writePng } from '../../src/media/image-io.ts';
import { testImagePath, testImagePixels } from '../../tools/fixtures/test-images.ts';

test('grey PNG reads as RGB with the grey value replicated, exactly the drawn pixels', async () => {
  const name = 'court-grey-640x480.png';
  const grey = await readRgbImage(await testImagePath(name));
  const drawn = testImagePixels(name);
  assert.equal(drawn.channels, 1);
  assert.deepEqual([grey.width, grey.height], [640, 480]);
  for (let p = 0; p < drawn.data.length; p++) {
    const v = drawn.data[p]!;
    if (grey.data[3 * p] !== v || grey.data[3 * p + 1] !== v || grey.data[3 * p + 2] !== v) assert.fail(`pixel ${p}: ${grey.data.subarray(3 * p, 3 * p + 3)} vs grey ${v}`);
  }
});

test('RGBA PNG: alpha dropped without compositing (colour under fully transparent pixels kept)', async () => {
  const name = 'chick-rgba-512x512.png';
  const rgb = await readRgbImage(await testImagePath(name));
  const drawn = testImagePixels(name);
  assert.equal(drawn.channels, 4);
  let transparent = 0;
  let partial = 0;
  for (let p = 0; p < 512 * 512; p++) {
    const a = drawn.data[4 * p + 3]!;
    if (a === 0) transparent++;
    else if (a < 255) partial++;
    for (let c = 0; c < 3; c++) if (rgb.data[3 * p + c] !== drawn.data[4 * p + c]) assert.fail(`pixel ${p} channel ${c} (alpha ${a}): ${rgb.data[3 * p + c]} vs ${drawn.data[4 * p + c]}`);
  }
  // the image does exercise both cases
  assert.ok(transparent > 1000 && partial > 1000, `${transparent} transparent, ${partial} partial`);
});

test('palette PNG reads as its palette colours', async () => {
  const name = 'poster-palette-301x219.png';
  const bytes = await readFile(await testImagePath(name));
  assert.equal(bytes[25], 3, 'colour type 3 (palette)');
  const rgb = await readRgbImage(await testImagePath(name));
  assert.deepEqual([rgb.width, rgb.height], [301, 219]);
  assert.deepEqual(rgb.data, testImagePixels(name).data);
});

test('EXIF orientation 6: ignored by default (as Pillow), applied with exifTranspose (90° clockwise)', async () => {
  const path = await testImagePath('rotated-exif6-320x200.jpg');
  const stored = await readRgbImage(path);
  const upright = await readRgbImage(path, { exifTranspose: true });
  assert.deepEqual([stored.width, stored.height, upright.width, upright.height], [320, 200, 200, 320]);
  // upright (x, y) is stored (y, h − 1 − x)
  for (let y = 0; y < 320; y++) {
    for (let x = 0; x < 200; x++) {
      const u = 3 * (y * 200 + x);
      const s = 3 * ((199 - x) * 320 + y);
      if (upright.data[u] !== stored.data[s] || upright.data[u + 1] !== stored.data[s + 1] || upright.data[u + 2] !== stored.data[s + 2]) assert.fail(`upright (${x}, ${y})`);
    }
  }
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
  const png = await readFile(await testImagePath('court-grey-640x480.png'));
  await writeFile(join(dir, 'truncated.png'), png.subarray(0, png.length >> 1));
  await assert.rejects(readRgbImage(join(dir, 'truncated.png')), (e) => isGenbenchError(e, 'E_DECODE'));
});
