/**
 * Sample files appear complete or not at all: written under a partial name in the same folder
 * (never ending in .mp4/.png, so that evaluators listing the folder do not see it), fsynced, then
 * renamed. A file under its final name is therefore complete, which is what resuming relies on.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The temporary name used while `path` is being written. */
export function partialPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
}

/** Whether a sample file is already complete (it exists under its final name). */
export const sampleExists = (path: string): boolean => existsSync(path);

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes `bytes` to `path` atomically. */
export function writeBytesAtomic(path: string, bytes: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = partialPath(path);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Runs `produce(tmpPath)` (which writes the file, e.g. ffmpeg), then fsyncs and renames it to `path`; the partial file is removed on failure. */
export async function produceAtomic(path: string, produce: (tmp: string) => Promise<void>): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = partialPath(path);
  try {
    await produce(tmp);
    fsyncFile(tmp);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
