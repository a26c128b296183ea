/**
 * The project's durable-write primitives: a file replaced atomically (temp file, fsync, rename:
 * a kill leaves either the old or the new file, never half of one) and a JSONL file appended line
 * by line, each line fsynced before the call returns (a kill keeps every line reported written).
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

/** fsync a file that is already written (e.g. by a child process). */
function fsyncPath(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Write `data` to `path` atomically: into `tmpPath` (default `<path>.tmp-<pid>`, same folder),
 * fsynced, then renamed over `path`; the temp file is removed when anything fails. Returns `path`.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: { tmpPath?: string } = {}): string {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = opts.tmpPath ?? `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeAll(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return path;
}

/**
 * The same for a file that `produce(tmp)` writes itself (e.g. an ffmpeg child process): then fsync,
 * rename over `path`; the temp file is removed when anything fails.
 */
export async function produceFileAtomic(path: string, produce: (tmp: string) => Promise<void>, opts: { tmpPath?: string } = {}): Promise<string> {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = opts.tmpPath ?? `${path}.tmp-${process.pid}`;
  try {
    await produce(tmp);
    fsyncPath(tmp);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return path;
}

/** Appends to a JSONL file, fsyncing every write before returning; the file is opened on first use. */
export class JsonlAppender {
  private fd: number | undefined;

  constructor(readonly path: string) {}

  /** Append raw text (whole lines, or the newline that ends a torn line). */
  appendText(text: string): void {
    if (this.fd === undefined) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, 'a');
    }
    writeAll(this.fd, text);
    fsyncSync(this.fd);
  }

  /** Append one value as a JSON line. */
  append(value: unknown): void {
    this.appendText(`${JSON.stringify(value)}\n`);
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}

/** Append one JSON line to `path` (opened, written, fsynced, closed). */
export function appendJsonLine(path: string, value: unknown): void {
  const a = new JsonlAppender(path);
  try {
    a.append(value);
  } finally {
    a.close();
  }
}
