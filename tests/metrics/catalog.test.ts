/**
 * The metric model catalog: every family folder's tables are listed (a family added without its
 * catalog line would be missing from the registry and from the fixtures), ids are unique, and the
 * registry entries and fixture recipes both come from the tables.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { METRIC_MODELS } from '../../src/metrics/catalog.ts';
import { registerModelCatalog } from '../../src/runtime/model-catalog.ts';
import { builtinModelSpecInputs } from '../../src/runtime/model-specs.ts';
import type { MetricModelTable } from '../../src/runtime/model-table.ts';
import { fixtureRecipes } from '../../src/runtime/fixtures/build.ts';

const METRICS = join(import.meta.dirname, '../../src/metrics');

test('every table exported by a family folder (src/metrics/<family>/spec.ts) is in the catalog, under its family', async () => {
  const families = readdirSync(METRICS).filter((d) => existsSync(join(METRICS, d, 'spec.ts')));
  assert.ok(families.length >= 7, families.join(', '));
  for (const family of families) {
    const mod = (await import(join(METRICS, family, 'spec.ts'))) as Record<string, unknown>;
    const tables = Object.values(mod).filter((v): v is MetricModelTable => typeof v === 'object' && v !== null && 'fixture' in v && 'id' in v);
    assert.ok(tables.length > 0, `${family}/spec.ts exports no model table`);
    for (const t of tables) {
      assert.ok(METRIC_MODELS.includes(t), `${t.id} (${family}/spec.ts) is missing from src/metrics/catalog.ts`);
      assert.equal(t.family, family, `${t.id} names its family folder`);
    }
  }
});

test('registry entries and fixture recipes derive from the same tables: one real entry and one fixture per model', () => {
  const entries = builtinModelSpecInputs(METRIC_MODELS);
  const recipes = fixtureRecipes(METRIC_MODELS);
  assert.equal(entries.length, 2 * METRIC_MODELS.length);
  for (const m of METRIC_MODELS) {
    const real = entries.find((e) => e.id === m.id)!;
    const fixture = entries.find((e) => e.id === m.fixture.id)!;
    const recipe = recipes.find((r) => r.id === m.fixture.id)!;
    assert.equal(real.status, 'export-required');
    assert.equal(fixture.standsInFor, m.id);
    assert.equal(fixture.files[0]!.sha256, m.fixture.sha256);
    assert.deepEqual([fixture.inputs, fixture.outputs], [real.inputs, real.outputs]);
    assert.deepEqual([recipe.inputs, recipe.outputs, recipe.seed, recipe.standsInFor], [real.inputs, real.outputs, m.fixture.seed, m.id]);
    assert.deepEqual(real.files.slice(1).map((f) => f.name), [...(m.companions ?? [])]);
    assert.deepEqual(Object.keys(recipe.companions ?? {}), (m.fixture.companions ?? []).map((c) => c.name));
  }
});

test('a catalog naming an id twice is refused', () => {
  const dino = METRIC_MODELS[0]!;
  assert.throws(() => registerModelCatalog([dino, { ...dino, fixture: { ...dino.fixture, id: 'fixture-other' } }]), /names dino-vitb16 twice/);
  assert.throws(() => registerModelCatalog([dino, { ...dino, id: 'other' }]), /names fixture-dino twice/);
  registerModelCatalog(METRIC_MODELS);
});
