/**
 * GenEval's colour tasks key their records by what changes colour results (the templates and the
 * logits' precision), not by the descriptions of the model and the crop: rewording a description
 * re-scores nothing, while another precision re-scores. The descriptions are still in run.json
 * (notes), and the settings the records were keyed by before the split stay the lookup fallback.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clipColorSupport } from '../../src/suites/geneval/clip-color-support.ts';
import { createGenevalTaskDimension } from '../../src/suites/geneval/task-dimension.ts';
import { dimensionEntry } from '../../src/core/provenance.ts';

const classNames = ['person', 'bicycle', 'car'];

test('colour descriptions are notes, not key settings; the precision is a key setting', () => {
  const support = clipColorSupport({ logits: 'fp16' });
  const dim = createGenevalTaskDimension('colors', { classNames, color: support });
  const reworded = createGenevalTaskDimension('colors', { classNames, color: { ...support, notes: { model: 'the same CLIP, described in other words', crop: 'the same crop' } } });
  assert.deepEqual(dim.settings, reworded.settings, 'rewording the colour notes leaves the key settings alone');
  const color = (dim.settings as { color?: Record<string, unknown> }).color;
  assert.deepEqual(Object.keys(color ?? {}).sort(), ['logits', 'templates']);
  const entry = dimensionEntry(dim) as { notes?: { color?: Record<string, unknown> } };
  assert.match(String(entry.notes?.color?.['model']), /ViT-L-14/);
  const fp32 = createGenevalTaskDimension('colors', { classNames, color: clipColorSupport({ logits: 'fp32' }) });
  assert.notDeepEqual(fp32.settings, dim.settings, 'another precision is another measurement');
});
