/**
 * Model registry: id → files (with sha256), ONNX signature contract, preprocessing, source,
 * license. Built-in entries (model-specs.ts) plus the user's entries in
 * `$GENBENCH_HOME/models/registry.local.json` (written by `genbench models import`).
 * Every entry is validated with zod; the registry says plainly which files can be fetched.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { GenbenchError } from '../core/errors.ts';
import { modelsCacheDir } from '../core/paths.ts';
import { builtinModelSpecInputs } from './model-specs.ts';
import { formatSignature, signatureDifferences } from './signature.ts';

const SHA256 = /^[0-9a-f]{64}$/;

export const DTYPES = ['float32', 'float16', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool', 'string'] as const;

const DimSchema = z.union([z.number().int().nonnegative(), z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'symbolic dims are identifiers such as batch')]);

export const TensorSpecSchema = z.strictObject({
  name: z.string().min(1),
  dtype: z.enum(DTYPES),
  shape: z.array(DimSchema),
});

export const ModelFileSchema = z.strictObject({
  /** File name inside the model's cache folder. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a plain file name'),
  /** Where to download it (https://, http:// or file://); null when nothing is published. */
  url: z.string().regex(/^(https?|file):\/\/\S+$/, 'an http(s):// or file:// URL').nullable(),
  /** sha256 of the file (lowercase hex); null only while no file exists (export-required). */
  sha256: z.string().regex(SHA256, '64 lowercase hex digits').nullable(),
  bytes: z.number().int().positive().optional(),
});

/**
 * - available: every file has a URL and a sha256 (fetchable).
 * - export-required: nothing published; `message` names the export recipe; files have url null.
 * - fixture: built locally by tools/fixtures (pinned sha256, no URL).
 * - imported: registered from a local file by `models import` (pinned sha256, no URL).
 */
/** A model id: also a folder name in the cache, so no path separators and no leading dot. */
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;

/** Refuses an id that is not a valid model id (before anything is written under it). */
export function checkModelId(id: string): void {
  if (!MODEL_ID_PATTERN.test(id)) {
    throw new GenbenchError('E_USAGE', `invalid model id ${JSON.stringify(id)}: use lowercase letters, digits, . _ - (starting with a letter or digit)`, 'for example: genbench models import my-dino ./dino.onnx');
  }
}

export const ModelStatusSchema = z.enum(['available', 'export-required', 'fixture', 'imported']);

export const ModelSpecSchema = z
  .strictObject({
    id: z.string().regex(MODEL_ID_PATTERN, 'lowercase letters, digits, . _ -'),
    description: z.string().min(1),
    /** Metric family (dino, clip, aesthetic, musiq, raft, amt, …) or 'user'. */
    family: z.string().min(1),
    status: ModelStatusSchema,
    /** The first file is the ONNX graph the session loads; others are its external data. */
    files: z.array(ModelFileSchema).min(1),
    inputs: z.array(TensorSpecSchema).min(1),
    outputs: z.array(TensorSpecSchema).min(1),
    /** Free-form description of the preprocessing the official code applies. */
    preprocess: z.record(z.string(), z.unknown()),
    source: z.strictObject({
      /** Upstream weights (URL, hub id) or how they were made. */
      upstream: z.string().min(1),
      /** Script in this repository that exports/builds the ONNX file. */
      recipe: z.string().min(1).optional(),
    }),
    license: z.string().min(1),
    /** For fixtures: the real model whose signature this one shares. */
    standsInFor: z.string().optional(),
    /** Shown when the model cannot be fetched (how to get it). */
    message: z.string().min(1).optional(),
  })
  .superRefine((spec, ctx) => {
    const issue = (message: string, path: (string | number)[] = []) => ctx.addIssue({ code: 'custom', message, path });
    const unique = (names: string[], what: string, path: string) => {
      const seen = new Set<string>();
      for (const n of names) {
        if (seen.has(n)) issue(`duplicate ${what} name ${n}`, [path]);
        seen.add(n);
      }
    };
    unique(spec.files.map((f) => f.name), 'file', 'files');
    unique(spec.inputs.map((t) => t.name), 'input', 'inputs');
    unique(spec.outputs.map((t) => t.name), 'output', 'outputs');
    if (!spec.files[0].name.endsWith('.onnx')) issue('the first file must be the .onnx graph', ['files', 0, 'name']);
    spec.files.forEach((f, i) => {
      switch (spec.status) {
        case 'available':
          if (f.url === null) issue('an available model needs a URL for every file', ['files', i, 'url']);
          if (f.sha256 === null) issue('an available model needs a sha256 for every file', ['files', i, 'sha256']);
          break;
        case 'export-required':
          if (f.url !== null) issue('an export-required model has no download URL (set status available)', ['files', i, 'url']);
          break;
        case 'fixture':
        case 'imported':
          if (f.sha256 === null) issue(`a ${spec.status} model pins the sha256 of every file`, ['files', i, 'sha256']);
          break;
      }
    });
    if (spec.status === 'export-required' && !spec.message) issue('an export-required model needs a message naming its export recipe', ['message']);
    if (spec.status === 'fixture' && !spec.source.recipe) issue('a fixture names the script that builds it', ['source', 'recipe']);
  });

export type ModelSpec = z.infer<typeof ModelSpecSchema>;
export type ModelSpecInput = z.input<typeof ModelSpecSchema>;
export type ModelFile = z.infer<typeof ModelFileSchema>;
export type TensorSpec = z.infer<typeof TensorSpecSchema>;

/** Registry-local file written by `models import`. */
export const LocalRegistrySchema = z.strictObject({
  version: z.literal(1),
  models: z.array(ModelSpecSchema),
});

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(entry)'}: ${i.message}`).join('; ');
}

/** Validate one entry; throws E_INPUT naming the entry, where it came from and every problem. */
export function parseModelSpec(value: unknown, origin = 'model spec'): ModelSpec {
  const r = ModelSpecSchema.safeParse(value);
  if (r.success) return r.data;
  const id = typeof value === 'object' && value !== null && 'id' in value ? String((value as { id: unknown }).id) : '(no id)';
  throw new GenbenchError('E_INPUT', `invalid model spec ${id} in ${origin}: ${formatIssues(r.error)}`, 'fix the entry (see src/runtime/registry.ts for the schema)');
}

let builtins: ModelSpec[] | undefined;

/** Built-in entries, validated once. */
export function builtinModelSpecs(): readonly ModelSpec[] {
  builtins ??= builtinModelSpecInputs().map((s) => parseModelSpec(s, 'the built-in registry'));
  return builtins;
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
  const path = localRegistryPath();
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: 1, models }, null, 2)}\n`);
  renameSync(tmp, path);
}
