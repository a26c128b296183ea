import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rgbImage } from '../../src/media/image.ts';
import { clipTransform, clipTransformGeneric } from '../../src/metrics/clip/processor.ts';

// The separate steps are the ones checked against torch 1.13 (tests/golden/resize.json); the fused post step must equal them bit for bit.
test('clip_transform with /255 and Normalize fused into the resize gives exactly the separate resize → /255 → Normalize', () => {
  let seed = 7;
  const byte = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  const sizes: [number, number][] = [[640, 480], [320, 240], [352, 288], [201, 151], [256, 144], [224, 300], [225, 224], [224, 225], [160, 120], [100, 40], [1280, 720], [7, 500]];
  for (const [w, h] of sizes) {
    const frame = rgbImage(w, h, Uint8Array.from({ length: w * h * 3 }, byte));
    const a = clipTransformGeneric(frame);
    const b = clipTransform(frame);
    assert.deepEqual([b.channels, b.height, b.width], [3, 224, 224]);
    let same = 0;
    for (let i = 0; i < a.data.length; i++) if (Object.is(a.data[i], b.data[i])) same++;
    assert.equal(same, a.data.length, `${w}×${h}: ${a.data.length - same} values differ`);
  }
});
