import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describeError, GenbenchError, isGenbenchError } from '../../src/core/errors.ts';
import { readRgbImage } from '../../src/media/image-io.ts';

test('an image that cannot be decoded gives a one-line E_DECODE message (libvips prints one line per complaint)', async () => {
  const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: 'red' } }).jpeg().toBuffer();
  const path = join(mkdtempSync(join(tmpdir(), 'gb-lines-')), 'half.jpg');
  writeFileSync(path, jpeg.subarray(0, jpeg.length / 2));
  const e = await readRgbImage(path).then(() => undefined, (x: unknown) => x);
  assert.ok(isGenbenchError(e, 'E_DECODE'), String(e));
  assert.ok(e.message.includes(path));
  assert.doesNotMatch(e.message, /\n/);
  assert.doesNotMatch(describeError(e), /\n/);
});

test('describeError: one line, repeated lines once', () => {
  const e = new GenbenchError('E_DECODE', 'cannot read x:\n  bad marker\nbad marker\n\ntruncated', 'try again');
  assert.equal(describeError(e), 'cannot read x: bad marker; truncated (try again)');
  assert.equal(describeError(new Error('a\r\nb')), 'a; b');
});

test('fromSystemError: a file-system error on a path is named (code, path, what to do); other errors are left alone', async () => {
  const { fromSystemError } = await import('../../src/core/errors.ts');
  const { readFileSync, symlinkSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'gb-syserr-'));
  symlinkSync('loop', join(dir, 'loop'));
  let raw: unknown;
  try {
    readFileSync(join(dir, 'loop'));
  } catch (e) {
    raw = e;
  }
  const named = fromSystemError(raw);
  assert.ok(isGenbenchError(named, 'E_INPUT'));
  assert.match(named.message, /loop: symbolic link loop .*\(ELOOP in open\)/);
  assert.ok(named.message.includes(join(dir, 'loop')));
  assert.equal(fromSystemError(new Error('plain bug')), undefined);
  assert.equal(fromSystemError(new TypeError('x is undefined')), undefined);
});
