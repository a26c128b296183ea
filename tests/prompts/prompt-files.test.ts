import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenbenchError } from '../../src/core/errors.ts';
import { loadPromptManifests } from '../../src/prompts/manifests.ts';
import { fetchPromptFile, listPromptFiles, loadPromptFile, resolvePromptFile, verifyPromptFiles } from '../../src/prompts/prompt-files.ts';
import { PROMPTS_DIR_ENV, upstreamFilePath, upstreamPrompts } from '../helpers/upstream-files.ts';

// The pinned upstream files, found as tests/helpers/upstream-files.ts finds them (GENBENCH_TEST_PROMPTS_DIR
// or the prompt cache, sha256 checked; never downloaded here). Tests that need them skip, saying why.
const ALL = upstreamPrompts(...listPromptFiles().map((f) => f.name));
const UPSTREAM = ALL.dir ?? '/nonexistent-upstream-prompts';
const SOME = upstreamPrompts('vbench/prompts/all_dimension.txt', 'geneval/prompts/generation_prompts.txt', 'vbench/prompts/all_category.txt');
const METADATA = upstreamFilePath('geneval/prompts/evaluation_metadata.jsonl');
const METADATA_SKIP = METADATA ? false : upstreamPrompts('geneval/prompts/evaluation_metadata.jsonl').skip;
// SOURCES.md (file, repository, commit, path, sha256 of each upstream copy) lies beside the copies in
// the folder .ci/run names; a user's prompt cache has none.
const SOURCES_MD = process.env[PROMPTS_DIR_ENV] ? join(process.env[PROMPTS_DIR_ENV]!, 'SOURCES.md') : '';
const SOURCES_SKIP = ALL.skip || (existsSync(SOURCES_MD) ? false : `needs SOURCES.md beside the upstream copies in ${PROMPTS_DIR_ENV} (set to ${process.env[PROMPTS_DIR_ENV] ?? 'nothing'})`);
const MANIFESTS = fileURLToPath(new URL('../../prompts/', import.meta.url));
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

beforeEach(() => {
  process.env.GENBENCH_HOME = mkdtempSync(join(tmpdir(), 'gb-prompts-home-'));
});

async function rejected(p: Promise<unknown>, code: string): Promise<GenbenchError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof GenbenchError, String(e));
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`expected ${code}`);
}

/** Rows of SOURCES.md: file, repository, short commit, path, sha256. */
function sources(): { file: string; repo: string; commit: string; path: string; sha256: string }[] {
  return readFileSync(SOURCES_MD, 'utf8')
    .split('\n')
    .map((l) => l.match(/^\| (\S+) \| (\S+) \| ([0-9a-f]+) \| (\S+) \| ([0-9a-f]{64}) \|$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ file: m[1], repo: m[2], commit: m[3], path: m[4], sha256: m[5] }));
}

test('the manifests pin exactly the files of SOURCES.md, with raw URLs at full commits', { skip: SOURCES_SKIP }, () => {
  const rows = sources();
  assert.equal(rows.length, 26);
  const files = loadPromptManifests();
  assert.deepEqual(files.map((f) => f.name).sort(), rows.map((r) => r.file).sort());
  for (const r of rows) {
    const f = files.find((x) => x.name === r.file)!;
    assert.equal(f.repository, r.repo);
    assert.ok(f.commit.startsWith(r.commit) && f.commit.length === 40, `${r.file} commit ${f.commit}`);
    assert.equal(f.path, r.path);
    assert.equal(f.sha256, r.sha256);
    assert.equal(f.url, `https://raw.githubusercontent.com/${r.repo}/${f.commit}/${r.path}`);
    assert.equal(f.bytes, readFileSync(join(UPSTREAM, r.file)).length);
  }
  const suites = new Set(files.map((f) => f.suite));
  assert.deepEqual([...suites].sort(), ['geneval', 'vbench']);
  assert.equal(files.find((f) => f.name === 'nova/evaluations/vbench/prompts.json')!.suite, 'vbench');
  assert.equal(files.find((f) => f.name === 'nova/evaluations/geneval/prompts.json')!.suite, 'geneval');
});

