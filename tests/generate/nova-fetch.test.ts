/**
 * Checkpoint download (src/generate/nova/fetch-checkpoint.ts) against a local stand-in for the
 * Hugging Face Hub serving the tiny fixture checkpoint: the tree listing (LFS sha256 for weights,
 * git blob sha1 for small files), `resolve/<revision>/<path>` with HTTP Range. Checks: every file
 * arrives and is verified, a complete cache is reused without the network, a truncated download
 * is resumed (Range request), wrong bytes are refused and named, and the catalogue errors.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { AddressInfo } from 'node:net';
import { isGenbenchError } from '../../src/core/errors.ts';
import { fetchRevision, findCheckpoint } from '../../src/generate/nova/checkpoints.ts';
import { checkpointCacheDir, fetchCheckpoint, localCheckpoint } from '../../src/generate/nova/fetch-checkpoint.ts';
import { writeNovaFixtureCheckpoint } from '../../tools/fixtures/nova-checkpoint.ts';

const root = mkdtempSync(join(tmpdir(), 'gb-nova-fetch-'));
const SRC = join(root, 'hub-files');
writeNovaFixtureCheckpoint(SRC, { task: 't2v' });
const REV = 'a'.repeat(40);
const ckpt = findCheckpoint('nova-osp480');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

/** What the server hands out instead of the real bytes, per path (to simulate a corrupted transfer). */
const served = new Map<string, Buffer>();
const log: { path: string; range?: string }[] = [];

