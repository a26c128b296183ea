import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.ts';

const COMMANDS = ['bench', 'generate', 'evaluate', 'report', 'gate', 'merge', 'prompts', 'models'];

test('the top-level help lists every command and the exit codes', () => {
  const r = runCli(['--help']);
  assert.equal(r.code, 0);
  for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`\\n  ${c}\\b`));
  assert.match(r.stdout, /Exit codes/);
});

test('every command has --help with examples', () => {
  for (const c of COMMANDS) {
    const r = runCli([c, '--help']);
    assert.equal(r.code, 0, `${c} --help exit code`);
    assert.match(r.stdout, /Examples:\n {2}\$ genbench|Examples:\n {2}\$ npm run bench/, `${c} examples`);
  }
});

test('planned commands say "not implemented yet" and exit 4, never fake output', () => {
  const g = runCli(['bench', '--model', 'cmd:./my-generator']);
  assert.equal(g.code, 4);
  assert.match(g.stderr, /not implemented yet/);
  assert.equal(g.stdout, '');
});

test('usage errors name the problem', () => {
  const r = runCli(['evaluate', '--device', 'tpu']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /expected cpu, webgpu or cuda/);
  const s = runCli(['evaluate', '--videos', '.', '--shard', '5/4']);
  assert.notEqual(s.code, 0);
  assert.match(s.stderr, /1 ≤ I ≤ N/);
});

test('every sub-command of models and prompts has --help with examples of itself', () => {
  for (const [group, subs] of [['models', ['list', 'fetch', 'import', 'verify']], ['prompts', ['list', 'fetch', 'verify']]] as const) {
    for (const s of subs) {
      const r = runCli([group, s, '--help']);
      assert.equal(r.code, 0, `${group} ${s} --help exit code`);
      assert.match(r.stdout, new RegExp(`Examples:\\n {2}\\$ genbench ${group} ${s}\\b`), `${group} ${s} examples`);
    }
  }
});

test('--fixture-models help does not ask for a models fetch first (fixtures are built on first use)', () => {
  for (const c of ['evaluate', 'bench']) {
    const r = runCli([c, '--help']);
    assert.doesNotMatch(r.stdout.replace(/\s+/g, ' '), /needs `genbench models fetch fixture/, c);
  }
});

test('prompts list has a header row and aligned columns, like models list', () => {
  const r = runCli(['prompts', 'list']);
  assert.equal(r.code, 0);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^FILE\s+ENTRIES\s+CACHED\s+SOURCE$/);
  const col = lines[0]!.indexOf('SOURCE');
  for (const l of lines.slice(1)) assert.match(l.slice(col), /^\S+@[0-9a-f]{7}$/, l);
});