test('the manifests hold no prompt text', { skip: SOME.skip }, () => {
  const manifests = readdirSync(MANIFESTS)
    .filter((n) => n.endsWith('.json'))
    .map((n) => readFileSync(join(MANIFESTS, n), 'utf8'))
    .join('\n');
  for (const name of ['vbench/prompts/all_dimension.txt', 'geneval/prompts/generation_prompts.txt', 'vbench/prompts/all_category.txt']) {
    const lines = readFileSync(join(SOME.dir!, name), 'utf8').split('\n').filter((l) => l.length >= 12);
    for (const l of lines) assert.ok(!manifests.includes(l), `manifest contains prompt text: ${l}`);
  }
});

test('every upstream file verifies offline (sha256 and entry count)', { skip: ALL.skip }, async () => {
  const results = await verifyPromptFiles({ promptsDir: UPSTREAM });
  assert.equal(results.length, 26);
  for (const r of results) assert.equal(r.status, 'ok', `${r.name}: ${r.message}`);
});

test('counts: 946 VBench prompts, 553 GenEval prompts, the same as counting the files directly', { skip: ALL.skip }, async () => {
  const dim = await loadPromptFile('vbench/prompts/all_dimension.txt', { promptsDir: UPSTREAM });
  assert.equal(dim.entries.length, 946);
  const rawLines = readFileSync(join(UPSTREAM, 'vbench/prompts/all_dimension.txt'), 'utf8').split('\n').filter((l) => l !== '');
  assert.deepEqual(dim.entries, rawLines);
  assert.equal(dim.sha256, 'f9b50654f81ab732b9235d5bb91f0c3a4d152fac19249ce3a3a9185b2d80d8c3');

  const meta = await loadPromptFile('evaluation_metadata.jsonl', { promptsDir: UPSTREAM });
  assert.equal(meta.name, 'geneval/prompts/evaluation_metadata.jsonl');
  assert.equal(meta.entries.length, 553);
  assert.ok(meta.entries.every((e) => typeof (e as { prompt?: unknown }).prompt === 'string'));

  const info = await loadPromptFile('VBench_full_info.json', { promptsDir: UPSTREAM });
  assert.equal(info.entries.length, 946);
  const gen = await loadPromptFile('generation_prompts.txt', { promptsDir: UPSTREAM });
  assert.equal(gen.entries.length, 553);
  // A per-dimension list without a final newline still counts its last line.
  const flicker = await loadPromptFile('prompts_per_dimension/temporal_flickering.txt', { promptsDir: UPSTREAM });
  assert.equal(flicker.entries.length, readFileSync(flicker.path, 'utf8').split('\n').length);
});

test('a prompt file with one changed byte is refused, naming the file, both hashes and what to do', { skip: ALL.skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-prompts-bad-'));
  cpSync(UPSTREAM, dir, { recursive: true });
  const path = join(dir, 'vbench/prompts/all_dimension.txt');
  const bytes = readFileSync(path);
  bytes[100] = bytes[100] === 0x61 ? 0x62 : 0x61;
  writeFileSync(path, bytes);
  const e = await rejected(loadPromptFile('all_dimension.txt', { promptsDir: dir }), 'E_PROMPTS');
  assert.ok(e.message.includes('vbench/prompts/all_dimension.txt'));
  assert.ok(e.message.includes('f9b50654f81ab732b9235d5bb91f0c3a4d152fac19249ce3a3a9185b2d80d8c3'), 'expected hash');
  assert.ok(e.message.includes(sha(bytes)), 'actual hash');
  assert.match(e.hint ?? '', /pinned upstream file/);
  const results = await verifyPromptFiles({ promptsDir: dir });
  assert.deepEqual(results.filter((r) => r.status !== 'ok').map((r) => [r.name, r.status, r.actual]), [['vbench/prompts/all_dimension.txt', 'mismatch', sha(bytes)]]);
});

test('offline folders may hold the files by upstream path or by basename; missing files are reported', { skip: ALL.skip }, async () => {
  const flat = mkdtempSync(join(tmpdir(), 'gb-prompts-flat-'));
  cpSync(join(UPSTREAM, 'geneval/prompts/evaluation_metadata.jsonl'), join(flat, 'evaluation_metadata.jsonl'));
  mkdirSync(join(flat, 'prompts'));
  cpSync(join(UPSTREAM, 'vbench/prompts/all_dimension.txt'), join(flat, 'prompts/all_dimension.txt'));
  assert.equal((await fetchPromptFile('evaluation_metadata.jsonl', { promptsDir: flat })).path, join(flat, 'evaluation_metadata.jsonl'));
  assert.equal((await fetchPromptFile('vbench/prompts/all_dimension.txt', { promptsDir: flat })).path, join(flat, 'prompts/all_dimension.txt'));
  const e = await rejected(fetchPromptFile('VBench_full_info.json', { promptsDir: flat }), 'E_NOT_FOUND');
  assert.match(e.hint ?? '', /raw\.githubusercontent\.com\/Vchitect\/VBench\/45e79ec14e69/);
  const results = await verifyPromptFiles({ promptsDir: flat });
  assert.equal(results.filter((r) => r.status === 'ok').length, 2);
  assert.equal(results.filter((r) => r.status === 'missing').length, 24);
});

