/**
 * Pinned upstream prompt files for the tests, found the way a user's genbench finds them, never
 * downloaded by a test:
 *  1. GENBENCH_TEST_PROMPTS_DIR: a folder laid out as `--prompts-dir` expects (`.ci/run` points it
 *     at a copy of the upstream files, to exercise the pinned-file path);
 *  2. else the genbench prompt cache (`$GENBENCH_HOME/prompts`, filled by `genbench prompts fetch`),
 *     as it is when this module is loaded (tests later point GENBENCH_HOME at temporary folders).
 * A file counts only when its sha256 is the manifest's. When a test's files are not all there it
 * skips, saying which are missing and how to provide them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sha256Hex } from '../../src/core/hash.ts';
import { promptsCacheDir } from '../../src/core/paths.ts';
import { resolvePromptFile } from '../../src/prompts/prompt-files.ts';

export const PROMPTS_DIR_ENV = 'GENBENCH_TEST_PROMPTS_DIR';

/** The folders searched, in order (each holds files at their manifest name, e.g. `geneval/prompts/…`). */
const searched: string[] = [
  ...(process.env[PROMPTS_DIR_ENV] ? [resolve(process.env[PROMPTS_DIR_ENV]!)] : []),
  promptsCacheDir(),
];

const found = new Map<string, string | null>();

/** Verified path of pinned prompt file `name` (a manifest name or unique ending), or undefined. */
export function upstreamFilePath(name: string): string | undefined {
  const spec = resolvePromptFile(name);
  if (!found.has(spec.name)) {
    let hit: string | null = null;
    for (const dir of searched) {
      const p = join(dir, spec.name);
      if (existsSync(p) && sha256Hex(readFileSync(p)) === spec.sha256) {
        hit = p;
        break;
      }
    }
    found.set(spec.name, hit);
  }
  return found.get(spec.name) ?? undefined;
}

/** The text of pinned prompt file `name`; throws (naming how to provide it) when absent. */
export function readUpstreamFile(name: string): string {
  const p = upstreamFilePath(name);
  if (!p) throw new Error(missingReason([name]));
  return readFileSync(p, 'utf8');
}

function missingReason(names: readonly string[]): string {
  return (
    `needs the pinned upstream prompt file(s) ${names.length > 4 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ')}: run \`genbench prompts fetch\` (online) ` +
    `or set ${PROMPTS_DIR_ENV} to a --prompts-dir folder holding them (looked in ${searched.join(', ')})`
  );
}

/**
 * For `test(name, { skip: upstream.skip }, …)`: `dir` is a folder holding every file in `names`
 * (usable as `--prompts-dir`), or `skip` says what is missing.
 */
export function upstreamPrompts(...names: string[]): { dir: string; skip: false } | { dir: undefined; skip: string } {
  const missing = names.filter((n) => !upstreamFilePath(n));
  if (missing.length > 0) return { dir: undefined, skip: missingReason(missing) };
  // Every file was found; use the first folder that holds them all.
  const dir = searched.find((d) => names.every((n) => upstreamFilePath(n)!.startsWith(`${d}/`)));
  if (!dir) return { dir: undefined, skip: `the pinned files ${names.join(', ')} are split between ${searched.join(' and ')}; put them in one folder` };
  return { dir, skip: false };
}
