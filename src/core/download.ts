/**
 * Downloads into a cache: resume (HTTP Range on `<dest>.part`; a server that ignores Range gets a
 * clean restart), sha256 verification, atomic rename into place, progress, timeouts, redirects,
 * and `file://` URLs or plain local paths as sources. `ensureCached` verifies a cached file once
 * and remembers it in a `<dest>.sha256` stamp (size + mtime), so large files are not rehashed on
 * every run.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenbenchError, describeError } from './errors.ts';
import { sha256File } from './hash.ts';

export type ProgressCallback = (bytes: number, total: number | undefined) => void;

export interface DownloadOptions {
  /** http(s):// URL, file:// URL, or a plain local path. */
  url: string;
  /** Final path; the data goes to `<dest>.part` first and is renamed into place when complete and verified. */
  dest: string;
  /** Expected sha256 (hex); on mismatch the file is moved to `<dest>.bad` and E_CHECKSUM is thrown. */
  sha256?: string;
  /** Called as data arrives with the bytes so far (resumed bytes included) and the total when known. */
  onProgress?: ProgressCallback;
  /** Give up when the server sends no response or no data for this long (default 30 s). */
  timeoutMs?: number;
  /** Most redirects followed (default 10). */
  maxRedirects?: number;
  signal?: AbortSignal;
}

export interface DownloadResult {
  path: string;
  sha256: string;
  bytes: number;
  /** Bytes already in `<dest>.part` that were kept (0 when the download started from scratch). */
  resumedFrom: number;
}

interface PartMeta {
  url: string;
  etag?: string;
  lastModified?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

const partPath = (dest: string) => `${dest}.part`;
const partMetaPath = (dest: string) => `${dest}.part.json`;
const badPath = (dest: string) => `${dest}.bad`;
const stampPath = (dest: string) => `${dest}.sha256`;

function isUrl(source: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source);
}

async function hashPrefix(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function readPartMeta(dest: string): Promise<PartMeta | undefined> {
  try {
    return JSON.parse(await readFile(partMetaPath(dest), 'utf8')) as PartMeta;
  } catch {
    return undefined;
  }
}

/** Verify the finished `.part`, then move it into place (or aside, on a checksum mismatch). */
async function finish(dest: string, url: string, actual: string, bytes: number, resumedFrom: number, expected: string | undefined): Promise<DownloadResult> {
  const part = partPath(dest);
  await rm(partMetaPath(dest), { force: true });
  if (expected !== undefined && actual !== expected.toLowerCase()) {
    await rename(part, badPath(dest));
    throw new GenbenchError(
      'E_CHECKSUM',
      `sha256 mismatch for ${dest} (from ${url}): expected ${expected.toLowerCase()}, got ${actual}`,
      `the file was moved aside to ${badPath(dest)}; the download was corrupted or the upstream file changed: delete it and run again, and if it happens again the pinned URL or checksum is out of date`,
    );
  }
  await rename(part, dest);
  if (expected !== undefined) await writeStamp(dest, actual);
  return { path: dest, sha256: actual, bytes, resumedFrom };
}

/** A local file (plain path or file:// URL) is copied through `.part` with progress and hashing. */
async function copyLocal(o: DownloadOptions, source: string): Promise<DownloadResult> {
  let total: number;
  try {
    const st = await stat(source);
    if (!st.isFile()) throw new Error('not a file');
    total = st.size;
  } catch {
    throw new GenbenchError('E_NOT_FOUND', `source file not found: ${source}`, 'check the path (or the URL in the registry/manifest)');
  }
  const part = partPath(o.dest);
  const hash = createHash('sha256');
  const fh = await open(part, 'w');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(source, { highWaterMark: 1 << 20, signal: o.signal })) {
      const buf = chunk as Buffer;
      await fh.write(buf);
      hash.update(buf);
      bytes += buf.length;
      o.onProgress?.(bytes, total);
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  return finish(o.dest, o.url, hash.digest('hex'), bytes, 0, o.sha256);
}

/** fetch with our own redirect loop (so Range/If-Range survive redirects and the count is bounded). */
async function request(url: string, headers: Record<string, string>, maxRedirects: number, signal: AbortSignal): Promise<{ res: Response; finalUrl: string }> {
  let current = url;
  for (let hop = 0; ; hop++) {
    let res: Response;
    try {
      res = await fetch(current, { headers, redirect: 'manual', signal });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = signal.aborted ? describeError(signal.reason) : (cause?.code ?? cause?.message ?? describeError(e));
      throw new GenbenchError('E_DOWNLOAD', `cannot download ${current}: ${why}`, 'check the network connection and the URL, then run again', { cause: e });
    }
    if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
      await res.body?.cancel();
      if (hop >= maxRedirects) throw new GenbenchError('E_DOWNLOAD', `too many redirects downloading ${url} (more than ${maxRedirects})`);
      current = new URL(res.headers.get('location')!, current).href;
      continue;
    }
    return { res, finalUrl: current };
  }
}

