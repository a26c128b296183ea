/** Output folders given on the command line: created with a named error for every way that can fail. */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { GenbenchError } from './errors.ts';

/** The nearest existing ancestor of `abs` (itself included), or undefined. */
function nearestExisting(abs: string): { path: string; isDir: boolean } | undefined {
  for (let p = abs; ; p = dirname(p)) {
    try {
      const st = statSync(p);
      return { path: p, isDir: st.isDirectory() };
    } catch {
      if (dirname(p) === p) return undefined;
    }
  }
}

/**
 * `mkdir -p dir`, turning file-system errors into GenbenchErrors: the path (or a folder above
 * it) is a file, permission denied, read-only file system, a dangling symlink, no space.
 * `flag` names the option in messages ("--out").
 */
export function ensureOutputDir(dir: string, flag = '--out'): string {
  const abs = resolve(dir);
  try {
    mkdirSync(abs, { recursive: true });
    return abs;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const near = nearestExisting(abs);
    if (code === 'EEXIST' || code === 'ENOTDIR' || (near && !near.isDir)) {
      const where = near && !near.isDir ? (near.path === abs ? `${abs} is a file, not a folder` : `${near.path} is a file, so ${abs} cannot be a folder`) : `${abs} exists and is not a folder (a dangling symlink?)`;
      throw new GenbenchError('E_USAGE', `${flag} ${where}`, `give ${flag} a folder: a new path, or an earlier run to resume`, { cause: e });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new GenbenchError('E_USAGE', `${flag} ${abs}: permission denied (cannot create it or write in ${near?.path ?? dirname(abs)})`, `choose a folder you can write to`, { cause: e });
    }
    if (code === 'EROFS') throw new GenbenchError('E_USAGE', `${flag} ${abs} is on a read-only file system`, 'choose a writable folder', { cause: e });
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new GenbenchError('E_RUN', `no space left to create ${abs}`, 'free some space or choose another disk', { cause: e });
    if (code === 'ELOOP') throw new GenbenchError('E_USAGE', `${flag} ${abs}: too many levels of symbolic links (a symlink loop)`, 'fix the symlinks or choose another folder', { cause: e });
    if (code === 'ENAMETOOLONG') throw new GenbenchError('E_USAGE', `${flag} path is too long: ${abs}`, 'choose a shorter path', { cause: e });
    throw new GenbenchError('E_RUN', `cannot create ${flag} folder ${abs}: ${(e as Error).message}`, 'check the path and its permissions', { cause: e });
  }
}
