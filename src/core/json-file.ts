import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { GenbenchError } from './errors.ts';

/** Write a file atomically: temp file, fsync, rename. A kill leaves either the old or the new file. */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function readJson<T>(path: string, what: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new GenbenchError('E_NOT_FOUND', `${what} not found: ${path}`, undefined, { cause: e });
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new GenbenchError('E_INPUT', `${what} is not valid JSON: ${path}`, 'the file is damaged; restore it or start a new run', {
      cause: e,
    });
  }
}