function parseContentRange(value: string | null): { start: number; total: number | undefined } | undefined {
  const m = value?.match(/^bytes (\d+)-(\d+)\/(\d+|\*)$/);
  if (!m) return undefined;
  return { start: Number(m[1]), total: m[3] === '*' ? undefined : Number(m[3]) };
}

async function downloadHttp(o: DownloadOptions): Promise<DownloadResult> {
  const part = partPath(o.dest);
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const meta = await readPartMeta(o.dest);
  let have = await fileSize(part);
  if (have > 0 && meta?.url !== o.url) {
    await rm(part, { force: true });
    have = 0;
  }

  for (let attempt = 0; attempt < 2; attempt++) {
    const timeout = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => timeout.abort(new Error(`no data for ${timeoutMs} ms`)), timeoutMs);
    };
    const signal = o.signal ? AbortSignal.any([o.signal, timeout.signal]) : timeout.signal;
    const headers: Record<string, string> = { 'accept-encoding': 'identity', 'user-agent': 'genbench' };
    if (have > 0) {
      headers.range = `bytes=${have}-`;
      const validator = meta?.etag && !meta.etag.startsWith('W/') ? meta.etag : meta?.lastModified;
      if (validator) headers['if-range'] = validator;
    }
    arm();
    try {
      const { res, finalUrl } = await request(o.url, headers, o.maxRedirects ?? 10, signal);
      if (res.status === 416 && have > 0) {
        // Our .part is as long as (or longer than) the file: complete, or stale.
        await res.body?.cancel();
        const total = Number(res.headers.get('content-range')?.match(/\/(\d+)$/)?.[1] ?? NaN);
        if (total === have) {
          const hash = createHash('sha256');
          await hashPrefix(part, hash);
          return await finish(o.dest, o.url, hash.digest('hex'), have, have, o.sha256);
        }
        await rm(part, { force: true });
        have = 0;
        continue;
      }
      if (!res.ok) {
        await res.body?.cancel();
        throw new GenbenchError(
          'E_DOWNLOAD',
          `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} for ${finalUrl}`,
          res.status === 404 ? 'the URL is wrong or the file is no longer there: check the pinned URL' : 'run again later; the server refused the request',
        );
      }
      let total: number | undefined;
      let resumedFrom = 0;
      if (res.status === 206 && have > 0) {
        const range = parseContentRange(res.headers.get('content-range'));
        if (!range || range.start !== have) {
          // A range we did not ask for: start over.
          await res.body?.cancel();
          await rm(part, { force: true });
          have = 0;
          continue;
        }
        total = range.total;
        resumedFrom = have;
      } else {
        // 200: a fresh download, or a server that ignored Range (or If-Range failed): restart cleanly.
        const length = res.headers.get('content-length');
        total = length !== null ? Number(length) : undefined;
        have = 0;
      }
      const hash = createHash('sha256');
      if (resumedFrom > 0) await hashPrefix(part, hash);
      const newMeta: PartMeta = { url: o.url, etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined };
      await mkdir(dirname(o.dest), { recursive: true });
      await writeFile(partMetaPath(o.dest), JSON.stringify(newMeta));
      const fh = await open(part, resumedFrom > 0 ? 'a' : 'w');
      let bytes = resumedFrom;
      try {
        o.onProgress?.(bytes, total);
        if (res.body) {
          for await (const chunk of res.body) {
            arm();
            await fh.write(chunk);
            hash.update(chunk);
            bytes += chunk.length;
            o.onProgress?.(bytes, total);
          }
        }
        await fh.sync();
      } catch (e) {
        const why = signal.aborted ? describeError(signal.reason) : describeError(e);
        throw new GenbenchError(
          'E_DOWNLOAD',
          `download of ${o.url} interrupted after ${bytes}${total !== undefined ? ` of ${total}` : ''} bytes: ${why}`,
          `the partial file ${part} is kept: run the same command again to resume`,
          { cause: e },
        );
      } finally {
        await fh.close();
      }
      if (total !== undefined && bytes !== total) {
        throw new GenbenchError('E_DOWNLOAD', `download of ${o.url} ended after ${bytes} of ${total} bytes`, `the partial file ${part} is kept: run the same command again to resume`);
      }
      return await finish(o.dest, o.url, hash.digest('hex'), bytes, resumedFrom, o.sha256);
    } finally {
      clearTimeout(timer);
    }
  }
  throw new GenbenchError('E_DOWNLOAD', `download of ${o.url} could not be resumed or restarted`, `delete ${part} and run again`);
}

