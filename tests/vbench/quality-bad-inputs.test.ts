/**
 * Bad inputs through the model-based quality dimensions (tiny parity models): each gets an error
 * record with a clear reason, or the official behaviour where the official code defines one.
 *  - empty file, text file renamed .mp4: no frame can be read → E_DECODE (the official reader raises).
 *  - a PNG renamed .mp4 / a 1-frame video: one frame. The consistency dims and motion smoothness
 *    need at least 2 (resp. 3) frames → E_INPUT (the official code divides by zero / fails an
 *    assertion); aesthetic and imaging quality are per-frame means, defined for one frame → a score.
 *  - a missing file → E_NOT_FOUND.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { isGenbenchError } from '../../src/core/errors.ts';
import { createAestheticQualityDimension } from '../../src/suites/vbench/aesthetic-quality.ts';
import { createBackgroundConsistencyDimension } from '../../src/suites/vbench/background-consistency.ts';
import { createImagingQualityDimension } from '../../src/suites/vbench/imaging-quality.ts';
import { createMotionSmoothnessDimension } from '../../src/suites/vbench/motion-smoothness.ts';
import { createSubjectConsistencyDimension } from '../../src/suites/vbench/subject-consistency.ts';
import type { Dimension } from '../../src/core/contracts.ts';
import { makeBadVideos } from '../../tools/fixtures/bad-videos.ts';
import { makeSampleVideos, SAMPLE_VIDEO_RECIPES } from '../../tools/fixtures/make-sample-videos.ts';
import { fileModelContext, sampleOf } from '../helpers/model-context.ts';
import { MEDIA, mediaPath } from '../helpers/golden-inputs.ts';

const ROOT = join(import.meta.dirname, '../..');
const M = (f: string) => join(ROOT, 'tests/fixtures/models', f);
const ctx = fileModelContext({
  'dino-vitb16': M('dino-subject-tiny.onnx'),
  'clip-vit-b32-image': M('clip-b32-tiny.onnx'),
  'clip-vit-l14-image': M('clip-l14-tiny.onnx'),
  'laion-aesthetic-vit-l14': M('laion-head-tiny.onnx'),
  'amt-s': M('amt-tiny.onnx'),
  'musiq-spaq': M('musiq-tiny.onnx'),
});

let bad: Record<string, string>;
before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-bad-quality-'));
  const [good] = await makeSampleVideos(join(dir, 'good'), SAMPLE_VIDEO_RECIPES.filter((r) => r.file === 'x264-testsrc2-320x240-8fps.mp4'));
  // The PNG renamed as a video: the project's generated greyscale still (tools/fixtures/media-stand-ins.ts).
  bad = await makeBadVideos(join(dir, 'bad'), good!.path, await mediaPath(MEDIA.greyPng));
  bad.missing = join(dir, 'no such video.mp4');
});

const DIMENSIONS: [string, () => Dimension, 'needs-several-frames' | 'per-frame'][] = [
  ['subject_consistency', createSubjectConsistencyDimension, 'needs-several-frames'],
  ['background_consistency', () => createBackgroundConsistencyDimension(), 'needs-several-frames'],
  ['motion_smoothness', createMotionSmoothnessDimension, 'needs-several-frames'],
  ['aesthetic_quality', createAestheticQualityDimension, 'per-frame'],
  ['imaging_quality', () => createImagingQualityDimension(), 'per-frame'],
];

for (const [id, make, kind] of DIMENSIONS) {
  test(`${id}: empty, text, missing, one-frame and renamed-image inputs`, async () => {
    const dim = make();
    const score = (p: string) => dim.scoreSample(sampleOf(p), ctx);
    await assert.rejects(score(bad.empty!), (e) => isGenbenchError(e, 'E_DECODE'), 'empty file');
    await assert.rejects(score(bad.text!), (e) => isGenbenchError(e, 'E_DECODE'), 'text file');
    await assert.rejects(score(bad.missing!), (e) => isGenbenchError(e, 'E_NOT_FOUND'), 'missing file');
    for (const p of [bad.oneFrame!, bad.png!]) {
      if (kind === 'needs-several-frames') {
        await assert.rejects(score(p), (e) => isGenbenchError(e, 'E_INPUT') && /frame/.test(e.message), `${p}`);
      } else {
        const r = await score(p);
        assert.ok(Number.isFinite(r.value as number), `${p} scores one frame`);
      }
    }
  });
}
