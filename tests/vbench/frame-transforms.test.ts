/** VBench's dino_transform / clip_transform on load_video frames, against torchvision 0.14.1 (tests/golden/resize.json, on the test photos of tools/fixtures/test-images.ts). */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readRgbImage } from '../../src/media/image-io.ts';
import { testImagePath } from '../../tools/fixtures/test-images.ts';
import { clipTransform } from '../../src/metrics/clip/processor.ts';
import { dinoTransform } from '../../src/metrics/dino/processor.ts';
import { rgbToPlanarFloat } from '../../src/media/image.ts';
import { CLIP_MEAN, CLIP_STD, centerCropTensor, divide255, normalizeInPlace, resizeTensor } from '../../src/media/resize/torchvision.ts';

const golden = JSON.parse(readFileSync(join(import.meta.dirname, '../golden/resize.json'), 'utf8'));

for (const name of ['field-548x342.jpg', 'wings-493x356.jpg', 'market-512x480.jpg', 'panorama-1000x61.png']) {
  test(`${name}: dino_transform bit-identical, clip_transform within 5e-6`, async () => {
    const img = await readRgbImage(await testImagePath(name));
    const d = dinoTransform(img);
    const gd = golden.images[name].dino_tensor_float;
    assert.deepEqual([3, d.height, d.width], gd.shape);
    assert.equal(createHash('sha256').update(Buffer.from(d.data.buffer)).digest('hex'), gd.sha256);
    const c = clipTransform(img);
    const gc = golden.images[name].clip_tensor_float;
    assert.deepEqual([3, c.height, c.width], gc.shape);
    gc.sample_index.forEach((ix: number, j: number) => assert.ok(Math.abs(c.data[ix]! - gc.sample[j]) <= 5e-6, `${ix}`));
    // The fused resize+crop computes exactly what Resize then CenterCrop give.
    const twoStep = normalizeInPlace(divide255(centerCropTensor(resizeTensor(rgbToPlanarFloat(img), 224, { mode: 'bicubic' }), 224)), CLIP_MEAN, CLIP_STD);
    assert.deepEqual(c.data, twoStep.data);
  });
}
