import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { writeSyntheticRun } from '../report/helpers/synthetic-runs.ts';

const W = mkdtempSync(join(tmpdir(), 'gb-report-cli-'));
const sample = (vals: number[]) => vals.map((value, i) => ({ prompt: `p${i >> 1}`, index: i & 1, value }));
const one = writeSyntheticRun(join(W, 'one'), { mode: 'custom', dimensions: { temporal_flickering: sample([0.9, 0.92, 0.94, 0.96]) } });
const two = writeSyntheticRun(join(W, 'two'), { mode: 'custom', dimensions: { temporal_flickering: sample([0.91, 0.93, 0.95, 0.97]) } });

test('report RUN writes tables, charts and HTML into RUN/report/', () => {
  const r = runCli(['report', one, '--resamples', '100']);
  assert.equal(r.code, 0, r.stderr);
  const files = r.stdout.trim().split('\n');
  for (const f of ['scores.md', 'scores.tex', 'scores.csv', 'report.html']) assert.ok(files.includes(join(one, 'report', f)), f);
  assert.deepEqual(readdirSync(join(one, 'report', 'charts')).sort(), ['distribution-temporal_flickering.png', 'vbench-dimensions.png']);
  // 0.93 as printed by the papers: mean of 0.90, 0.92, 0.94, 0.96.
  assert.match(readFileSync(join(one, 'report', 'scores.md'), 'utf8'), /\| one \| n\/a \| n\/a \| n\/a \| 93\.00 \|/);
});

test('several runs and a baseline: --out is required, the comparison lists both and the differences', () => {
  const e = runCli(['report', one, two]);
  assert.equal(e.code, 1);
  assert.match(e.stderr, /needs --out/);
  const out = join(W, 'cmp');
  const r = runCli(['report', one, two, '--baseline', 'nova', '--out', out, '--format', 'md,csv', '--resamples', '100', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.files, [join(out, 'scores.md'), join(out, 'scores.csv')]);
  assert.ok(!existsSync(join(out, 'report.html')));
  const md = readFileSync(join(out, 'scores.md'), 'utf8');
  assert.match(md, /\| two \| n\/a \| n\/a \| n\/a \| \*\*94\.00\*\* \|/);
  assert.match(md, /NOVA-0\.6B T2V/);
  assert.match(md, /## two − one/);
  assert.match(md, /\| Temporal Flickering \| \+1\.00 \|/);
});

test('bad input says what to do', () => {
  const u = runCli(['report', one, '--baseline', 'nope', '--out', join(W, 'x')]);
  assert.equal(u.code, 1);
  assert.match(u.stderr, /unknown baseline "nope"/);
  assert.match(u.stderr, /available: .*geneval-paper.*nova/);
  const f = runCli(['report', one, '--format', 'pdf']);
  assert.notEqual(f.code, 0);
  assert.match(f.stderr, /unknown format "pdf"/);
  const m = runCli(['report', join(W, 'missing')]);
  assert.equal(m.code, 1);
  assert.match(m.stderr, /not a run directory/);
});
