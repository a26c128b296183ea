import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { thumbnailFor, videoStrip, type RgbFrame } from '../../src/report/html/thumbnails.ts';
import { worstSamples } from '../../src/report/html/worst-samples.ts';
import type { SampleRecord } from '../../src/core/contracts.ts';
import { testImagePath } from '../../tools/fixtures/test-images.ts';

/** A synthetic video: frame k is a flat grey of level 5·k, 320 × 180. */
async function* frames(n: number): AsyncIterable<RgbFrame> {
  for (let k = 0; k < n; k++) yield { index: k, width: 320, height: 180, data: new Uint8Array(320 * 180 * 3).fill(5 * k) };
}

test('video strip: 8 frames spread over the video, 160 px wide each, in order', async () => {
  const t = (await videoStrip(frames(40)))!;
  assert.equal(t.kind, 'strip');
  if (t.kind !== 'strip') return;
  assert.equal(t.frames, 8);
  assert.equal(t.frameWidth, 160);
  assert.equal(t.height, 90);
  const img = Buffer.from(t.dataUri.split(',')[1]!, 'base64');
  const { data, info } = await sharp(img).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.width, 8 * 160);
  assert.equal(info.height, 90);
  // The grey level at the centre of each tile rises from tile to tile (frames in order, spread out).
  const levels = Array.from({ length: 8 }, (_, k) => data[(45 * info.width + k * 160 + 80) * info.channels]!);
  for (let k = 1; k < 8; k++) assert.ok(levels[k]! > levels[k - 1]!, `levels ${levels}`);
  assert.ok(levels[7]! - levels[0]! > 100, `the strip spans the video: ${levels}`);
});

test('short videos keep every frame; an image gets a still; a missing file gets none', async () => {
  const short = (await videoStrip(frames(3)))!;
  assert.equal(short.kind === 'strip' && short.frames, 3);
  const photo = await testImagePath('fruit-bowl-512x512.jpg');
  const still = await thumbnailFor(photo, null);
  assert.equal(still?.kind, 'image');
  assert.ok(still && still.kind === 'image' && still.width === 160);
  assert.equal(await thumbnailFor('/nonexistent/video.mp4', () => frames(5)), null);
});

test('worst samples: lowest first, fail before pass, ties by sample id, errors left out', () => {
  const rec = (sample: string, value: number | boolean, ok = true) => ({ key: sample, dimension: 'd', sample, path: '', prompt: 'p', contentSha256: '', ok, value, at: '' }) as SampleRecord;
  const w = worstSamples([rec('c', 0.5), rec('a', 0.2), rec('b', 0.2), rec('e', 0.1, false), rec('d', 0.9)], 3);
  assert.deepEqual(w.map((r) => r.sample), ['a', 'b', 'c']);
  assert.deepEqual(worstSamples([rec('x', true), rec('y', false)], 5).map((r) => r.sample), ['y', 'x']);
});
