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
