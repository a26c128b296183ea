/** GenEval's detector input against tests/golden/mmdet-preprocess.json (tools/parity/mmdet_preprocess_golden.py, OpenCV 4.6). */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readRgbImage } from '../../src/media/image-io.ts';
import { detectorInput } from '../../src/suites/geneval/detector-input.ts';
import { rgbToBgr } from '../../src/media/image.ts';

const golden = JSON.parse(readFileSync(join(import.meta.dirname, '../golden/mmdet-preprocess.json'), 'utf8'));
const MEDIA = join(import.meta.dirname, '../../../shared/data/media');

for (const [name, g] of Object.entries<any>(golden.images)) {
  test(`${name}: resize, pad and normalise bit-identical to the OpenCV calls mmcv makes`, async () => {
    const rgb = await readRgbImage(join(MEDIA, name));
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
