import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listBaselineFiles, selectBaselines } from '../../src/report/sources/baselines.ts';
import { GENEVAL_TASKS } from '../../src/suites/geneval/tasks.ts';

test('every published baseline file parses, cites its source, and names only known scores', () => {
  const files = listBaselineFiles();
  assert.ok(files.length >= 3);
  for (const f of files) {
    assert.match(f.source.url, /^https:\/\//);
    assert.ok(f.source.table.length > 10);
    assert.ok(f.models.length > 0);
  }
});

test('transcription check: each GenEval model\'s Overall equals the mean of its six printed task scores (within rounding)', () => {
  const paper = listBaselineFiles().find((f) => f.id === 'geneval-paper')!;
  assert.equal(paper.models.length, 6);
  for (const m of paper.models) {
    const mean = GENEVAL_TASKS.reduce((s, t) => s + m.dimensions[t.id]!, 0) / 6;
    // Each task is rounded to 0.01, so the mean of rounded values is within 0.005 of the true mean,
    // which itself rounds to the printed Overall: |mean − overall| ≤ 0.01.
    assert.ok(Math.abs(mean - m.headline.overall!) <= 0.01 + 1e-12, `${m.id}: mean ${mean} vs overall ${m.headline.overall}`);
  }
  // The sanity check the GenEval spec gives for SD v1.5: 2.56 / 6 = 0.4267 → 0.43.
  const sd15 = paper.models.find((m) => m.id === 'sd-v1.5')!;
  assert.equal(sd15.headline.overall, 0.43);
});

test('--baseline names: alias, file id, model id; only the runs\' suite is used', () => {
  assert.deepEqual(selectBaselines(['nova'], 'vbench').map((e) => e.label), ['NOVA-0.6B T2V (nova-d48w1024-osp480)']);
  assert.equal(selectBaselines(['nova'], 'geneval').length, 4);
  assert.deepEqual(selectBaselines(['sdxl'], 'geneval').map((e) => e.label), ['Stable Diffusion XL']);
  const nova = selectBaselines(['nova'], 'vbench')[0]!;
  assert.equal(nova.kind, 'published');
  assert.ok(Math.abs(nova.headline.total!.value! - 0.8012) < 1e-12);
  assert.throws(() => selectBaselines(['nope'], 'vbench'), /unknown baseline "nope"/);
});
