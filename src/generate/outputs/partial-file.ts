/**
 * Sample files appear complete or not at all: written under a partial name in the same folder
 * (never ending in .mp4/.png, so that evaluators listing the folder do not see it), fsynced, then
 * renamed. A file under its final name is therefore complete, which is what resuming relies on.
 */
import { existsSync } from 'node:fs';
import { produceFileAtomic, writeFileAtomic } from '../../core/atomic-file.ts';
import { basename, dirname, join } from 'node:path';

/** The temporary name used while `path` is being written. */
export function partialPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.partial-${process.pid}`);
}

/** Whether a sample file is already complete (it exists under its final name). */
export const sampleExists = (path: string): boolean => existsSync(path);

/** Writes `bytes` to `path` atomically (through its partial name). */
export function writeBytesAtomic(path: string, bytes: Uint8Array): void {
  writeFileAtomic(path, bytes, { tmpPath: partialPath(path) });
}

/** Runs `produce(tmpPath)` (which writes the file, e.g. ffmpeg), then fsyncs and renames it to `path`; the partial file is removed on failure. */
export async function produceAtomic(path: string, produce: (tmp: string) => Promise<void>): Promise<void> {
  await produceFileAtomic(path, produce, { tmpPath: partialPath(path) });
}
