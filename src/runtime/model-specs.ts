/**
 * Built-in registry entries, derived from the metric model tables (model-table.ts) the families
 * declare: for each model an `export-required` entry naming its export recipe (no ONNX file of a
 * real metric model is published yet, and the registry never pretends one can be fetched), and a
 * `fixture` entry for the tiny random-weight model that stands in for it, with the same contract
 * and its pinned sha256.
 */
import type { ModelSpecInput } from './model-spec-schema.ts';
import { tensorSpecs, type MetricModelTable } from './model-table.ts';

/** The script that writes every fixture model into a folder. */
export const FIXTURE_RECIPE = 'tools/fixtures/build-fixtures.ts';

/** The real model's entry: contract and preprocessing from its table, nothing to download. */
function metricEntry(m: MetricModelTable): ModelSpecInput {
  const companions = m.companions ?? [];
  return {
    id: m.id,
    description: m.description,
    family: m.family,
    status: 'export-required',
    files: [{ name: `${m.id}.onnx`, url: null, sha256: null }, ...companions.map((name) => ({ name, url: null, sha256: null }))],
    inputs: tensorSpecs(m.inputs),
    outputs: tensorSpecs(m.outputs),
    preprocess: { ...m.preprocess },
    source: { upstream: m.upstream, recipe: m.exportRecipe },
    license: m.license,
    message:
      `no ONNX file of ${m.id} is published yet: export the official checkpoint with ${m.exportRecipe}, ` +
      `then register it with \`genbench models import ${m.id} FILE.onnx${companions.map((c) => ` --with ${c}=PATH`).join('')}\` (its signature is checked against this entry)`,
  };
}

/** The fixture's entry: the real model's contract, the builder's pinned bytes. */
function fixtureEntry(m: MetricModelTable): ModelSpecInput {
  const f = m.fixture;
  return {
    id: f.id,
    description: `tiny random-weight fixture with the signature of ${m.id} (smoke tests and the demo only; scores are meaningless)`,
    family: m.family,
    status: 'fixture',
    files: [{ name: `${f.id}.onnx`, url: null, sha256: f.sha256, bytes: f.bytes }, ...(f.companions ?? []).map((c) => ({ name: c.name, url: null, sha256: c.sha256, bytes: c.bytes }))],
    inputs: tensorSpecs(m.inputs),
    outputs: tensorSpecs(m.outputs),
    preprocess: { ...m.preprocess },
    source: { upstream: 'random weights from a fixed seed', recipe: FIXTURE_RECIPE },
    license: 'Apache-2.0 (genbench)',
    standsInFor: m.id,
    message: `fixture models are built locally: evaluate/bench/static-filter --fixture-models builds and imports them on first use; or run \`node --import tsx ${FIXTURE_RECIPE} DIR\`, then \`genbench models fetch ${f.id} --from DIR\``,
  };
}

/** Registry entries of `tables`: every real model, then every fixture (validated by registry.ts). */
export function builtinModelSpecInputs(tables: readonly MetricModelTable[]): ModelSpecInput[] {
  return [...tables.map(metricEntry), ...tables.map(fixtureEntry)];
}
