/**
 * Runs made before dimension definitions split settings from notes stay comparable with runs made
 * after it (the gate and reports compare them), while a different number-changing setting still
 * makes two runs incomparable. The old entry is the one a run written by 341c381 holds
 * (tests/fixtures/runs/pre-define-dimension), the new one is what the current dimension writes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { comparabilityConflicts } from '../../src/report/compare/comparability.ts';
import { dimensionEntry, type Provenance } from '../../src/core/provenance.ts';
import { createVbenchDimension } from '../../src/suites/vbench/dimension-registry.ts';
import { createVbenchDimensionWithOptions } from '../../src/suites/vbench/dimension-options.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const oldRun = JSON.parse(readFileSync(`${root}tests/fixtures/runs/pre-define-dimension/vbench/run.json`, 'utf8')) as Provenance;

function withEntry(base: Provenance, id: string, entry: Record<string, unknown>): Provenance {
  return { ...base, dimensions: { [id]: entry } };
}

test('an entry written before the settings/notes split is comparable with the current one', async () => {
  const dim = await createVbenchDimension('background_consistency');
  const current = withEntry(oldRun, dim.id, dimensionEntry(dim));
  const old = withEntry(oldRun, dim.id, oldRun.dimensions['background_consistency'] as Record<string, unknown>);
  assert.notDeepEqual(current.dimensions[dim.id], old.dimensions[dim.id], 'the two entries are written differently');
  assert.deepEqual(comparabilityConflicts(old, current), []);
  assert.deepEqual(comparabilityConflicts(current, old), []);
});

test('a reworded note is no conflict; a different cosine setting is one', async () => {
  const dim = await createVbenchDimension('background_consistency');
  const entry = dimensionEntry(dim);
  const reworded = { ...entry, notes: { ...(entry['notes'] as Record<string, unknown>), transform: 'described in other words' } };
  assert.deepEqual(comparabilityConflicts(withEntry(oldRun, dim.id, entry), withEntry(oldRun, dim.id, reworded)), []);
  const fp32 = dimensionEntry(await createVbenchDimensionWithOptions('background_consistency', { cosine: 'fp32' }));
  const conflicts = comparabilityConflicts(withEntry(oldRun, dim.id, entry), withEntry(oldRun, dim.id, fp32));
  assert.equal(conflicts.length, 1);
  assert.equal(conflicts[0]!.field, 'settings of background_consistency');
  assert.match(conflicts[0]!.a, /"cosine":"fp16"/);
  assert.match(conflicts[0]!.b, /"cosine":"fp32"/);
  assert.doesNotMatch(conflicts[0]!.a, /notes/);
  // Against the old entry too: the old fp16 entry vs a current fp32 entry.
  const old = withEntry(oldRun, dim.id, oldRun.dimensions['background_consistency'] as Record<string, unknown>);
  assert.equal(comparabilityConflicts(old, withEntry(oldRun, dim.id, fp32)).length, 1);
});
