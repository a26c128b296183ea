import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the installed genbench package (where package.json lives). */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let cached: { name: string; version: string; gitCommit: string | null; gitDirty: boolean | null } | undefined;

/** Tool name, version and, when run from a git checkout, the commit and whether the tree is dirty. */
export function toolInfo(): { name: string; version: string; gitCommit: string | null; gitDirty: boolean | null } {
  if (cached) return cached;
  const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  let gitCommit: string | null = null;
  let gitDirty: boolean | null = null;
  try {
    gitCommit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
    gitDirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
        cwd: packageRoot,
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim().length > 0;
  } catch {
    // Not a checkout (installed from the registry): version alone identifies the tool.
  }
  cached = { name: pkg.name, version: pkg.version, gitCommit, gitDirty };
  return cached;
}
