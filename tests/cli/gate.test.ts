import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { Prng } from '../../src/report/stats/prng.ts';
import { promptEffectSamples, promptNames, writeSyntheticRun, type SyntheticSample } from '../report/helpers/synthetic-runs.ts';

/**
 * Crafted runs on the same 50 prompts (custom mode, two dimensions). Prompt difficulty is shared
 * between runs, per-sample noise is not, so the paired bootstrap sees shifts of a few tenths of a point.
 */
const prompts = promptNames(50);
const effects = new Map<string, number>();

function run(dir: string, name: string, shift: { tf: number; dd: number }, o: { noise?: number; seed?: number; promptSet?: string; modelSha?: string } = {}): string {
  const rng = new Prng(o.seed ?? 1, name);
  const dims: Record<string, SyntheticSample[]> = {
    temporal_flickering: promptEffectSamples({ prompts, perPrompt: 3, mu: 0.95 + shift.tf, promptSd: 0.02, noiseSd: o.noise ?? 0.002, rng, effects }),
    dynamic_degree: promptEffectSamples({ prompts, perPrompt: 3, mu: 0.5 + shift.dd, promptSd: 0.1, noiseSd: o.noise ?? 0.002, rng, effects: new Map() }),
  };
  return writeSyntheticRun(join(dir, name), {
    mode: 'custom',
    dimensions: dims,
    provenance: {
      ...(o.promptSet ? { promptSet: { name: o.promptSet, sha256: 'e'.repeat(64), count: 50 } } : {}),
      ...(o.modelSha ? { models: { metric: { sha256: o.modelSha } } } : {}),
    },
  });
}

const W = mkdtempSync(join(tmpdir(), 'gb-gate-'));
const base = run(W, 'base', { tf: 0, dd: 0 });

test('exit 0: the candidate moved less than allowed, or improved', () => {
  const cand = run(W, 'same', { tf: -0.001, dd: 0.01 }, { seed: 2 });
  const r = runCli(['gate', '--baseline', base, '--candidate', cand, '--resamples', '300']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^gate PASS/);
  assert.match(r.stdout, /Temporal Flickering/);
});

test('exit 1: a significant drop beyond the allowed drop fails, and the table says which and why', () => {
  const cand = run(W, 'worse', { tf: -0.01, dd: 0 }, { seed: 3 });
  const md = join(W, 'summary.md');
  const r = runCli(['gate', '--baseline', base, '--candidate', cand, '--resamples', '300', '--markdown', md]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^gate FAIL: 1 of 2 scores/);
  assert.match(r.stdout, /Temporal Flickering .* FAIL: dropped \d\.\d\d > allowed 0\.30, significant/);
  assert.match(readFileSync(md, 'utf8'), /\| \*\*Temporal Flickering\*\* \|/);
  // The same drop passes when it is allowed.
  const ok = runCli(['gate', '--baseline', base, '--candidate', cand, '--resamples', '300', '--max-drop', 'temporal_flickering=2']);
  assert.equal(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, /significant drop of \d\.\d\d within allowed 2\.00/);
});

test('a large drop that is not significant (per-prompt changes of both signs) does not fail the gate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-gate-noisy-'));
  // Six prompts; the candidate moves each prompt by +5, −7, +6, −8, +4, −6 points: mean −1 point,
  // far beyond the allowed 0.3, but the paired interval straddles 0 by a wide margin.
  const moves = [0.05, -0.07, 0.06, -0.08, 0.04, -0.06];
  const mk = (name: string, k: number) =>
    writeSyntheticRun(join(dir, name), {
      mode: 'custom',
      dimensions: { temporal_flickering: moves.flatMap((m, p) => [0, 1].map((i) => ({ prompt: `p${p}`, index: i, value: 0.9 + k * m }))) },
    });
  const r = runCli(['gate', '--baseline', mk('a', 0), '--candidate', mk('b', 1), '--resamples', '500', '--json']);
  const out = JSON.parse(r.stdout);
  const tf = out.rows.find((x: any) => x.id === 'temporal_flickering');
  assert.ok(Math.abs(tf.change - -1) < 1e-9, `change ${tf.change}`);
  assert.equal(tf.significant, false);
  assert.ok(tf.interval[0] < -3 && tf.interval[1] > 1, `interval ${tf.interval}`);
  assert.match(tf.reason, /dropped 1\.00 > allowed 0\.30 but not significant/);
  assert.equal(r.code, 0);
});

