/**
 * Our subject_consistency end to end (decode → dino_transform → ONNX → formula → aggregate)
 * against the official vbench/subject_consistency.py run on the same videos with the same
 * reduced random-weight DINO (tests/golden/vbench-subject-consistency.json, made by
 * tools/parity/subject_consistency_golden.py; decord replaced by OpenCV frames, which our decoder
 * equals byte for byte). The `media:` videos are the project's generated media stand-ins
 * (tools/fixtures/media-stand-ins.ts, made once per machine), the others its sample videos.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { makeSampleVideos, SAMPLE_VIDEO_RECIPES } from '../../tools/fixtures/make-sample-videos.ts';
import { createSubjectConsistencyDimension } from '../../src/suites/vbench/subject-consistency.ts';
import { fileModelContext, recordOf, sampleOf } from '../helpers/model-context.ts';
import { mediaPath } from '../helpers/golden-inputs.ts';
import type { SampleRecord } from '../../src/core/contracts.ts';

const ROOT = join(import.meta.dirname, '../..');
const golden = JSON.parse(readFileSync(join(ROOT, 'tests/golden/vbench-subject-consistency.json'), 'utf8')) as {
  model: { file: string; sha256: string };
  videos: { video: string; sha256: string; frames: number; video_results: number; pairs: number; sim_sum: number }[];
  dimension_score: number;
};

const paths = new Map<string, string>();
before(async () => {
  const wanted = golden.videos.filter((v) => v.video.startsWith('generated:')).map((v) => v.video.slice('generated:'.length));
  const made = await makeSampleVideos(mkdtempSync(join(tmpdir(), 'gb-sc-')), SAMPLE_VIDEO_RECIPES.filter((r) => wanted.includes(r.file)));
  for (const m of made) paths.set(`generated:${m.file}`, m.path);
  for (const v of golden.videos) if (v.video.startsWith('media:')) paths.set(v.video, await mediaPath(v.video.slice('media:'.length)));
});

test('per-video and dimension scores equal the official code within 1e-4', async () => {
  const dim = createSubjectConsistencyDimension();
  const ctx = fileModelContext({ 'dino-vitb16': join(ROOT, golden.model.file) });
  const records: SampleRecord[] = [];
  let worst = 0;
  for (const v of golden.videos) {
    const path = paths.get(v.video)!;
    assert.equal(createHash('sha256').update(readFileSync(path)).digest('hex'), v.sha256, `${v.video}: input differs from the golden run's`);
    const r = await dim.scoreSample(sampleOf(path), ctx);
    assert.equal(r.extra?.['frames'], v.frames, `${v.video}: frame count`);
    assert.equal(r.extra?.['cnt_per_video'], v.pairs);
    const d = Math.abs((r.value as number) - v.video_results);
    worst = Math.max(worst, d);
    assert.ok(d <= 1e-4, `${v.video}: ours ${r.value} official ${v.video_results}`);
    records.push(recordOf('subject_consistency', path, r.value as number, r.extra));
  }
  const score = dim.aggregate(records);
  assert.ok(Math.abs(score - golden.dimension_score) <= 1e-4, `dimension: ours ${score} official ${golden.dimension_score}`);
  console.log(`subject_consistency: max per-video |Δ| ${worst.toExponential(2)}, dimension |Δ| ${Math.abs(score - golden.dimension_score).toExponential(2)}`);
});
