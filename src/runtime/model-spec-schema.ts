/**
 * The shape of a metric model's registry entry (files with sha256, input/output contract,
 * preprocessing, source, licence), validated with zod. The built-in entries are derived from the metric model tables by model-specs.ts;
 * registry.ts looks them up together with the user's local entries.
 */
import { z } from 'zod';
import { GenbenchError } from '../core/errors.ts';

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

/** Zod issues as one line: `path: message; …`. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(entry)'}: ${i.message}`).join('; ');
}

/** Validate one entry; throws E_INPUT naming the entry, where it came from and every problem. */
export function parseModelSpec(value: unknown, origin = 'model spec'): ModelSpec {
  const r = ModelSpecSchema.safeParse(value);
  if (r.success) return r.data;
  const id = typeof value === 'object' && value !== null && 'id' in value ? String((value as { id: unknown }).id) : '(no id)';
  throw new GenbenchError('E_INPUT', `invalid model spec ${id} in ${origin}: ${formatIssues(r.error)}`, 'fix the entry (see src/runtime/model-spec-schema.ts for the schema)');
}
