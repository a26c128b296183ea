import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Write bytes or text through a temporary file and a rename, so a reader never sees half a report file. */
export function writeReportFile(path: string, data: string | Uint8Array): string {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
  return path;
}
