/**
 * The process launcher (src/media/process-launcher.ts + spawn-helper.mjs): children started by the
 * helper process give the same stdout bytes, stderr text, exit status and kill behaviour as
 * child_process.spawn (the fallback, run through the same cases), do not keep this process alive,
 * and do not outlive it.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { launchDirect, launchProcess, runProcess, type LaunchedProcess } from '../../src/media/process-launcher.ts';

const NODE = process.execPath;
const ROOT = new URL('../..', import.meta.url).pathname;

async function collect(p: LaunchedProcess): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of p.stdout as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** A script that writes `n` bytes: byte i = (i·7 + 3) mod 256. */
const WRITER = `const n = Number(process.argv[1]); const b = Buffer.alloc(n); for (let i = 0; i < n; i++) b[i] = (i * 7 + 3) % 256; process.stdout.write(b);`;

function expectedBytes(n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + 3) % 256;
  return b;
}

for (const [name, launch] of [
  ['helper', launchProcess],
  ['child_process.spawn (fallback)', launchDirect],
] as const) {
  describe(`launching through ${name}`, () => {
    test('stdout arrives byte for byte (12 MB, as a decoder reads frames)', async () => {
      const n = 12 * 1024 * 1024 + 17;
      const p = await launch(NODE, ['-e', WRITER, String(n)]);
      const out = await collect(p);
      assert.equal(out.length, n);
      assert.equal(createHash('sha256').update(out).digest('hex'), createHash('sha256').update(expectedBytes(n)).digest('hex'));
      assert.deepEqual(await p.exited, { code: 0, signal: null });
    });

    test('short-lived children lose nothing (40 at once, exiting right after writing)', async () => {
      const runs = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const p = await launch('/bin/echo', [`line ${i}`]);
          return { out: (await collect(p)).toString(), exit: await p.exited };
        }),
      );
      runs.forEach((r, i) => {
        assert.equal(r.out, `line ${i}\n`);
        assert.equal(r.exit.code, 0);
      });
    });

    test('stderr text and a non-zero exit code', async () => {
      let err = '';
      const p = await launch(NODE, ['-e', 'process.stderr.write("bad input: frame 3\\n"); process.stdout.write("x"); process.exit(3)'], { onStderr: (d) => (err += d) });
      assert.equal((await collect(p)).toString(), 'x');
      assert.deepEqual(await p.exited, { code: 3, signal: null });
      assert.equal(err, 'bad input: frame 3\n');
    });

    test('a missing program: an error in the exit status and an empty stdout', async () => {
      const p = await launch('/nonexistent/ffmpeg', ['-version']);
      assert.equal((await collect(p)).length, 0);
      const exit = await p.exited;
      assert.match(exit.error ?? '', /ENOENT/);
    });

    test('kill() stops a running child', async () => {
      const p = await launch(NODE, ['-e', 'setInterval(() => {}, 1000)']);
      assert.ok(p.pid && p.pid > 0);
      assert.equal(p.hasExited, false);
      p.kill();
      await collect(p);
      assert.deepEqual(await p.exited, { code: null, signal: 'SIGKILL' });
      assert.equal(p.hasExited, true);
    });
  });
}

test('runProcess collects stdout and stops a child that runs past its timeout', async () => {
  const ok = await runProcess('/bin/echo', ['{"a": 1}']);
  assert.equal(ok.stdout, '{"a": 1}\n');
  assert.equal(ok.exit.code, 0);
  const t0 = performance.now();
  const slow = await runProcess(NODE, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 300 });
  assert.equal(slow.exit.signal, 'SIGKILL');
  assert.ok(performance.now() - t0 < 10_000);
});

test('an idle helper does not keep the process alive', () => {
  // A process that launches one child through the helper and then has nothing left to do must end by itself.
  const script = `import { launchProcess } from './src/media/process-launcher.ts';
    const p = await launchProcess('/bin/echo', ['hi']); for await (const _ of p.stdout) {} await p.exited; console.log('done');`;
  const r = spawnSync(NODE, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.signal, null, 'the process did not end by itself');
  assert.equal(r.stdout.trim(), 'done');
});

test('a script whose only work is launching short children runs to its end (the exit message may overtake the stream)', () => {
  // Nothing but the launcher holds the event loop here: were it to go idle between a child's exit
  // message and the arrival of its stream, the process would stop in the middle.
  const script = `import { runProcess } from './src/media/process-launcher.ts';
    const block = (ms) => { const t = Date.now(); while (Date.now() - t < ms) {} };
    let n = 0;
    for (let i = 0; i < 60; i++) {
      const run = runProcess('/bin/echo', [String(i)]);
      block(30); // the child's connection and its exit message are both waiting when the loop resumes
      if ((await run).stdout === i + '\\n') n++;
    }
    console.log('done', n);`;
  const r = spawnSync(NODE, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.stdout.trim(), 'done 60', `stdout: ${r.stdout} stderr: ${r.stderr.slice(-500)} status ${r.status}`);
});

test('children do not outlive the process that launched them', async () => {
  const script = `import { launchProcess } from './src/media/process-launcher.ts';
    const p = await launchProcess('/bin/sleep', ['30']); console.log(p.pid); process.exit(0);`;
  const pid = Number(execFileSync(NODE, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 }).trim());
  assert.ok(pid > 0);
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(), false, `sleep (pid ${pid}) still runs after its launcher exited`);
});