test('exit 2: runs of different prompt sets or metric model hashes are not compared', () => {
  const other = run(W, 'other-prompts', { tf: 0, dd: 0 }, { promptSet: 'vbench-other' });
  const r = runCli(['gate', '--baseline', base, '--candidate', other]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stdout, /NOT COMPARABLE/);
  assert.match(r.stdout, /prompt set: base vbench-synthetic \(sha256 aaaaaaaaaaaa…\) vs other-prompts vbench-other/);
  const model = run(W, 'other-model', { tf: 0, dd: 0 }, { modelSha: '9'.repeat(64) });
  const m = runCli(['gate', '--baseline', base, '--candidate', model]);
  assert.equal(m.code, 2);
  assert.match(m.stdout, /model metric: base sha256 bbbbbbbbbbbb… vs other-model sha256 999999999999…/);
});

test('a scores.json baseline without its run is compared unpaired, with a note', () => {
  const cand = run(W, 'worse2', { tf: -0.01, dd: 0 }, { seed: 4 });
  // A copy of the baseline scores outside any run directory.
  const lone = join(mkdtempSync(join(tmpdir(), 'gb-lone-')), 'main-scores.json');
  copyFileSync(join(base, 'scores.json'), lone);
  const r = runCli(['gate', '--baseline', lone, '--candidate', cand, '--resamples', '300']);
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stdout, /could not be checked/);
  assert.match(r.stdout, /candidate's own bootstrap interval/);
});

test('usage errors: missing arguments, unknown score in --max-drop', () => {
  const r = runCli(['gate', '--baseline', base]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /gate needs --baseline and --candidate/);
  const u = runCli(['gate', '--baseline', base, '--candidate', base, '--max-drop', 'flicker=1']);
  assert.equal(u.code, 1);
  assert.match(u.stderr, /--max-drop names unknown vbench scores: flicker/);
});

// ---- Sample sets must agree (issue #14 item 5) ------------------------------------------------
const tf = (values: number[], prefix = 'p') => values.map((value, i) => ({ prompt: `${prefix}${i}`, index: 0, value }));
const S = mkdtempSync(join(tmpdir(), 'gb-gate-samples-'));
const five = writeSyntheticRun(join(S, 'five'), { mode: 'custom', dimensions: { temporal_flickering: tf([0.9, 0.92, 0.94, 0.96, 0.98]) } });
// The candidate scored only the first two of the baseline's five videos, both a little better.
const two = writeSyntheticRun(join(S, 'two'), { mode: 'custom', dimensions: { temporal_flickering: tf([0.91, 0.95]) } });

