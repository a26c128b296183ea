/** Typed errors: every failure a user can meet has a code, a message naming the thing, and a hint saying what to do. */
export type ErrorCode =
  | 'E_USAGE'
  | 'E_NOT_IMPLEMENTED'
  | 'E_NOT_FOUND'
  | 'E_CHECKSUM'
  | 'E_SIGNATURE'
  | 'E_DOWNLOAD'
  | 'E_DECODE'
  | 'E_PROMPTS'
  | 'E_PROVIDER'
  | 'E_RUN'
  | 'E_SHARD'
  | 'E_MERGE'
  /** Runs or shards that do not measure the same thing (exit code 2). */
  | 'E_NOT_COMPARABLE'
  | 'E_INPUT';

export class GenbenchError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  constructor(code: ErrorCode, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GenbenchError';
    this.code = code;
    this.hint = hint;
  }
}

export function isGenbenchError(e: unknown, code?: ErrorCode): e is GenbenchError {
  return e instanceof GenbenchError && (code === undefined || e.code === code);
}

/**
 * A multi-line message (libvips and ffmpeg print one line per complaint, often repeated) as one
 * line: lines trimmed, empty and repeated ones dropped, joined with "; " (a space after a colon).
 */
export function oneLine(message: string): string {
  const lines = message.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  return [...new Set(lines)].reduce((acc, l) => (acc === '' ? l : acc.endsWith(':') ? `${acc} ${l}` : `${acc}; ${l}`), '');
}

/** One line for a log or an error record: message plus hint. */
export function describeError(e: unknown): string {
  if (e instanceof GenbenchError) return oneLine(e.hint ? `${e.message} (${e.hint})` : e.message);
  if (e instanceof Error) return oneLine(e.message);
  return oneLine(String(e));
}

const SYSTEM_ERRORS: Record<string, { code: ErrorCode; what: string; hint: string }> = {
  ENOENT: { code: 'E_NOT_FOUND', what: 'no such file or folder', hint: 'check the path' },
  EACCES: { code: 'E_INPUT', what: 'permission denied', hint: 'check the permissions of the path' },
  EPERM: { code: 'E_INPUT', what: 'operation not permitted', hint: 'check the permissions of the path' },
  ELOOP: { code: 'E_INPUT', what: 'symbolic link loop (too many levels of symbolic links)', hint: 'fix or remove the symbolic link' },
  ENOTDIR: { code: 'E_INPUT', what: 'a part of the path is a file, not a folder', hint: 'check the path' },
  EISDIR: { code: 'E_INPUT', what: 'is a folder, a file was expected', hint: 'give the file inside it' },
  EEXIST: { code: 'E_INPUT', what: 'already exists', hint: 'choose another path or remove it' },
  ENOTEMPTY: { code: 'E_INPUT', what: 'folder is not empty', hint: 'choose another path or empty it' },
  EROFS: { code: 'E_INPUT', what: 'read-only file system', hint: 'choose a writable folder' },
  ENOSPC: { code: 'E_RUN', what: 'no space left on the device', hint: 'free some space and run the same command again to resume' },
  EDQUOT: { code: 'E_RUN', what: 'disk quota exceeded', hint: 'free some space and run the same command again to resume' },
  EMFILE: { code: 'E_RUN', what: 'too many open files', hint: 'raise the open-file limit (ulimit -n) or lower --concurrency' },
  ENAMETOOLONG: { code: 'E_INPUT', what: 'file name too long', hint: 'choose a shorter path' },
  EIO: { code: 'E_INPUT', what: 'input/output error', hint: 'the disk or network file system failed; check it and run again' },
};

/**
 * A Node file-system error (ENOENT, EACCES, ELOOP, … with the path it concerns) as a GenbenchError
 * naming the path and what went wrong, for the CLI's last line of defence: a user's bad path is
 * never reported as an internal error. Undefined for anything else.
 */
export function fromSystemError(e: unknown): GenbenchError | undefined {
  if (!(e instanceof Error)) return undefined;
  const x = e as NodeJS.ErrnoException & { dest?: string };
  const known = typeof x.code === 'string' ? SYSTEM_ERRORS[x.code] : undefined;
  if (!known || (x.path === undefined && x.syscall === undefined)) return undefined;
  const where = x.path ? `${x.path}${x.dest ? ` → ${x.dest}` : ''}` : `(${x.syscall})`;
  return new GenbenchError(known.code, `${where}: ${known.what} (${x.code}${x.syscall ? ` in ${x.syscall}` : ''})`, known.hint, { cause: e });
}
