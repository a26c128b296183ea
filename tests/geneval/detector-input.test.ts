/**
 * GenEval's detector input against tests/golden/mmdet-preprocess.json (tools/parity/mmdet_preprocess_golden.py,
 * OpenCV 4.6) on the project's test photos (tools/fixtures/test-images.ts), read upright as cv2.imread reads them.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { detectorInput } from '../../src/metrics/mask2former/processor.ts';
import { rgbToBgr } from '../../src/media/image.ts';
import { readGenevalImage } from '../../src/suites/geneval/color-classifier.ts';
import { testImagePath } from '../../tools/fixtures/test-images.ts';

const golden = JSON.parse(readFileSync(new URL('../golden/mmdet-preprocess.json', import.meta.url), 'utf8'));

for (const [name, g] of Object.entries<any>(golden.images)) {
  test(`${name}: resize, pad and normalise bit-identical to the OpenCV calls mmcv makes`, async () => {
    const rgb = await readGenevalImage(await testImagePath(name));
    const bgr = rgbToBgr(rgb);
    const r = detectorInput({ width: rgb.width, height: rgb.height, channels: 3, data: bgr });
    assert.deepEqual([3, r.geometry.padH, r.geometry.padW], g.shape);
    assert.deepEqual([r.geometry.imgH, r.geometry.imgW], g.img_shape);
    const sha = createHash('sha256').update(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength)).digest('hex');
    if (sha !== g.sha256) {
      const d = g.sample_index.map((ix: number, j: number) => `${r.data[ix]}/${g.sample[j]}`).join(' ');
      assert.fail(`not bit-identical (ours/golden: ${d})`);
    }
  });
}
