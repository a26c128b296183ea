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
import { sha256File } from '../../src/core/hash.ts';
import type { Progress } from '../../src/core/progress.ts';
import { fetchRevision, findCheckpoint } from '../../src/generate/nova/checkpoints.ts';
import { checkpointCacheDir, checkpointFiles, fetchCheckpoint, localCheckpoint } from '../../src/generate/nova/fetch-checkpoint.ts';
import { runGeneration } from '../../src/generate/generation-run.ts';
import { novaGenerator } from '../../src/generate/nova/generator.ts';
import { writeNovaFixtureCheckpoint } from '../../tools/fixtures/nova-checkpoint.ts';

const root = mkdtempSync(join(tmpdir(), 'gb-nova-fetch-'));
const SRC = join(root, 'hub-files');
writeNovaFixtureCheckpoint(SRC, { task: 't2v' });
const REV = 'a'.repeat(40);
/** A later commit of the repository (same files): main moves to it during a test. */
const REV2 = 'b'.repeat(40);
const REVISIONS = [REV, REV2];
/** The commit the fake Hub's main branch points to. */
let main = REV;
const ckpt = findCheckpoint('nova-osp480');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

/** What the server hands out instead of the real bytes, per path (to simulate a corrupted transfer). */
const served = new Map<string, Buffer>();
const log: { path: string; range?: string }[] = [];

function handler(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url!, 'http://x');
  if (url.pathname === `/api/models/${ckpt.repo}/revision/main`) {
    log.push({ path: 'revision/main' });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: ckpt.repo, sha: main }));
    return;
  }
  const tree = REVISIONS.find((r) => url.pathname === `/api/models/${ckpt.repo}/tree/${r}`);
  if (tree) {
    log.push({ path: `listing ${tree}` });
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
  const rev = REVISIONS.find((r) => url.pathname.startsWith(`/${ckpt.repo}/resolve/${r}/`));
  if (!rev) return void res.writeHead(404).end();
  const prefix = `/${ckpt.repo}/resolve/${rev}/`;
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
  assert.equal(log.filter((e) => !e.path.startsWith('listing')).length, Object.keys(r.files).length);
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

test('catalogue: unknown ids list the known ones; unpinned revisions are resolved later (null); bad revisions refused', () => {
  assert.throws(() => findCheckpoint('nova-xl'), (e: unknown) => isGenbenchError(e, 'E_NOT_FOUND') && /nova-osp480, nova-sd512, nova-sdxl1024-w768/.test(e.hint ?? ''));
  assert.equal(fetchRevision(ckpt), null);
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

test('generate --model without --revision: main\'s commit is resolved at first download, printed, recorded with every file\'s hash; the folder keeps it when main moves', async () => {
  const home = join(root, 'home-gen');
  const saved = process.env.GENBENCH_HOME;
  process.env.GENBENCH_HOME = home;
  const logs: string[] = [];
  const progress: Progress = { start() {}, tick() {}, stop() {}, log: (l) => void logs.push(l) };
  const run = (out: string, extra: { revision?: string; endpoint?: string; samples?: number } = {}) => runGeneration({
    generator: novaGenerator, model: 'nova-osp480', prompt: 'a lighthouse', out, revision: extra.revision, endpoint: extra.endpoint ?? endpoint, threads: 1, progress,
    settings: { latentFrames: 1, arSteps: 2, diffusionSteps: 2, samplesPerPrompt: extra.samples ?? 1 },
  });
  try {
    main = REV;
    const out = join(root, 'gen-a');
    log.length = 0;
    const first = await run(out);
    assert.equal(first.generated, 1);
    assert.equal(first.checkpoint.revision, REV);
    assert.ok(logs.some((l) => l.includes(`main is at commit ${REV}`)), logs.join('\n'));
    assert.equal(log.filter((e) => e.path === 'revision/main').length, 1);
    assert.ok(log.some((e) => e.path === `listing ${REV}`));
    const prov = JSON.parse(readFileSync(join(out, 'genbench/generation.json'), 'utf8'));
    assert.equal(prov.identity.checkpoint.revision, REV);
    assert.equal(prov.checkpointRevision.source, 'resolved-main');
    assert.equal(prov.checkpointRevision.revision, REV);
    // Every file with its hash, as the source files have them.
    assert.deepEqual(Object.keys(prov.checkpointFiles).sort(), checkpointFiles(SRC));
    for (const f of checkpointFiles(SRC)) assert.equal(prov.checkpointFiles[f], await sha256File(join(SRC, f)), f);
    const [rec] = readFileSync(join(out, 'genbench/samples.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(rec.checkpoint.revision, REV);
    assert.deepEqual(rec.checkpoint.files, prov.checkpointFiles);

    // main moves on: the same folder keeps its recorded revision (without asking the Hub).
    main = REV2;
    log.length = 0;
    logs.length = 0;
    const more = await run(out, { samples: 2 });
    assert.equal(more.generated, 1);
    assert.equal(more.checkpoint.revision, REV);
    assert.equal(log.filter((e) => e.path === 'revision/main').length, 0);
    assert.ok(logs.some((l) => l.includes(`using revision ${REV}, recorded in`)), logs.join('\n'));
    const prov2 = JSON.parse(readFileSync(join(out, 'genbench/generation.json'), 'utf8'));
    assert.equal(prov2.identity.checkpoint.revision, REV);
    assert.equal(prov2.checkpointRevision.source, 'resolved-main', 'how it was first chosen is kept');
    // --revision pins: another commit in this folder is refused.
    await assert.rejects(run(out, { revision: REV2, samples: 2 }), (e: unknown) => isGenbenchError(e, 'E_USAGE') && /checkpoint\.revision/.test(e.message));
    // A new folder follows main.
    const fresh = await run(join(root, 'gen-b'));
    assert.equal(fresh.checkpoint.revision, REV2);
    // --revision REV in a new folder: no Hub question, recorded as requested.
    log.length = 0;
    const pinned = await run(join(root, 'gen-c'), { revision: REV });
    assert.equal(pinned.checkpoint.revision, REV);
    assert.equal(log.filter((e) => e.path === 'revision/main').length, 0);
    assert.equal(JSON.parse(readFileSync(join(root, 'gen-c', 'genbench/generation.json'), 'utf8')).checkpointRevision.source, 'requested');
    // The Hub unreachable with two revisions cached: refused, naming them and --revision.
    await assert.rejects(run(join(root, 'gen-d'), { endpoint: 'http://127.0.0.1:1' }), (e: unknown) => isGenbenchError(e, 'E_DOWNLOAD') && /cannot resolve the current revision/.test(e.message) && e.hint!.includes(REV) && e.hint!.includes(REV2) && /--revision/.test(e.hint!));
  } finally {
    if (saved === undefined) delete process.env.GENBENCH_HOME;
    else process.env.GENBENCH_HOME = saved;
  }
});
