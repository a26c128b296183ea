import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { sha256File } from '../../src/core/hash.ts';
import { isGenbenchError } from '../../src/core/errors.ts';
import { createTemporalFlickeringDimension, temporalFlickeringFromPairMaes } from '../../src/suites/vbench/dimensions/temporal-flickering.ts';
import type { SampleRecord } from '../../src/suites/types.ts';
import { goldenInputs } from '../helpers/golden-inputs.ts';

interface GoldenVideo { file: string; sha256: string; frames_read: number; score: number | null | 'nan' }
const golden = JSON.parse(readFileSync(new URL('../golden/vbench-temporal-flickering.json', import.meta.url), 'utf8')) as {
  dimension_score: number;
  dimension_order: string[];
  videos: GoldenVideo[];
};

const dim = createTemporalFlickeringDimension();
const ctx = { log: () => {}, device: 'cpu' as const };

test('per-video scores equal the official temporal_flickering on media and generated videos', async () => {
  const inputs = await goldenInputs();
  let worst = 0;
  for (const g of golden.videos.filter((v) => typeof v.score === 'number')) {
    const path = inputs.get(g.file)!;
    assert.equal(await sha256File(path), g.sha256, `${g.file}: input differs from the one the golden was made on (ffmpeg drift?)`);
    const r = await dim.scoreSample({ id: g.file, path, prompt: g.file, contentSha256: g.sha256 }, ctx);
    assert.equal(r.extra?.frames, g.frames_read, `${g.file} frames`);
    const d = Math.abs((r.value as number) - (g.score as number));
    worst = Math.max(worst, d);
    assert.ok(d <= 1e-12, `${g.file}: ours ${r.value} official ${g.score} |Δ| ${d}`);
  }
  assert.ok(worst <= 1e-12);
});

test('the dimension score equals the official aggregate over the same videos in the same order', async () => {
  const inputs = await goldenInputs();
  const records: SampleRecord[] = [];
  for (const file of golden.dimension_order) {
    const g = golden.videos.find((v) => v.file === file)!;
    const r = await dim.scoreSample({ id: file, path: inputs.get(file)!, prompt: file, contentSha256: g.sha256 }, ctx);
    records.push({ key: file, dimension: dim.id, sample: file, path: file, prompt: file, contentSha256: g.sha256, ok: true, value: r.value, at: '' });
  }
  assert.equal(dim.aggregate(records), golden.dimension_score);
});

test('bad inputs: what the official code skips or turns into NaN becomes an error record with a reason', async () => {
  const inputs = await goldenInputs();
  for (const g of golden.videos.filter((v) => typeof v.score !== 'number')) {
    const path = inputs.get(g.file)!;
    await assert.rejects(
      dim.scoreSample({ id: g.file, path, prompt: g.file, contentSha256: g.sha256 }, ctx),
      (e) => {
        if (g.score === null) return isGenbenchError(e) && /no readable frame|could not decode|cannot read video|no video stream/.test(e.message);
        return isGenbenchError(e, 'E_INPUT') && /only one readable frame/.test(e.message) && g.frames_read === 1;
      },
      g.file,
    );
  }
  await assert.rejects(dim.scoreSample({ id: 'x', path: '/nonexistent/x.mp4', prompt: 'x', contentSha256: '' }, ctx), (e) => isGenbenchError(e, 'E_NOT_FOUND'));
});

test('score formula by hand: pair MAEs 1 and 3 → (255 − 2)/255; a static video scores 1', () => {
  assert.equal(temporalFlickeringFromPairMaes([1, 3]), 253 / 255);
  assert.equal(temporalFlickeringFromPairMaes([0, 0, 0]), 1);
});
