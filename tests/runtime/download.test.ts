import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { checkFileSha256, downloadFile, ensureCached } from '../../src/core/download.ts';
import { GenbenchError } from '../../src/core/errors.ts';

// 1 MiB of deterministic, non-repeating bytes.
const BODY = Buffer.alloc(1 << 20);
for (let i = 0, x = 12345; i < BODY.length; i++) {
  x = (Math.imul(x, 1103515245) + 12345) >>> 0;
  BODY[i] = x >>> 24;
}
const BODY_SHA = createHash('sha256').update(BODY).digest('hex');
const HALF = BODY.length / 2;

interface Seen {
  path: string;
  range?: string;
  ifRange?: string;
  acceptEncoding?: string;
}
const seen: Seen[] = [];
const hits = new Map<string, number>();
let server: Server;
let base: string;

function sendRange(req: IncomingMessage, res: ServerResponse, honourRange: boolean): void {
  const m = honourRange ? req.headers.range?.match(/^bytes=(\d+)-$/) : null;
  const headers = { etag: '"v1"', 'accept-ranges': honourRange ? 'bytes' : 'none', 'content-type': 'application/octet-stream' };
  if (m) {
    const start = Number(m[1]);
    if (start >= BODY.length) {
      res.writeHead(416, { ...headers, 'content-range': `bytes */${BODY.length}` }).end();
      return;
    }
    res.writeHead(206, { ...headers, 'content-length': BODY.length - start, 'content-range': `bytes ${start}-${BODY.length - 1}/${BODY.length}` });
    res.end(BODY.subarray(start));
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': BODY.length });
  res.end(BODY);
}

/** Send headers for the whole file, half the body, then drop the connection. */
function sendHalfThenDrop(res: ServerResponse): void {
  res.writeHead(200, { etag: '"v1"', 'content-length': BODY.length, 'content-type': 'application/octet-stream' });
  res.write(BODY.subarray(0, HALF), () => setTimeout(() => res.socket?.destroy(), 50));
}

before(async () => {
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    seen.push({ path, range: req.headers.range, ifRange: req.headers['if-range'] as string | undefined, acceptEncoding: req.headers['accept-encoding'] });
    const n = (hits.get(path) ?? 0) + 1;
    hits.set(path, n);
    if (path === '/file' || path.startsWith('/file-')) return sendRange(req, res, true);
    if (path.startsWith('/flaky')) return n === 1 ? sendHalfThenDrop(res) : sendRange(req, res, true);
    if (path.startsWith('/norange-flaky')) return n === 1 ? sendHalfThenDrop(res) : sendRange(req, res, false);
    if (path === '/redirect') return void res.writeHead(302, { location: '/redirect-2' }).end();
    if (path === '/redirect-2') return void res.writeHead(301, { location: `${base}/file` }).end();
    if (path === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    if (path === '/stall') {
      res.writeHead(200, { 'content-length': BODY.length });
      res.write(BODY.subarray(0, 1000));
      return; // never ends
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

const tmp = () => mkdtempSync(join(tmpdir(), 'gb-dl-'));

async function rejectsWith(p: Promise<unknown>, code: string): Promise<GenbenchError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof GenbenchError, `expected GenbenchError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}, but it resolved`);
}

test('a dropped connection leaves a .part; the next run resumes it with Range and the result verifies', async () => {
  const dest = join(tmp(), 'sub', 'model.bin');
  const err = await rejectsWith(downloadFile({ url: `${base}/flaky`, dest, sha256: BODY_SHA }), 'E_DOWNLOAD');
  assert.match(err.hint ?? '', /resume/);
  assert.equal(existsSync(dest), false, 'nothing at dest after a failed download');
  const partSize = statSync(`${dest}.part`).size;
  assert.ok(partSize > 0 && partSize <= HALF, `partial file kept (${partSize} bytes)`);

  const progress: number[] = [];
  const r = await downloadFile({ url: `${base}/flaky`, dest, sha256: BODY_SHA, onProgress: (b) => progress.push(b) });
  const second = seen.filter((s) => s.path === '/flaky')[1];
  assert.equal(second.range, `bytes=${partSize}-`, 'second request asks for the rest');
  assert.equal(second.ifRange, '"v1"', 'and guards it with the ETag');
  assert.match(second.acceptEncoding ?? '', /^identity(, identity)*$/, 'raw bytes: no compression negotiated');
  assert.equal(r.resumedFrom, partSize);
  assert.equal(r.sha256, BODY_SHA);
  assert.equal(r.bytes, BODY.length);
  assert.ok(readFileSync(dest).equals(BODY));
  assert.equal(existsSync(`${dest}.part`), false);
  assert.equal(existsSync(`${dest}.part.json`), false);
  assert.equal(progress[0], partSize, 'progress starts at the resumed size');
  assert.equal(progress[progress.length - 1], BODY.length);
  assert.ok(progress.every((b, i) => i === 0 || b >= progress[i - 1]), 'progress is monotonic');
  assert.equal(existsSync(`${dest}.sha256`), true, 'a verified download is stamped');
});

test('a server that ignores Range gets a clean restart, not an appended duplicate', async () => {
  const dest = join(tmp(), 'model.bin');
  await rejectsWith(downloadFile({ url: `${base}/norange-flaky`, dest, sha256: BODY_SHA }), 'E_DOWNLOAD');
  const partSize = statSync(`${dest}.part`).size;
  assert.ok(partSize > 0);
  const r = await downloadFile({ url: `${base}/norange-flaky`, dest, sha256: BODY_SHA });
  const second = seen.filter((s) => s.path === '/norange-flaky')[1];
  assert.equal(second.range, `bytes=${partSize}-`, 'a resume was attempted');
  assert.equal(r.resumedFrom, 0);
  assert.equal(statSync(dest).size, BODY.length);
  assert.equal(r.sha256, BODY_SHA);
});

test('a .part left by a download of another URL is not resumed', async () => {
  const dest = join(tmp(), 'model.bin');
  writeFileSync(`${dest}.part`, Buffer.alloc(1000, 7));
  writeFileSync(`${dest}.part.json`, JSON.stringify({ url: `${base}/something-else` }));
  const r = await downloadFile({ url: `${base}/file-a`, dest, sha256: BODY_SHA });
  assert.equal(r.resumedFrom, 0);
  assert.equal(seen.find((s) => s.path === '/file-a')?.range, undefined);
  assert.equal(r.sha256, BODY_SHA);
});

test('a .part that is already complete is finished after a 416', async () => {
  const dest = join(tmp(), 'model.bin');
  writeFileSync(`${dest}.part`, BODY);
  writeFileSync(`${dest}.part.json`, JSON.stringify({ url: `${base}/file-b` }));
  const r = await downloadFile({ url: `${base}/file-b`, dest, sha256: BODY_SHA });
  assert.equal(seen.find((s) => s.path === '/file-b')?.range, `bytes=${BODY.length}-`);
  assert.equal(r.sha256, BODY_SHA);
  assert.ok(readFileSync(dest).equals(BODY));
});

test('a checksum mismatch is refused: nothing at dest, the file kept aside, both hashes named', async () => {
  const dest = join(tmp(), 'model.bin');
  const wrong = 'ab'.repeat(32);
  const err = await rejectsWith(downloadFile({ url: `${base}/file`, dest, sha256: wrong }), 'E_CHECKSUM');
  assert.ok(err.message.includes(wrong), 'names the expected hash');
  assert.ok(err.message.includes(BODY_SHA), 'names the actual hash');
  assert.match(err.hint ?? '', /\.bad/);
  assert.equal(existsSync(dest), false);
  assert.equal(existsSync(`${dest}.part`), false);
  assert.ok(readFileSync(`${dest}.bad`).equals(BODY));
});

test('HTTP 404 is a clear E_DOWNLOAD naming the status and the URL', async () => {
  const dest = join(tmp(), 'model.bin');
  const err = await rejectsWith(downloadFile({ url: `${base}/missing.onnx`, dest }), 'E_DOWNLOAD');
  assert.match(err.message, /HTTP 404/);
  assert.ok(err.message.includes(`${base}/missing.onnx`));
  assert.equal(existsSync(dest), false);
});

test('redirects are followed (relative and absolute), and redirect loops are bounded', async () => {
  const dest = join(tmp(), 'model.bin');
  const r = await downloadFile({ url: `${base}/redirect`, dest, sha256: BODY_SHA });
  assert.equal(r.sha256, BODY_SHA);
  const err = await rejectsWith(downloadFile({ url: `${base}/loop`, dest: join(tmp(), 'x'), maxRedirects: 3 }), 'E_DOWNLOAD');
  assert.match(err.message, /too many redirects/);
});

test('a stalled server times out with E_DOWNLOAD and keeps the partial data', async () => {
  const dest = join(tmp(), 'model.bin');
  const t0 = Date.now();
  const err = await rejectsWith(downloadFile({ url: `${base}/stall`, dest, timeoutMs: 300 }), 'E_DOWNLOAD');
  assert.ok(Date.now() - t0 < 5000);
  assert.match(err.message, /no data for 300 ms/);
  assert.equal(statSync(`${dest}.part`).size, 1000);
});

test('a refused connection is E_DOWNLOAD', async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const err = await rejectsWith(downloadFile({ url: `http://127.0.0.1:${port}/x`, dest: join(tmp(), 'x') }), 'E_DOWNLOAD');
  assert.match(err.message, /ECONNREFUSED/);
});

test('file:// URLs and plain paths are sources too, verified the same way', async () => {
  const dir = tmp();
  const src = join(dir, 'source.bin');
  writeFileSync(src, BODY);
  const a = await downloadFile({ url: pathToFileURL(src).href, dest: join(dir, 'a.bin'), sha256: BODY_SHA });
  const b = await downloadFile({ url: src, dest: join(dir, 'b.bin'), sha256: BODY_SHA });
  assert.equal(a.sha256, BODY_SHA);
  assert.equal(b.sha256, BODY_SHA);
  await rejectsWith(downloadFile({ url: src, dest: join(dir, 'c.bin'), sha256: '00'.repeat(32) }), 'E_CHECKSUM');
  await rejectsWith(downloadFile({ url: join(dir, 'nope.bin'), dest: join(dir, 'd.bin') }), 'E_NOT_FOUND');
});

test('ensureCached downloads once, then trusts its stamp; a changed file is re-verified and replaced', async () => {
  const dest = join(tmp(), 'm', 'model.bin');
  const url = `${base}/file-cached`;
  assert.equal(await ensureCached({ url, sha256: BODY_SHA, dest }), dest);
  assert.equal(hits.get('/file-cached'), 1);
  assert.equal(await ensureCached({ url, sha256: BODY_SHA, dest }), dest);
  assert.equal(hits.get('/file-cached'), 1, 'no second download');

  // Same size and mtime: the stamp is trusted (no rehash) ...
  const when = 1_700_000_000; // whole seconds, so the mtime can be restored exactly
  utimesSync(dest, when, when);
  assert.equal((await checkFileSha256(dest, BODY_SHA, { rehash: true })).ok, true, 're-stamped with the new mtime');
  const tampered = Buffer.from(BODY);
  tampered[10] ^= 0xff;
  writeFileSync(dest, tampered);
  utimesSync(dest, when, when);
  assert.equal((await checkFileSha256(dest, BODY_SHA)).fromStamp, true);
  // ... but an explicit rehash finds the change.
  const check = await checkFileSha256(dest, BODY_SHA, { rehash: true });
  assert.equal(check.ok, false);
  assert.notEqual(check.sha256, BODY_SHA);

  // A file whose mtime changed is rehashed; the corrupt copy goes aside and a fresh one is downloaded.
  writeFileSync(dest, tampered);
  utimesSync(dest, when, when + 5);
  assert.equal(await ensureCached({ url, sha256: BODY_SHA, dest }), dest);
  assert.equal(hits.get('/file-cached'), 2);
  assert.ok(readFileSync(dest).equals(BODY));
  assert.ok(readFileSync(`${dest}.bad`).equals(tampered));
});

test('ensureCached without a URL refuses a missing or corrupt file', async () => {
  const dest = join(tmp(), 'model.bin');
  await rejectsWith(ensureCached({ url: null, sha256: BODY_SHA, dest }), 'E_NOT_FOUND');
  writeFileSync(dest, 'not it');
  const err = await rejectsWith(ensureCached({ url: null, sha256: BODY_SHA, dest }), 'E_CHECKSUM');
  assert.ok(err.message.includes(BODY_SHA));
  assert.ok(err.message.includes(createHash('sha256').update('not it').digest('hex')));
});
