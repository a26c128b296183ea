/**
 * Prompt-file manifests (`prompts/*.json`): for each pinned upstream file its name, suite, raw URL
 * (repository + commit + path), sha256, size, format and entry count. No prompt text lives in
 * this repository; the files are fetched (or read from --prompts-dir) and checked against these.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { GenbenchError } from '../core/errors.ts';

/** The repository's own manifests folder. */
export const DEFAULT_MANIFESTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

/** txt-lines: one entry per line; jsonl: one JSON value per non-empty line; json: a top-level array. */
export const PromptFormatSchema = z.enum(['txt-lines', 'jsonl', 'json']);
export type PromptFormat = z.infer<typeof PromptFormatSchema>;

const ManifestFileSchema = z.strictObject({
  /** `<source>/<upstream path>`, e.g. `vbench/prompts/all_dimension.txt`. */
  name: z.string().regex(/^[a-z0-9_-]+\/[A-Za-z0-9_./-]+$/),
  suite: z.enum(['vbench', 'geneval']),
  /** Path inside the upstream repository. */
  path: z.string().min(1),
  url: z.string().regex(/^(https?|file):\/\/\S+$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
  format: PromptFormatSchema,
  count: z.number().int().positive(),
  description: z.string().min(1),
});

export const PromptManifestSchema = z
  .strictObject({
    $comment: z.string().optional(),
    /** Short source name, the first part of every file name. */
    source: z.string().regex(/^[a-z0-9_-]+$/),
    /** GitHub owner/name. */
    repository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/),
    /** Full 40-hex commit the files are pinned to. */
    commit: z.string().regex(/^[0-9a-f]{40}$/),
    files: z.array(ManifestFileSchema).min(1),
  })
  .superRefine((m, ctx) => {
    m.files.forEach((f, i) => {
      if (f.name !== `${m.source}/${f.path}`) ctx.addIssue({ code: 'custom', path: ['files', i, 'name'], message: `name must be ${m.source}/${f.path}` });
      const raw = `https://raw.githubusercontent.com/${m.repository}/${m.commit}/${f.path}`;
      if (f.url.startsWith('https://raw.githubusercontent.com/') && f.url !== raw) {
        ctx.addIssue({ code: 'custom', path: ['files', i, 'url'], message: `a raw GitHub URL must be ${raw}` });
      }
    });
  });

export type PromptManifest = z.infer<typeof PromptManifestSchema>;

/** One pinned prompt file with its manifest's repository and commit. */
export interface PromptFileSpec extends z.infer<typeof ManifestFileSchema> {
  source: string;
  repository: string;
  commit: string;
}

/** Every file of every `*.json` manifest in `dir` (default: the repository's prompts/), sorted by name. */
export function loadPromptManifests(dir: string = DEFAULT_MANIFESTS_DIR): PromptFileSpec[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch {
    throw new GenbenchError('E_NOT_FOUND', `prompt manifests folder not found: ${dir}`);
  }
  const out: PromptFileSpec[] = [];
  for (const n of names) {
    const path = join(dir, n);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new GenbenchError('E_PROMPTS', `cannot read prompt manifest ${path}: ${(e as Error).message}`);
    }
    const r = PromptManifestSchema.safeParse(raw);
    if (!r.success) {
      const issues = r.error.issues.map((i) => `${i.path.join('.') || '(manifest)'}: ${i.message}`).join('; ');
      throw new GenbenchError('E_PROMPTS', `invalid prompt manifest ${path}: ${issues}`);
    }
    const m = r.data;
    for (const f of m.files) out.push({ ...f, source: m.source, repository: m.repository, commit: m.commit });
  }
  const seen = new Set<string>();
  for (const f of out) {
    if (seen.has(f.name)) throw new GenbenchError('E_PROMPTS', `prompt file ${f.name} is listed twice in ${dir}`);
    seen.add(f.name);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
