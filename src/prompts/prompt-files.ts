/**
 * Pinned upstream prompt files: list, fetch (download into promptsCacheDir(), or read from
 * `--prompts-dir DIR` offline), verify and load, always checked against the manifest's sha256.
 * Pure functions returning data; the CLI prints.
 */
import { existsSync } from 'node:fs';
import { readFile, rename } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { downloadFile, type ProgressCallback } from '../core/download.ts';
import { GenbenchError, isGenbenchError } from '../core/errors.ts';
import { sha256File, sha256Hex } from '../core/hash.ts';
import { promptsCacheDir } from '../core/paths.ts';
import { loadPromptManifests, type PromptFileSpec, type PromptFormat } from './manifests.ts';
import { parsePromptEntries } from './parse.ts';

export interface PromptOptions {
  /** Offline: read files from this folder (at `<name>`, at the upstream path, or by basename) instead of downloading. */
  promptsDir?: string;
  /** Manifests folder (default: the repository's prompts/). */
  manifestsDir?: string;
  onProgress?: ProgressCallback;
  timeoutMs?: number;
}

export interface PromptFileInfo extends PromptFileSpec {
  /** Path in the cache, and whether a file is there (not verified here). */
  cachePath: string;
  cached: boolean;
}

/** Every pinned prompt file from the manifests, with its cache path. */
export function listPromptFiles(options: Pick<PromptOptions, 'manifestsDir'> = {}): PromptFileInfo[] {
  return loadPromptManifests(options.manifestsDir).map((f) => {
    const cachePath = join(promptsCacheDir(), f.name);
    return { ...f, cachePath, cached: existsSync(cachePath) };
  });
}

/**
 * The manifest entry for `name`: the full name (`vbench/prompts/all_dimension.txt`), or any unique
 * ending of it (`all_dimension.txt`, `prompts_per_dimension/color.txt`). E_NOT_FOUND otherwise,
 * listing the candidates.
 */
export function resolvePromptFile(name: string, options: Pick<PromptOptions, 'manifestsDir'> = {}): PromptFileSpec {
  const all = loadPromptManifests(options.manifestsDir);
  const exact = all.find((f) => f.name === name);
  if (exact) return exact;
  const matches = all.filter((f) => f.name.endsWith(`/${name}`));
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    throw new GenbenchError('E_NOT_FOUND', `prompt file name ${name} is ambiguous`, `use one of: ${matches.map((f) => f.name).join(', ')}`);
  }
  throw new GenbenchError('E_NOT_FOUND', `unknown prompt file ${name}`, 'run `genbench prompts list` for the known files');
}

function mismatch(spec: PromptFileSpec, path: string, actual: string, action: string): GenbenchError {
  return new GenbenchError(
    'E_PROMPTS',
    `prompt file ${spec.name} at ${path} has sha256 ${actual}, expected ${spec.sha256} (${spec.repository}@${spec.commit.slice(0, 12)}:${spec.path})`,
    action,
  );
}

/** Where `spec` may sit inside an offline folder, in the order they are tried. */
function offlineCandidates(dir: string, spec: PromptFileSpec): string[] {
  return [...new Set([join(dir, spec.name), join(dir, spec.path), join(dir, basename(spec.path))])];
}

export interface FetchedPromptFile {
  name: string;
  path: string;
  sha256: string;
}

/**
 * A verified local copy of prompt file `name`. With `promptsDir`, the file is read from there (no
 * copy); otherwise it is downloaded from the pinned URL into promptsCacheDir() (kept there once
 * verified). Errors: E_PROMPTS (sha256 differs: names the file, both hashes and what to do),
 * E_NOT_FOUND, E_DOWNLOAD.
 */
export async function fetchPromptFile(name: string, options: PromptOptions = {}): Promise<FetchedPromptFile> {
  const spec = resolvePromptFile(name, options);
  if (options.promptsDir !== undefined) {
    const dir = resolve(options.promptsDir);
    const candidates = offlineCandidates(dir, spec);
    const path = candidates.find((p) => existsSync(p));
    if (!path) throw new GenbenchError('E_NOT_FOUND', `prompt file ${spec.name} not found in ${dir} (looked for ${candidates.join(', ')})`, `download it from ${spec.url}`);
    const actual = await sha256File(path);
    if (actual !== spec.sha256) {
      throw mismatch(spec, path, actual, `replace it with the pinned upstream file (${spec.url}); prompt files must be byte-identical to upstream`);
    }
    return { name: spec.name, path, sha256: actual };
  }
  const dest = join(promptsCacheDir(), spec.name);
  if (existsSync(dest)) {
    const actual = await sha256File(dest);
    if (actual === spec.sha256) return { name: spec.name, path: dest, sha256: actual };
    await rename(dest, `${dest}.bad`);
  }
  try {
    await downloadFile({ url: spec.url, dest, sha256: spec.sha256, onProgress: options.onProgress, timeoutMs: options.timeoutMs });
  } catch (e) {
    if (isGenbenchError(e, 'E_CHECKSUM')) {
      const actual = existsSync(`${dest}.bad`) ? await sha256File(`${dest}.bad`) : 'unknown';
      throw mismatch(spec, spec.url, actual, `the download was kept aside at ${dest}.bad; run again, or use --prompts-dir DIR with the pinned files`);
    }
    if (isGenbenchError(e, 'E_DOWNLOAD')) throw new GenbenchError('E_DOWNLOAD', e.message, `${e.hint ?? ''}; offline, pass --prompts-dir DIR holding the upstream files`.replace(/^; /, ''), { cause: e });
    throw e;
  }
  return { name: spec.name, path: dest, sha256: spec.sha256 };
}

