/**
 * `models verify` and `prompts verify` say what they verified, and fail when they verified nothing
 * or when something installed is missing (moved aside after failing its check, or deleted).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFixtureModels } from '../../tools/fixtures/build-fixtures.ts';
import { runCli } from '../helpers/cli.ts';
import { upstreamFilePath, upstreamPrompts } from '../helpers/upstream-files.ts';

const root = mkdtempSync(join(tmpdir(), 'gb-verify-'));
after(() => rmSync(root, { recursive: true, force: true }));
const fixtures = join(root, 'fixtures');
buildFixtureModels(fixtures);

test('models verify: nothing installed → exit 1, "nothing to verify" with how to fetch', () => {
  const r = runCli(['models', 'verify'], { GENBENCH_HOME: join(root, 'empty') });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /nothing to verify: no model is installed[\s\S]*models fetch/);
});

test('models verify: a model moved aside after failing its sha256 check is reported MISSING, exit 1; the rest are listed ok', () => {
  const env = { GENBENCH_HOME: join(root, 'home-moved') };
  assert.equal(runCli(['models', 'fetch', 'fixture-raft', 'fixture-amt', '--from', fixtures], env).code, 0);
  const ok = runCli(['models', 'verify'], env);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /fixture-raft +ok\n[\s\S]*fixture-amt +ok\n[\s\S]*verified 2 of 2 model\(s\)/);
  // Tampered, then moved aside (as a run that finds it tampered does).
  const path = join(env.GENBENCH_HOME, 'models', 'fixture-raft', 'fixture-raft.onnx');
  const bytes = readFileSync(path);
  bytes[bytes.length - 1] ^= 1;
  writeFileSync(`${path}.bad`, bytes);
  rmSync(path);
  const r = runCli(['models', 'verify'], env);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /fixture-raft +MISSING: .*fixture-raft\.onnx is missing; a copy that failed its sha256 check was moved aside/);
  assert.match(r.stdout, /fixture-amt +ok/);
  assert.match(r.stdout, /verified 1 of 2 model\(s\); 1 missing, not cached or failed/);
});

test('prompts verify: empty cache → exit 1, "nothing to verify" with how to fetch; a copy moved aside is a failure', () => {
  const env = { GENBENCH_HOME: join(root, 'home-prompts') };
  const r = runCli(['prompts', 'verify'], env);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /nothing to verify: none of the \d+ pinned prompt files is in the cache[\s\S]*prompts fetch[\s\S]*--prompts-dir/);
  const empty = join(root, 'empty-prompts-dir');
  mkdirSync(empty);
  const d = runCli(['prompts', 'verify', '--prompts-dir', empty], env);
  assert.equal(d.code, 1);
  assert.match(d.stderr, /nothing to verify: none of the \d+ pinned prompt files is in .*empty-prompts-dir/);
  // A cached copy that failed its check and was moved aside.
  const cached = join(env.GENBENCH_HOME, 'prompts', 'vbench/prompts/all_dimension.txt');
  mkdirSync(join(cached, '..'), { recursive: true });
  writeFileSync(`${cached}.bad`, 'not the pinned file\n');
  const bad = runCli(['prompts', 'verify'], env);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /vbench\/prompts\/all_dimension\.txt +missing: the cached copy failed its sha256 check and was moved aside/);
  assert.match(bad.stdout, /verified 1 of \d+ pinned prompt file\(s\) in the cache: 0 ok, 1 FAILED/);
});

// The pinned file from GENBENCH_TEST_PROMPTS_DIR or the prompt cache (tests/helpers/upstream-files.ts).
const ALL_DIMENSION_UP = upstreamPrompts('vbench/prompts/all_dimension.txt');
const ALL_DIMENSION = upstreamFilePath('vbench/prompts/all_dimension.txt') ?? '';

test('prompts verify: one good cached file → exit 0, saying how many were checked and how many are not present', { skip: ALL_DIMENSION_UP.skip }, () => {
  const env = { GENBENCH_HOME: join(root, 'home-prompts-ok') };
  const cached = join(env.GENBENCH_HOME, 'prompts', 'vbench/prompts/all_dimension.txt');
  mkdirSync(join(cached, '..'), { recursive: true });
  copyFileSync(ALL_DIMENSION, cached);
  const r = runCli(['prompts', 'verify'], env);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /vbench\/prompts\/all_dimension\.txt +ok/);
  assert.match(r.stdout, /verified 1 of (\d+) pinned prompt file\(s\) in the cache: 1 ok; \d+ not present \(not checked\)/);
});
