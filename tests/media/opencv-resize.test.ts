/**
 * OpenCV 4.6 INTER_LINEAR on 8-bit images (GenEval's detector preprocessing) against
 * tests/golden/opencv-resize.json, written by tools/parity/opencv_resize_golden.py with Debian's
 * python3-opencv 4.6 (SSE2 baseline) on the project's test photos (tools/fixtures/test-images.ts,
 * made again here: the same bytes). cv2.imread applies an EXIF orientation, so the photos are read
 * upright (exifTranspose) as GenEval's detector reads them.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readRgbImage } from '../../src/media/image-io.ts';
import { mmcvRescaleSize, opencvResizeLinear, type U8Image } from '../../src/media/resize/opencv-resize.ts';
import { rgbToBgr } from '../../src/media/image.ts';
import { testImagePath } from '../../tools/fixtures/test-images.ts';

const golden = JSON.parse(readFileSync(new URL('../golden/opencv-resize.json', import.meta.url), 'utf8')) as {
  images: Record<string, Record<string, { size?: [number, number]; shape: number[]; sha256: string; sample_index: number[]; sample: number[] }>>;
};
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('mmcv.imrescale sizes for (1333, 800)', () => {
  assert.deepEqual(mmcvRescaleSize(512, 512), [800, 800]);
  assert.deepEqual(mmcvRescaleSize(1024, 1024), [800, 800]);
  assert.deepEqual(mmcvRescaleSize(640, 480), [1067, 800]);
  assert.deepEqual(mmcvRescaleSize(2000, 500), [1333, 333]); // the long side caps the scale
});

for (const [name, cases] of Object.entries(golden.images)) {
  test(`${name}: every size bit-identical to cv2.resize INTER_LINEAR`, async () => {
    const rgb = await readRgbImage(await testImagePath(name), { exifTranspose: true });
    const bgr = rgbToBgr(rgb);
    assert.equal(sha(bgr), cases.decoded!.sha256, 'decoded pixels differ from cv2.imread (a changed tools/fixtures/test-images.ts or sharp: regenerate the golden)');
    const img: U8Image = { width: rgb.width, height: rgb.height, channels: 3, data: bgr };
    for (const [key, c] of Object.entries(cases)) {
      if (key === 'decoded') continue;
      const [w, h] = c.size!;
      const out = opencvResizeLinear(img, w, h);
      if (sha(out.data) !== c.sha256) {
        const diffs = c.sample_index.map((ix, j) => `${out.data[ix]}/${c.sample[j]}`).join(' ');
        assert.fail(`${key} ${w}×${h}: not bit-identical (ours/cv2 at samples: ${diffs})`);
      }
    }
  });
}
