import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rgbImage } from '../../src/media/image.ts';
import { FrameTransformPool, transformFrames } from '../../src/metrics/common/frame-transform-pool.ts';
import { CLIP_TRANSFORM, clipTransform } from '../../src/metrics/clip/processor.ts';
import { DINO_TRANSFORM, dinoTransform } from '../../src/metrics/dino/processor.ts';

const frame = (w: number, h: number, seed: number) => rgbImage(w, h, Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7919 + seed * 104729) % 256));

test('workers give exactly the inline transforms, in order, and the frame buffer may be reused at once', async () => {
  const frames = [frame(320, 240, 1), frame(352, 288, 2), frame(200, 300, 3), frame(224, 224, 4)];
  const shared = rgbImage(320, 240);
  async function* reused() {
    // One buffer, overwritten after each yield, like the decoder's recycled frames.
    for (const f of frames) {
      const view = f.width === 320 ? shared : f;
      if (view === shared) shared.data.set(f.data);
      yield view;
      if (view === shared) shared.data.fill(0);
    }
  }
  let i = 0;
  for await (const t of transformFrames(reused(), CLIP_TRANSFORM)) {
    assert.deepEqual(t.data, clipTransform(frames[i]!).data, `clip frame ${i}`);
    i++;
  }
  assert.equal(i, frames.length);
  const pool = new FrameTransformPool(2);
  const outs = await Promise.all(frames.map((f) => pool.run(DINO_TRANSFORM, f)));
  outs.forEach((t, k) => assert.deepEqual(t.data, dinoTransform(frames[k]!).data, `dino frame ${k}`));
  await pool.close();
});

test('a size-0 pool transforms inline; an error in a worker reaches the caller', async () => {
  const inline = new FrameTransformPool(0);
  assert.deepEqual((await inline.run(CLIP_TRANSFORM, frame(64, 48, 5))).data, clipTransform(frame(64, 48, 5)).data);
  const pool = new FrameTransformPool(1);
  // A 0-wide frame makes the transform throw inside the worker.
  await assert.rejects(pool.run(CLIP_TRANSFORM, { width: 0, height: 48, data: new Uint8Array(0) }), /frame transform failed/);
  await pool.close();
});