function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url!, 'http://x');
  if (url.pathname === `/api/models/${ckpt.repo}/tree/${REV}`) {
    log.push({ path: 'listing' });
    const listing = walk(SRC).map((abs) => {
      const path = relative(SRC, abs);
      const bytes = readFileSync(abs);
      const sha1 = createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
      const lfs = path.endsWith('.safetensors') ? { oid: createHash('sha256').update(bytes).digest('hex'), size: bytes.length } : undefined;
      return { type: 'file', path, size: bytes.length, oid: sha1, ...(lfs ? { lfs } : {}) };
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listing));
    return;
  }
  const prefix = `/${ckpt.repo}/resolve/${REV}/`;
  if (!url.pathname.startsWith(prefix)) return void res.writeHead(404).end();
  const path = decodeURIComponent(url.pathname.slice(prefix.length));
  const abs = join(SRC, path);
  if (!existsSync(abs)) return void res.writeHead(404).end();
  const bytes = served.get(path) ?? readFileSync(abs);
  const range = req.headers.range;
  log.push({ path, range });
  const m = range && /^bytes=(\d+)-$/.exec(range);
  if (m) {
    const start = Number(m[1]);
    res.writeHead(206, { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}`, 'content-length': bytes.length - start }).end(bytes.subarray(start));
  } else {
    res.writeHead(200, { 'content-length': bytes.length }).end(bytes);
  }
}

const server = createServer(handler);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(() => {
  server.close();
  rmSync(root, { recursive: true, force: true });
});

test('fetch by id: every file downloaded and verified into the cache; a complete cache is reused offline', async () => {
  const cacheDir = join(root, 'cache-1');
  log.length = 0;
  const r = await fetchCheckpoint(ckpt, REV, { endpoint, cacheDir });
  assert.equal(r.dir, checkpointCacheDir(ckpt, REV, cacheDir));
  assert.equal(r.source, 'hub');
  assert.equal(r.checkpoint.id, 'nova-osp480');
  assert.equal(r.checkpoint.task, 't2v');
  const local = await localCheckpoint(SRC);
  assert.deepEqual(r.files, local.files, 'same files, same sha256 as the source');
  assert.ok(r.files['text_encoder/model.safetensors'], 'the text_encoder/*.safetensors pattern was resolved from the listing');
  for (const [p, h] of Object.entries(r.files)) assert.equal(createHash('sha256').update(readFileSync(join(r.dir, p))).digest('hex'), h, p);
  assert.equal(log.filter((e) => e.path !== 'listing').length, Object.keys(r.files).length);
  log.length = 0;
  const again = await fetchCheckpoint(ckpt, REV, { endpoint: 'http://127.0.0.1:1', cacheDir });
  assert.deepEqual(again.files, r.files);
  assert.equal(log.length, 0, 'no request at all');
});

test('a truncated download is resumed with a Range request', async () => {
  const cacheDir = join(root, 'cache-2');
  const file = 'vae/diffusion_pytorch_model.safetensors';
  const dest = join(checkpointCacheDir(ckpt, REV, cacheDir), file);
  const full = readFileSync(join(SRC, file));
  mkdirSync(join(dest, '..'), { recursive: true });
  writeFileSync(`${dest}.part`, full.subarray(0, 1000));
  writeFileSync(`${dest}.part.json`, JSON.stringify({ url: `${endpoint}/${ckpt.repo}/resolve/${REV}/${file}` }));
  log.length = 0;
  const states: Record<string, string> = {};
  const r = await fetchCheckpoint(ckpt, REV, { endpoint, cacheDir, onFile: (p, s) => { states[p] = s; } });
  assert.equal(states[file], 'resume');
  assert.deepEqual(log.find((e) => e.path === file), { path: file, range: 'bytes=1000-' });
  assert.deepEqual(readFileSync(dest), full);
  assert.equal(r.files[file], createHash('sha256').update(full).digest('hex'));
});

test('bytes that differ from the listing are refused, named, and moved aside', async () => {
  const weights = 'transformer/diffusion_pytorch_model.safetensors';
  const bad = Buffer.from(readFileSync(join(SRC, weights)));
  bad[bad.length - 1] ^= 0xff;
  served.set(weights, bad);
  const cacheDir = join(root, 'cache-3');
  try {
    await assert.rejects(fetchCheckpoint(ckpt, REV, { endpoint, cacheDir }), (e: unknown) => isGenbenchError(e, 'E_CHECKSUM') && e.message.includes(weights) && /moved aside/.test(e.hint ?? ''));
    assert.ok(existsSync(join(checkpointCacheDir(ckpt, REV, cacheDir), `${weights}.bad`)));
    assert.equal(existsSync(join(checkpointCacheDir(ckpt, REV, cacheDir), weights)), false);
  } finally {
    served.delete(weights);
  }
  const small = 'scheduler/scheduler_config.json';
  served.set(small, Buffer.from('{}'));
  try {
    await assert.rejects(fetchCheckpoint(ckpt, REV, { endpoint, cacheDir: join(root, 'cache-4') }), (e: unknown) => isGenbenchError(e, 'E_CHECKSUM') && e.message.includes(small) && /git blob id/.test(e.message));
  } finally {
    served.delete(small);
  }
});

test('catalogue: unknown ids list the known ones; unpinned revisions say how to pass one; bad revisions refused', () => {
  assert.throws(() => findCheckpoint('nova-xl'), (e: unknown) => isGenbenchError(e, 'E_NOT_FOUND') && /nova-osp480, nova-sd512, nova-sdxl1024-w768/.test(e.hint ?? ''));
  assert.throws(() => fetchRevision(ckpt), (e: unknown) => isGenbenchError(e, 'E_DOWNLOAD') && /explicit revision/.test(e.hint ?? ''));
  assert.throws(() => fetchRevision(ckpt, 'main'), (e: unknown) => isGenbenchError(e, 'E_USAGE') && /40-hex/.test(e.message));
  assert.equal(fetchRevision(ckpt, REV), REV);
});

test('an unsupported config field is refused after the small files, before any weights are downloaded', async () => {
  const cfgPath = 'transformer/config.json';
  const cfg = JSON.parse(readFileSync(join(SRC, cfgPath), 'utf8'));
  const bad = Buffer.from(JSON.stringify({ ...cfg, rotary_pos_embed: true }));
  served.set(cfgPath, bad);
  // The listing hashes the real file: serve the changed one under its own listing entry.
  const real = readFileSync(join(SRC, cfgPath));
  writeFileSync(join(SRC, cfgPath), bad);
  log.length = 0;
  try {
    await assert.rejects(fetchCheckpoint(ckpt, REV, { endpoint, cacheDir: join(root, 'cache-5') }), (e: unknown) => isGenbenchError(e, 'E_INPUT') && /rotary_pos_embed/.test(e.message));
    assert.equal(log.filter((e) => e.path.endsWith('.safetensors')).length, 0, 'no weights requested');
  } finally {
    served.delete(cfgPath);
    writeFileSync(join(SRC, cfgPath), real);
  }
});
