import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('../helpers/byte-mean-run.ts', import.meta.url));

function makeSamples(n: number): { dir: string; means: number[] } {
  const dir = mkdtempSync(join(tmpdir(), 'gb-samples-'));
  const means: number[] = [];
  for (let i = 0; i < n; i++) {
    // File i holds bytes (i, i+1, i+2): mean i+1, known by hand.
    writeFileSync(join(dir, `prompt ${i}-0.mp4`), Buffer.from([i, i + 1, i + 2]));
    means.push(i + 1);
  }
  return { dir, means };
}

function runChild(args: string[]): number {
  return spawnSync(process.execPath, ['--import', 'tsx', CHILD, ...args], { encoding: 'utf8' }).status ?? -1;
}

function lines(path: string): string[] {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];
}

test('a run killed halfway resumes: finished records intact, nothing redone, same final score', async () => {
  const { dir, means } = makeSamples(12);
  const work = mkdtempSync(join(tmpdir(), 'gb-resume-'));
  const out = join(work, 'run');
  const calls1 = join(work, 'calls1.log');
  const recordsPath = join(out, 'records', 'byte_mean.jsonl');
  // First run: slow; SIGKILL once 4 records are on disk.
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, out, calls1, '150'], { stdio: 'ignore' });
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (lines(recordsPath).length >= 4) {
        clearInterval(t);
        child.kill('SIGKILL');
        resolve();
      }
    }, 20);
    child.on('exit', () => {
      clearInterval(t);
      reject(new Error('child finished before it could be killed'));
    });
  });
  await new Promise((r) => child.on('close', r));
  const before = lines(recordsPath).map((l) => JSON.parse(l) as { sample: string; value: number });
  assert.ok(before.length >= 4 && before.length < 12, `killed after ${before.length} records`);
  assert.equal(existsSync(join(out, 'scores.json')), false, 'no scores before the run finished');
  // Second run: completes, and never calls scoreSample on a sample already recorded.
  const calls2 = join(work, 'calls2.log');
  assert.equal(runChild([dir, out, calls2, '0']), 0);
  const redone = lines(calls2).filter((p) => before.some((b) => p.endsWith(b.sample)));
  assert.deepEqual(redone, []);
  const after = lines(recordsPath).map((l) => JSON.parse(l) as { sample: string; value: number });
  assert.equal(after.length, 12);
  assert.deepEqual(after.slice(0, before.length), before, 'records of the first run intact');
  // Same final score as an uninterrupted run, and the hand-computed one.
  const clean = join(work, 'clean');
  assert.equal(runChild([dir, clean, join(work, 'calls3.log'), '0']), 0);
  const s1 = JSON.parse(readFileSync(join(out, 'scores.json'), 'utf8'));
  const s2 = JSON.parse(readFileSync(join(clean, 'scores.json'), 'utf8'));
  assert.deepEqual(s1, s2);
  const expected = means.reduce((a, b) => a + b, 0) / means.length;
  assert.equal(s1.dimensions.byte_mean.score, expected);
  assert.equal(s1.dimensions.byte_mean.samples, 12);
  // A third run redoes nothing at all.
  const calls4 = join(work, 'calls4.log');
  assert.equal(runChild([dir, out, calls4, '0']), 0);
  assert.deepEqual(lines(calls4), []);
});

test('a changed file is re-scored; an error record is retried on the next run', () => {
  const { dir } = makeSamples(3);
  writeFileSync(join(dir, 'empty-0.mp4'), Buffer.alloc(0));
  const work = mkdtempSync(join(tmpdir(), 'gb-resume-'));
  const out = join(work, 'run');
  assert.equal(runChild([dir, out, join(work, 'c1'), '0']), 0);
  const s1 = JSON.parse(readFileSync(join(out, 'scores.json'), 'utf8'));
  assert.equal(s1.dimensions.byte_mean.errors, 1);
  assert.equal(s1.dimensions.byte_mean.samples, 3);
  // Change one file and fix the empty one.
  writeFileSync(join(dir, 'prompt 0-0.mp4'), Buffer.from([10, 10, 10]));
  writeFileSync(join(dir, 'empty-0.mp4'), Buffer.from([4]));
  const c2 = join(work, 'c2');
  assert.equal(runChild([dir, out, c2, '0']), 0);
  assert.deepEqual(lines(c2).map((p) => p.split('/').pop()).sort(), ['empty-0.mp4', 'prompt 0-0.mp4']);
  const s2 = JSON.parse(readFileSync(join(out, 'scores.json'), 'utf8'));
  assert.equal(s2.dimensions.byte_mean.errors, 0);
  assert.equal(s2.dimensions.byte_mean.score, (4 + 10 + 2 + 3) / 4);
  mkdirSync(join(work, 'x'));
});