/**
 * Download `url` to `dest`: resume from `<dest>.part`, verify `sha256` when given, rename into
 * place atomically. Errors: E_DOWNLOAD (HTTP error, network, interrupted: the .part is kept for
 * resuming), E_CHECKSUM (mismatch: the file is moved to `<dest>.bad`), E_NOT_FOUND (local source missing).
 */
export async function downloadFile(o: DownloadOptions): Promise<DownloadResult> {
  const dest = resolve(o.dest);
  await mkdir(dirname(dest), { recursive: true });
  const opts = { ...o, dest };
  if (!isUrl(o.url)) return copyLocal(opts, resolve(o.url));
  const protocol = new URL(o.url).protocol;
  if (protocol === 'file:') return copyLocal(opts, fileURLToPath(o.url));
  if (protocol === 'http:' || protocol === 'https:') return downloadHttp(opts);
  throw new GenbenchError('E_DOWNLOAD', `unsupported URL scheme ${protocol} in ${o.url}`, 'use https://, http://, file:// or a local path');
}

interface Stamp {
  sha256: string;
  size: number;
  mtimeMs: number;
}

/** Remember that `path` (as it is now: size + mtime) has this sha256. */
export async function writeStamp(path: string, sha256: string): Promise<void> {
  const st = await stat(path);
  const stamp: Stamp = { sha256, size: st.size, mtimeMs: st.mtimeMs };
  await writeFile(stampPath(path), `${JSON.stringify(stamp)}\n`);
}

/** The stamped sha256 of `path`, or undefined when there is no stamp or the file changed since (size or mtime). */
export async function readStamp(path: string): Promise<string | undefined> {
  try {
    const stamp = JSON.parse(await readFile(stampPath(path), 'utf8')) as Stamp;
    const st = await stat(path);
    return st.size === stamp.size && st.mtimeMs === stamp.mtimeMs ? stamp.sha256 : undefined;
  } catch {
    return undefined;
  }
}

export interface FileCheck {
  ok: boolean;
  sha256: string;
  /** True when the answer came from the stamp rather than hashing the file. */
  fromStamp: boolean;
}

/** Compare `path` with `expected` (hashing it unless a valid stamp says so; `rehash` forces hashing). A match is stamped. */
export async function checkFileSha256(path: string, expected: string, options: { rehash?: boolean } = {}): Promise<FileCheck> {
  const want = expected.toLowerCase();
  if (!options.rehash) {
    const stamped = await readStamp(path);
    if (stamped !== undefined) return { ok: stamped === want, sha256: stamped, fromStamp: true };
  }
  const actual = await sha256File(path);
  if (actual === want) await writeStamp(path, actual);
  else await rm(stampPath(path), { force: true });
  return { ok: actual === want, sha256: actual, fromStamp: false };
}

export interface EnsureCachedOptions {
  /** Where to get the file when it is missing or corrupt (null: no source; then it must be present). */
  url: string | null | undefined;
  sha256: string;
  dest: string;
  onProgress?: ProgressCallback;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Path of a verified copy of the file at `dest`, downloading it when missing. A present file is
 * hashed once and stamped; later calls trust the stamp while size and mtime are unchanged. A
 * present file with the wrong hash is moved to `<dest>.bad` and downloaded again (E_CHECKSUM when
 * there is no URL to download it from).
 */
export async function ensureCached(o: EnsureCachedOptions): Promise<string> {
  const dest = resolve(o.dest);
  if (existsSync(dest)) {
    const check = await checkFileSha256(dest, o.sha256);
    if (check.ok) return dest;
    await rename(dest, badPath(dest));
    if (!o.url) {
      throw new GenbenchError(
        'E_CHECKSUM',
        `sha256 mismatch for ${dest}: expected ${o.sha256.toLowerCase()}, got ${check.sha256}`,
        `the file was moved aside to ${badPath(dest)}; put the right file back (fetch or import it again)`,
      );
    }
  } else if (!o.url) {
    throw new GenbenchError('E_NOT_FOUND', `${dest} is not in the cache and has no download URL`, 'fetch or import it first');
  }
  await downloadFile({ url: o.url, dest, sha256: o.sha256, onProgress: o.onProgress, timeoutMs: o.timeoutMs, signal: o.signal });
  return dest;
}
