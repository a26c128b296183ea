import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGenbenchError } from '../../src/core/errors.ts';
import { hostInfo, type Provenance } from '../../src/core/provenance.ts';
import { RunDir } from '../../src/core/run-dir.ts';
import { toolInfo } from '../../src/core/tool-info.ts';

function prov(over: Partial<Provenance> = {}): Provenance {
  return {
    schema: 1, tool: toolInfo(), suite: 'vbench', mode: 'custom', promptSet: null, samples: { count: 1, sha256: 'a' },
    generator: null, models: { m: { sha256: 'h1' } }, dimensions: { temporal_flickering: { v: 1 } },
    aggregation: 'single-process', executionProvider: 'cpu', shard: null, host: hostInfo(), versions: {},
    command: [], startedAt: 'now', finishedAt: null, ...over,
  };
}

test('resuming a run with other settings, models or suite is refused with what differs', () => {
  const root = join(mkdtempSync(join(tmpdir(), 'gb-run-')), 'run');
  new RunDir(root).open(prov());
  const cases: [Partial<Provenance>, RegExp][] = [
    [{ dimensions: { temporal_flickering: { v: 2 } } }, /dimension temporal_flickering settings/],
    [{ models: { m: { sha256: 'h2' } } }, /model m: sha256 h1 vs h2/],
    [{ suite: 'geneval' }, /suite/],
  ];
  for (const [over, re] of cases) {
    assert.throws(() => new RunDir(root).open(prov(over)), (e) => isGenbenchError(e, 'E_RUN') && re.test(e.message) && /--out/.test(e.hint ?? ''));
  }
});

test('resuming may add dimensions and change the sample set; both are recorded', () => {
  const root = join(mkdtempSync(join(tmpdir(), 'gb-run-')), 'run');
  const d = new RunDir(root);
  d.open(prov());
  const p = d.open(prov({ dimensions: { dynamic_degree: { x: 1 } }, samples: { count: 2, sha256: 'b' } }));
  assert.deepEqual(Object.keys(p.dimensions).sort(), ['dynamic_degree', 'temporal_flickering']);
  assert.deepEqual(d.readProvenance().samples, { count: 2, sha256: 'b' });
});

test('open() takes the run directory\'s lock (refused while another live process holds it); finish() releases it', () => {
  const root = join(mkdtempSync(join(tmpdir(), 'gb-run-')), 'run');
  const d = new RunDir(root);
  const p = d.open(prov());
  const lockPath = join(root, '.lock');
  assert.equal(JSON.parse(readFileSync(lockPath, 'utf8')).pid, process.pid);
  d.finish(p);
  assert.equal(existsSync(lockPath), false);
  // Another live process (our parent, with no start time recorded) holds it: refused, naming it.
  writeFileSync(lockPath, JSON.stringify({ pid: process.ppid, host: hostname(), startedAt: '2024-01-01T00:00:00.000Z', command: ['evaluate'] }));
  assert.throws(() => new RunDir(root).open(prov()), (e) => isGenbenchError(e, 'E_RUN') && e.message.includes(`pid ${process.ppid}`));
});

test('--out that is a file, or under a file: a named error, not EEXIST/ENOTDIR', () => {
  const base = mkdtempSync(join(tmpdir(), 'gb-run-'));
  const file = join(base, 'file');
  writeFileSync(file, 'x');
  assert.throws(() => new RunDir(file).open(prov()), (e) => isGenbenchError(e, 'E_USAGE') && /is a file, not a folder/.test(e.message));
  assert.throws(() => new RunDir(join(file, 'run')).open(prov()), (e) => isGenbenchError(e, 'E_USAGE') && e.message.includes(`${file} is a file`));
});
