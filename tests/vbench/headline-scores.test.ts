import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { vbenchHeadline, normalizeDimension } from '../../src/suites/vbench/headline-scores.ts';

interface Case {
  name: string;
  scores: Record<string, number>;
  normalized: Record<string, number>;
  quality: number;
  semantic: number;
  total: number;
}
const golden = JSON.parse(readFileSync(new URL('../golden/vbench-final-score.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

test('Quality/Semantic/Total equal the official cal_final_score.py bit for bit', () => {
  for (const c of golden.cases.filter((c) => c.name !== 'partial')) {
    const h = vbenchHeadline(c.scores);
    for (const [id, v] of Object.entries(c.normalized)) assert.equal(h.normalized[id], v, `${c.name} ${id}`);
    assert.equal(h.quality.value, c.quality, `${c.name} quality`);
    assert.equal(h.semantic.value, c.semantic, `${c.name} semantic`);
    assert.equal(h.total.value, c.total, `${c.name} total`);
    assert.equal(h.total.partial, false);
  }
});

test('missing dimensions: no headline score unless partial is allowed, then the official fill-with-0', () => {
  const c = golden.cases.find((c) => c.name === 'partial')!;
  const strict = vbenchHeadline(c.scores);
  assert.equal(strict.quality.value, null);
  assert.deepEqual(strict.quality.missing, ['temporal_flickering']);
  assert.equal(strict.semantic.value, null);
  assert.deepEqual(strict.semantic.missing, ['scene']);
  assert.equal(strict.total.value, null);
  const partial = vbenchHeadline(c.scores, true);
  assert.equal(partial.quality.partial, true);
  assert.equal(partial.quality.value, c.quality);
  assert.equal(partial.semantic.value, c.semantic);
  assert.equal(partial.total.value, c.total);
});

test('normalization by hand: temporal flickering 0.97 → (0.97−0.6293)/(1−0.6293); dynamic degree weighs 0.5', () => {
  assert.ok(Math.abs(normalizeDimension('temporal_flickering', 0.97) - 0.3407/0.3707) < 1e-15);
  assert.equal(normalizeDimension('dynamic_degree', 0.5), 0.25);
  // Only quality present: quality defined, semantic and total not.
  const only = vbenchHeadline({
    subject_consistency: 1, background_consistency: 1, temporal_flickering: 1, motion_smoothness: 0.9975,
    dynamic_degree: 1, aesthetic_quality: 1, imaging_quality: 1,
  });
  assert.ok(Math.abs(only.quality.value! - 1) < 1e-12);
  assert.equal(only.semantic.value, null);
  assert.equal(only.total.value, null);
});
