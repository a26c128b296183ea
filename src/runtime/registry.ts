/**
 * Model registry: id → files (with sha256), ONNX signature contract, preprocessing, source,
 * license. Built-in entries (derived by model-specs.ts from the metric model tables that
 * src/metrics/catalog.ts registers, see model-catalog.ts) plus the user's entries in
 * `$GENBENCH_HOME/models/registry.local.json` (written by `genbench models import`).
 * Every entry is validated with zod; the registry says plainly which files can be fetched.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../core/atomic-file.ts';
import { GenbenchError } from '../core/errors.ts';
import { modelsCacheDir } from '../core/paths.ts';
import { formatIssues, ModelSpecSchema, parseModelSpec, type ModelSpec } from './model-spec-schema.ts';
import { modelCatalog } from './model-catalog.ts';
import { builtinModelSpecInputs } from './model-specs.ts';
import type { MetricModelTable } from './model-table.ts';
import { formatSignature, signatureDifferences } from './signature.ts';

/** Registry-local file written by `models import`. */
export const LocalRegistrySchema = z.strictObject({
  version: z.literal(1),
  models: z.array(ModelSpecSchema),
});

let builtins: { tables: readonly MetricModelTable[]; specs: ModelSpec[] } | undefined;

/** Built-in entries of the registered catalog, validated once. */
export function builtinModelSpecs(): readonly ModelSpec[] {
  const tables = modelCatalog();
  if (builtins?.tables !== tables) builtins = { tables, specs: builtinModelSpecInputs(tables).map((s) => parseModelSpec(s, 'the built-in registry')) };
  return builtins.specs;
}

/** `$GENBENCH_HOME/models/registry.local.json` */
export function localRegistryPath(): string {
  return join(modelsCacheDir(), 'registry.local.json');
}

/** Entries the user registered (empty when the file does not exist). Throws E_INPUT on a malformed file. */
export function loadLocalModelSpecs(): ModelSpec[] {
  const path = localRegistryPath();
  if (!existsSync(path)) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new GenbenchError('E_INPUT', `cannot read ${path}: ${(e as Error).message}`, 'fix or delete the file and import the models again');
  }
  const r = LocalRegistrySchema.safeParse(raw);
  if (!r.success) throw new GenbenchError('E_INPUT', `invalid local model registry ${path}: ${formatIssues(r.error)}`, 'fix or delete the file and import the models again');
  return r.data.models;
}

/** A local entry may take over a built-in id only to supply the file of an export-required model, keeping its contract. */
function checkOverride(local: ModelSpec, builtin: ModelSpec): void {
  const path = localRegistryPath();
  if (builtin.status !== 'export-required') {
    throw new GenbenchError('E_INPUT', `${path} redefines built-in model ${builtin.id} (status ${builtin.status})`, `remove that entry, or import the file under another id`);
  }
  const diffs = signatureDifferences(local, builtin);
  if (diffs.length > 0 || local.inputs.length !== builtin.inputs.length || local.outputs.length !== builtin.outputs.length) {
    throw new GenbenchError(
      'E_SIGNATURE',
      `${path} entry ${local.id} changes the contract of the built-in model.\n  expected: ${formatSignature(builtin)}\n  actual:   ${formatSignature(local)}`,
      'remove that entry and import the model again',
    );
  }
}

/** Built-in entries merged with local ones (a local entry replaces an export-required built-in of the same id). */
export function listModelSpecs(): ModelSpec[] {
  const byId = new Map(builtinModelSpecs().map((s) => [s.id, s] as const));
  for (const local of loadLocalModelSpecs()) {
    const builtin = byId.get(local.id);
    if (builtin) checkOverride(local, builtin);
    byId.set(local.id, local);
  }
  return [...byId.values()];
}

/** One entry by id; E_NOT_FOUND lists the known ids. */
export function getModelSpec(id: string): ModelSpec {
  const all = listModelSpecs();
  const spec = all.find((s) => s.id === id);
  if (!spec) throw new GenbenchError('E_NOT_FOUND', `unknown model id ${id}`, `known models: ${all.map((s) => s.id).join(', ')}`);
  return spec;
}

/** A local entry as saveLocalModelSpec would write it (validated; nothing written). */
export function validateLocalModelSpec(spec: ModelSpec): ModelSpec {
  const checked = parseModelSpec(spec, 'models import');
  const builtin = builtinModelSpecs().find((s) => s.id === checked.id);
  if (builtin) checkOverride(checked, builtin);
  return checked;
}

/** Add or replace a local entry (validated, written atomically). */
export function saveLocalModelSpec(spec: ModelSpec): void {
  const checked = validateLocalModelSpec(spec);
  const models = loadLocalModelSpecs().filter((s) => s.id !== checked.id);
  models.push(checked);
  models.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  writeFileAtomic(localRegistryPath(), `${JSON.stringify({ version: 1, models }, null, 2)}\n`);
}