test('names resolve by full name or unique ending; ambiguous and unknown names are refused', () => {
  assert.equal(resolvePromptFile('color.txt').name, 'vbench/prompts/prompts_per_dimension/color.txt');
  assert.equal(resolvePromptFile('metadata/color.json').name, 'vbench/prompts/metadata/color.json');
  assert.throws(() => resolvePromptFile('object_names.txt'), /ambiguous/);
  assert.throws(() => resolvePromptFile('prompts.json'), /ambiguous/);
  assert.throws(() => resolvePromptFile('nope.txt'), (e: unknown) => e instanceof GenbenchError && e.code === 'E_NOT_FOUND');
  assert.equal(listPromptFiles().length, 26);
});

describeDownloads();

/** Downloads from a pinned URL, against a server on 127.0.0.1 (a manifest written for it). */
function describeDownloads(): void {
  let server: Server;
  let base: string;
  let served = METADATA ? readFileSync(METADATA) : Buffer.alloc(0);
  let hits = 0;
  let manifests: string;
  before(async () => {
    server = createServer((req, res) => {
      hits++;
      if (req.url === '/geneval/prompts/evaluation_metadata.jsonl') res.writeHead(200, { 'content-length': served.length }).end(served);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    manifests = mkdtempSync(join(tmpdir(), 'gb-prompts-manifests-'));
    const real = JSON.parse(readFileSync(join(MANIFESTS, 'geneval.json'), 'utf8'));
    real.files = real.files.filter((f: { path: string }) => f.path === 'prompts/evaluation_metadata.jsonl').map((f: { path: string }) => ({ ...f, url: `${base}/geneval/${f.path}` }));
    writeFileSync(join(manifests, 'geneval.json'), JSON.stringify(real));
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test('without --prompts-dir a file is downloaded from its pinned URL into the cache, once', { skip: METADATA_SKIP }, async () => {
    const first = await fetchPromptFile('evaluation_metadata.jsonl', { manifestsDir: manifests });
    assert.equal(first.path, join(process.env.GENBENCH_HOME!, 'prompts', 'geneval/prompts/evaluation_metadata.jsonl'));
    assert.equal(sha(readFileSync(first.path)), '5c48e0813e812e3c373fa5c8ed07a8f0a483be30272b4427b0559c8048e67c13');
    const n = hits;
    const loaded = await loadPromptFile('evaluation_metadata.jsonl', { manifestsDir: manifests });
    assert.equal(loaded.entries.length, 553);
    assert.equal(hits, n, 'served from the cache');
    const v = await verifyPromptFiles({ manifestsDir: manifests });
    assert.deepEqual(v.map((r) => r.status), ['ok']);
  });

  test('a download whose bytes differ from the pin is refused as E_PROMPTS', { skip: METADATA_SKIP }, async () => {
    served = Buffer.concat([served, Buffer.from('{"tag":"x"}\n')]);
    const e = await rejected(fetchPromptFile('evaluation_metadata.jsonl', { manifestsDir: manifests }), 'E_PROMPTS');
    assert.ok(e.message.includes('5c48e0813e812e3c373fa5c8ed07a8f0a483be30272b4427b0559c8048e67c13'));
    assert.ok(e.message.includes(sha(served)));
    assert.match(e.hint ?? '', /--prompts-dir/);
  });

  test('a manifest whose raw URL does not match its commit is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-prompts-badmanifest-'));
    const real = JSON.parse(readFileSync(join(MANIFESTS, 'vbench.json'), 'utf8'));
    real.files[0].url = real.files[0].url.replace(real.commit, 'main');
    writeFileSync(join(dir, basename('vbench.json')), JSON.stringify(real));
    assert.throws(() => loadPromptManifests(dir), /a raw GitHub URL must be/);
  });
}
