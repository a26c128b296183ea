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