test('exit 2: a candidate that scored 2 of the baseline\'s 5 videos is not compared, and the missing videos are named', () => {
  const r = runCli(['gate', '--baseline', five, '--candidate', two]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stdout, /^gate NOT COMPARABLE: five and two scored different samples/);
  assert.match(r.stdout, /samples of temporal_flickering differ \(2 shared\): 3 of five's 5 scored sample\(s\) not scored in two: p2-0\.mp4#2, p3-0\.mp4#3, p4-0\.mp4#4/);
  assert.match(r.stdout, /--allow-subset/);
  // The other way round the candidate has three extra videos: not comparable either.
  const back = runCli(['gate', '--baseline', two, '--candidate', five]);
  assert.equal(back.code, 2, back.stdout);
  assert.match(back.stdout, /3 of five's 5 scored sample\(s\) not in two/);
});

test('exit 2 both ways round when the runs have no prompt in common, even with --allow-subset', () => {
  const a = writeSyntheticRun(join(S, 'a'), { mode: 'custom', dimensions: { temporal_flickering: tf([0.9, 0.91, 0.92], 'a') } });
  const b = writeSyntheticRun(join(S, 'b'), { mode: 'custom', dimensions: { temporal_flickering: tf([0.7, 0.71, 0.72], 'b') } });
  for (const [x, y] of [[a, b], [b, a]] as const) {
    const r = runCli(['gate', '--baseline', x, '--candidate', y]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stdout, /\(0 shared\)/);
    const s = runCli(['gate', '--baseline', x, '--candidate', y, '--allow-subset']);
    assert.equal(s.code, 2, s.stdout);
    assert.match(s.stdout, /no sample in common for temporal_flickering/);
    // --allow-subset was given: the advice is not to pass it again.
    assert.doesNotMatch(s.stdout, /or pass --allow-subset/);
  }
});

test('--allow-subset: both scores in the table are computed on the shared samples', () => {
  const r = runCli(['gate', '--baseline', five, '--candidate', two, '--allow-subset', '--json', '--resamples', '200']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.subset, true);
  const row = out.rows.find((x: { id: string }) => x.id === 'temporal_flickering');
  // VBench's temporal_flickering score is the mean of the per-video values: on the shared p0, p1.
  assert.ok(Math.abs(row.baseline - (0.9 + 0.92) / 2) < 1e-12, `baseline ${row.baseline}`);
  assert.ok(Math.abs(row.candidate - (0.91 + 0.95) / 2) < 1e-12, `candidate ${row.candidate}`);
  assert.ok(Math.abs(row.change - ((0.91 + 0.95) / 2 - (0.9 + 0.92) / 2) * 100) < 1e-9, `change ${row.change}`);
  assert.match(out.notes.join('\n'), /compared on the 2 sample\(s\) both runs scored \(baseline 5, candidate 2\)/);
  const text = runCli(['gate', '--baseline', five, '--candidate', two, '--allow-subset', '--resamples', '200']);
  assert.match(text.stdout, /SUBSET: /);
});

test('a lone scores.json baseline with another sample count is not compared', () => {
  const lone = join(mkdtempSync(join(tmpdir(), 'gb-lone5-')), 'scores.json');
  copyFileSync(join(five, 'scores.json'), lone);
  const r = runCli(['gate', '--baseline', lone, '--candidate', two]);
  assert.equal(r.code, 2, r.stdout);
  assert.match(r.stdout, /temporal_flickering: the baseline scored 5 sample\(s\), the candidate 2/);
});

// ---- Smoke runs (issue #14 item 3) ------------------------------------------------------------
// run.json names the RAFT fixture's bytes under the real model's id; scores.json lost the mark.
const FIXTURE_RAFT_SHA = '30e88012033d297ccac9c567d21d8f235d09621461b165d1cc0eb874d2558917';
const smokeRun = (name: string) =>
  writeSyntheticRun(join(S, name), {
    mode: 'custom',
    dimensions: { temporal_flickering: tf([0.9, 0.92, 0.94, 0.96, 0.98]) },
    provenance: { models: { 'raft-things': { sha256: FIXTURE_RAFT_SHA } } },
    smoke: false,
  });

test('a smoke run is never gated against a real run; two smoke runs only with --allow-smoke, marked SMOKE', () => {
  const s1 = smokeRun('smoke1');
  const s2 = smokeRun('smoke2');
  for (const [x, y] of [[five, s1], [s1, five]] as const) {
    const r = runCli(['gate', '--baseline', x, '--candidate', y]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stdout, /smoke run: smoke1 \[SMOKE\] was scored with fixture models \(random weights\) — model raft-things is the fixture fixture-raft/);
    assert.equal(runCli(['gate', '--baseline', x, '--candidate', y, '--allow-smoke']).code, 2);
  }
  const both = runCli(['gate', '--baseline', s1, '--candidate', s2]);
  assert.equal(both.code, 2, both.stdout);
  assert.match(both.stdout, /--allow-smoke/);
  const ok = runCli(['gate', '--baseline', s1, '--candidate', s2, '--allow-smoke']);
  assert.equal(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, /^gate PASS \(SMOKE\)/);
  assert.match(ok.stdout, /SMOKE: fixture models with random weights/);
});

test('two smoke runs of different prompt sets with --allow-smoke: exit 2 with advice about the prompt set, not about --allow-smoke', () => {
  const s1 = smokeRun('smoke-ps1');
  const s2 = writeSyntheticRun(join(S, 'smoke-ps2'), {
    mode: 'custom',
    dimensions: { temporal_flickering: tf([0.9, 0.92, 0.94, 0.96, 0.98]) },
    provenance: { models: { 'raft-things': { sha256: FIXTURE_RAFT_SHA } }, promptSet: { name: 'vbench-synthetic', sha256: 'c'.repeat(64), count: 0 } },
    smoke: false,
  });
  const r = runCli(['gate', '--baseline', s1, '--candidate', s2, '--allow-smoke']);
  assert.equal(r.code, 2, r.stdout);
  assert.match(r.stdout, /prompt set: /);
  assert.doesNotMatch(r.stdout, /two smoke runs may be gated with --allow-smoke/);
  assert.match(r.stdout, /Compare runs of the same prompt set/);
});
