/**
 * One writer per output folder (issue #14 item 11): a lock held by another live process refuses,
 * naming it; a lock left by a killed process is taken over with a message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireDirLock, LOCK_FILE } from '../../src/core/dir-lock.ts';
import { isGenbenchError } from '../../src/core/errors.ts';
import { runCli } from '../helpers/cli.ts';

const DIR_LOCK = fileURLToPath(new URL('../../src/core/dir-lock.ts', import.meta.url));

/** A separate process that takes the lock of `dir` and holds it until killed. */
async function holder(dir: string): Promise<ChildProcess> {
  const code = `const { acquireDirLock } = await import(${JSON.stringify(DIR_LOCK)}); acquireDirLock(${JSON.stringify(dir)}, { command: ['holder'] }); process.stdout.write('locked\\n'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((res, rej) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('locked')) res();
    });
    child.once('exit', (c) => rej(new Error(`lock holder exited with ${c}`)));
  });
  return child;
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((res) => {
    child.once('exit', () => res());
    child.kill('SIGKILL');
  });
}

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  assert.equal(r.status, 0);
  return r.pid!;
}

test('a lock held by another live process refuses with its pid; once that process is killed (-9) its stale lock is taken over, with a message', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'gb-lock-')), 'run');
  const child = await holder(dir);
  try {
    assert.throws(
      () => acquireDirLock(dir, { what: 'run directory' }),
      (e) => isGenbenchError(e, 'E_RUN') && e.message.includes(`pid ${child.pid}`) && /in use/.test(e.message) && /another --out/.test(e.hint ?? ''),
    );
  } finally {
    await killed(child);
  }
  // kill -9 leaves the file behind; it names a process that no longer runs.
  assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, child.pid);
  const notes: string[] = [];
  const lock = acquireDirLock(dir, { what: 'run directory', log: (m) => notes.push(m) });
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, new RegExp(`taking over the lock .* pid ${child.pid} .*no longer running`));
  assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
  lock.release();
  assert.equal(existsSync(join(dir, LOCK_FILE)), false, 'released: the file is gone');
});

test('stale lock written by a process that exited (dead pid, this host): taken over; another host\'s lock is refused', () => {
  const root = mkdtempSync(join(tmpdir(), 'gb-lock-'));
  const stale = join(root, 'stale');
  mkdirSync(stale);
  const pid = deadPid();
  writeFileSync(join(stale, LOCK_FILE), JSON.stringify({ pid, host: hostname(), startedAt: '2024-01-01T00:00:00.000Z', command: ['evaluate'] }));
  const notes: string[] = [];
  const lock = acquireDirLock(stale, { log: (m) => notes.push(m) });
  assert.match(notes.join('\n'), new RegExp(`pid ${pid} `));
  lock.release();

  const remote = join(root, 'remote');
  mkdirSync(remote);
  writeFileSync(join(remote, LOCK_FILE), JSON.stringify({ pid, host: `not-${hostname()}`, startedAt: '2024-01-01T00:00:00.000Z', command: [] }));
  assert.throws(() => acquireDirLock(remote), (e) => isGenbenchError(e, 'E_RUN') && e.message.includes(`not-${hostname()}`) && (e.hint ?? '').includes(join(remote, LOCK_FILE)));
});

test('a live pid whose process started at another time (the pid was reused) is a stale lock', { skip: !existsSync('/proc/self/stat') && 'needs /proc (Linux)' }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-lock-'));
  // The pid of a live process, with a start time that is not its own.
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: hostname(), procStart: '1', startedAt: '2024-01-01T00:00:00.000Z', command: [] }));
  const notes: string[] = [];
  acquireDirLock(dir, { log: (m) => notes.push(m) }).release();
  assert.equal(notes.length, 1);
});

test('the same process may take the lock again (counted); the file goes with the last release; a folder made only for the lock is removed when asked', () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'gb-lock-')), 'new');
  const a = acquireDirLock(dir);
  const b = acquireDirLock(dir);
  a.release();
  assert.ok(existsSync(join(dir, LOCK_FILE)));
  b.release({ removeDirIfUnused: true });
  assert.equal(existsSync(dir), false);
});

test('genbench evaluate into an --out another process is writing: exit 1 naming that pid, nothing scored', async () => {
  const root = mkdtempSync(join(tmpdir(), 'gb-lock-cli-'));
  const videos = join(root, 'videos');
  mkdirSync(videos);
  const ff = (await import('../../src/media/ffmpeg.ts')).ffmpegPath();
  const made = spawnSync(ff, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=8', '-t', '1', '-pix_fmt', 'yuv420p', join(videos, 'a cat-0.mp4')]);
  assert.equal(made.status, 0, made.stderr?.toString());
  const out = join(root, 'run');
  const child = await holder(out);
  try {
    const r = runCli(['evaluate', '--videos', videos, '--dimensions', 'temporal_flickering', '--out', out, '--quiet']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`error \\[E_RUN\\]: run directory .* is in use by another genbench process: pid ${child.pid} `));
    assert.equal(existsSync(join(out, 'records')), false, 'the refused process wrote no records');
    assert.doesNotMatch(r.stderr, /internal error/);
  } finally {
    await killed(child);
  }
});

test('a lock file of another shape (command a string, fields missing) is described, not an internal error', () => {
  const root = mkdtempSync(join(tmpdir(), 'gb-lock-'));
  const pid = deadPid();
  for (const [name, extra] of [['string-command', { command: 'genbench evaluate --out x' }], ['no-command', {}], ['odd-command', { command: 42 }]] as const) {
    const dir = join(root, name);
    mkdirSync(dir);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), startedAt: '2024-01-01T00:00:00.000Z', ...extra }));
    const notes: string[] = [];
    const lock = acquireDirLock(dir, { log: (m) => notes.push(m) });
    assert.match(notes.join('\n'), new RegExp(`pid ${pid} `), name);
    lock.release();
    const remote = join(root, `${name}-remote`);
    mkdirSync(remote);
    writeFileSync(join(remote, LOCK_FILE), JSON.stringify({ pid, host: `not-${hostname()}`, startedAt: '2024-01-01T00:00:00.000Z', ...extra }));
    assert.throws(() => acquireDirLock(remote), (e) => isGenbenchError(e, 'E_RUN'), name);
  }
});