export interface LoadedPromptFile {
  name: string;
  path: string;
  sha256: string;
  format: PromptFormat;
  /** The file's text (UTF-8). */
  text: string;
  /** Lines (txt-lines) or parsed JSON values (jsonl, json array); `entries.length` equals the manifest count. */
  entries: unknown[];
}

/** Fetch (verified), read and parse prompt file `name`. E_PROMPTS when its entry count differs from the manifest. */
export async function loadPromptFile(name: string, options: PromptOptions = {}): Promise<LoadedPromptFile> {
  const spec = resolvePromptFile(name, options);
  const fetched = await fetchPromptFile(spec.name, options);
  const bytes = await readFile(fetched.path);
  // Hash what we parse, so a file swapped after verification is still caught.
  const sha256 = sha256Hex(bytes);
  if (sha256 !== spec.sha256) throw mismatch(spec, fetched.path, sha256, 'the file changed while being read: fetch it again');
  const text = bytes.toString('utf8');
  const entries = parsePromptEntries(text, spec.format, spec.name);
  if (entries.length !== spec.count) {
    throw new GenbenchError('E_PROMPTS', `prompt file ${spec.name} has ${entries.length} entries, the manifest says ${spec.count}`, 'the manifest and the pinned file disagree: report it');
  }
  return { name: spec.name, path: fetched.path, sha256, format: spec.format, text, entries };
}

export type PromptVerifyStatus = 'ok' | 'missing' | 'mismatch' | 'bad-count';

export interface PromptVerifyResult {
  name: string;
  status: PromptVerifyStatus;
  /** Where the file was looked for / found. */
  path: string;
  expected: string;
  actual?: string;
  /** Entries counted (when the hash matched). */
  count?: number;
  /** The cached copy failed its check earlier and was moved aside (`<path>.bad`): a failure, not just "not fetched". */
  movedAside?: boolean;
  message?: string;
}

/**
 * Check every pinned prompt file that is present (in `promptsDir`, else in the cache) against its
 * sha256 and entry count; downloads nothing. Never throws for one file's failure.
 */
export async function verifyPromptFiles(options: Omit<PromptOptions, 'onProgress' | 'timeoutMs'> = {}): Promise<PromptVerifyResult[]> {
  const out: PromptVerifyResult[] = [];
  for (const spec of loadPromptManifests(options.manifestsDir)) {
    const candidates = options.promptsDir !== undefined ? offlineCandidates(resolve(options.promptsDir), spec) : [join(promptsCacheDir(), spec.name)];
    const path = candidates.find((p) => existsSync(p));
    if (!path) {
      const aside = options.promptsDir === undefined && existsSync(`${candidates[0]}.bad`);
      out.push({
        name: spec.name, status: 'missing', path: candidates[0], expected: spec.sha256,
        message: aside ? `the cached copy failed its sha256 check and was moved aside to ${candidates[0]}.bad (genbench prompts fetch ${spec.name})` : `not found (looked for ${candidates.join(', ')})`,
        ...(aside ? { movedAside: true } : {}),
      });
      continue;
    }
    const bytes = await readFile(path);
    const actual = sha256Hex(bytes);
    if (actual !== spec.sha256) {
      const e = mismatch(spec, path, actual, `replace it with the pinned upstream file (${spec.url})`);
      out.push({ name: spec.name, status: 'mismatch', path, expected: spec.sha256, actual, message: `${e.message} (${e.hint})` });
      continue;
    }
    const count = parsePromptEntries(bytes.toString('utf8'), spec.format, spec.name).length;
    out.push(
      count === spec.count
        ? { name: spec.name, status: 'ok', path, expected: spec.sha256, actual, count }
        : { name: spec.name, status: 'bad-count', path, expected: spec.sha256, actual, count, message: `${count} entries, the manifest says ${spec.count}` },
    );
  }
  return out;
}
