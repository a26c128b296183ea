/**
 * Committed fixture models over the repository's size limit are stored gzipped (`<file>.gz`, written
 * by their golden script with a fixed mtime). `fixtureModelFile(path)` gives a path holding the
 * plain bytes: the file itself when present (a golden script just wrote it), else the gzip
 * unpacked once into the temp folder, named by the compressed file's sha256. Callers still check
 * the plain bytes against the golden's sha256.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export function fixtureModelFile(path: string): string {
  if (existsSync(path)) return path;
  const packed = readFileSync(`${path}.gz`);
  const dir = join(tmpdir(), 'genbench-fixture-models', createHash('sha256').update(packed).digest('hex').slice(0, 16));
  const out = join(dir, basename(path));
  if (!existsSync(out)) {
    mkdirSync(dir, { recursive: true });
    const partial = `${out}.${process.pid}.partial`;
    writeFileSync(partial, gunzipSync(packed));
    renameSync(partial, out);
  }
  return out;
}
