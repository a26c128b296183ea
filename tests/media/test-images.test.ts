/**
 * The project's own test photos (tools/fixtures/test-images.ts): each file is the format it claims
 * (checked from the file's own headers), generation is deterministic, and the image tests read
 * these instead of photos from a folder beside the clone (#14: a fresh clone must work on its own).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { encodeTestImage, TEST_IMAGES, testImagePath, testImagePixels } from '../../tools/fixtures/test-images.ts';

test('every test photo has the size and format its spec names', async () => {
  for (const s of TEST_IMAGES) {
    const m = await sharp(await testImagePath(s.name)).metadata();
    const what = `${s.name}: ${JSON.stringify({ format: m.format, w: m.width, h: m.height, ch: m.channels, sub: m.chromaSubsampling, o: m.orientation })}`;
    assert.deepEqual([m.width, m.height], [s.width, s.height], what);
    if (s.format.startsWith('jpeg')) {
      assert.equal(m.format, 'jpeg', what);
      assert.equal(m.isProgressive, false, what);
      assert.equal(m.chromaSubsampling, s.format === 'jpeg444' ? '4:4:4' : '4:2:0', what);
      assert.equal(m.orientation, s.format === 'jpeg420-exif6' ? 6 : undefined, what);
    } else {
      assert.equal(m.format, 'png', what);
      const bytes = readFileSync(await testImagePath(s.name));
      const colourType = bytes[25];
      const expected = { 'png-grey': 0, 'png-rgb': 2, 'png-rgba': 6, 'png-palette': 3 }[s.format as 'png-grey'];
      assert.equal(colourType, expected, what);
    }
  }
  const sizes = TEST_IMAGES.map((s) => [s.width, s.height]);
  assert.ok(sizes.some(([w, h]) => w! % 2 === 1 || h! % 2 === 1), 'an odd size');
  assert.ok(sizes.some(([w, h]) => w! * h! < 1000), 'a tiny image');
  assert.ok(sizes.some(([w, h]) => w! / h! > 10), 'a very wide image');
});

test('generation is deterministic: the same bytes twice, pixels with real content', async () => {
  for (const name of ['fur-texture-512x512.jpg', 'poster-palette-301x219.png', 'stamp-37x23.jpg']) {
    const a = await encodeTestImage(name);
    const b = await encodeTestImage(name);
    assert.deepEqual(a, b, name);
    assert.deepEqual(readFileSync(await testImagePath(name)), a, `${name}: the cached file is the encoder's output`);
  }
  // photo-like, not flat: many distinct grey levels and strong local contrast somewhere
  const px = testImagePixels('court-grey-640x480.png');
  assert.ok(new Set(px.data).size > 150, `${new Set(px.data).size} grey levels`);
});

test('the image tests read no photo from a folder outside the repository', () => {
  const root = join(import.meta.dirname, '../..');
  const files = [
    'tests/media/resize.test.ts', 'tests/media/opencv-resize.test.ts', 'tests/media/image-io.test.ts', 'tests/vbench/frame-transforms.test.ts',
    'tests/report/thumbnails.test.ts', 'tests/report/html-chromium.test.ts', 'tests/geneval/color-classifier.test.ts',
    'tests/geneval/mask2former-onnx.test.ts', 'tests/geneval/detector-input.test.ts', 'tests/geneval/evaluate.test.ts',
    'tests/geneval/end-to-end.test.ts',
  ];
  for (const f of files) assert.doesNotMatch(readFileSync(join(root, f), 'utf8'), /shared\/data\/media/, f);
});
