import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGenbenchError } from '../../src/core/errors.ts';
import { listStandardSamples, parseFullInfo } from '../../src/suites/vbench/standard-samples.ts';
import { MEDIA, mediaPath } from '../helpers/golden-inputs.ts';
import { upstreamFilePath, upstreamPrompts } from '../helpers/upstream-files.ts';

const upstream = upstreamPrompts('vbench/vbench/VBench_full_info.json');
const FULL_INFO = upstreamFilePath('vbench/vbench/VBench_full_info.json') ?? '';
const fullInfo = upstream.dir ? parseFullInfo(readFileSync(FULL_INFO, 'utf8'), FULL_INFO) : [];
// Any small video: only names and extensions matter here (a media stand-in, made on first use).
let VIDEO = '';
before(async () => {
  VIDEO = await mediaPath(MEDIA.h264Tv);
});

test('standard mode: expected names per dimension, official order, missing and wrongly named files', { skip: upstream.skip }, async () => {
  const tf = fullInfo.filter((e) => e.dimension.includes('temporal_flickering'));
  assert.equal(tf.length, 75);
  const dir = mkdtempSync(join(tmpdir(), 'gb-std-'));
  // The first three temporal-flickering prompts with all five videos, the fourth with two.
  for (const e of tf.slice(0, 3)) for (let i = 0; i < 5; i++) copyFileSync(VIDEO, join(dir, `${e.prompt_en}-${i}.mp4`));
  for (let i = 0; i < 2; i++) copyFileSync(VIDEO, join(dir, `${tf[3]!.prompt_en}-${i}.mp4`));
  copyFileSync(VIDEO, join(dir, `${tf[0]!.prompt_en}_0.mp4`)); // wrong separator
  writeFileSync(join(dir, 'notes.txt'), 'not a video');
  const l = await listStandardSamples({ videosDir: dir, fullInfo, dimensions: ['temporal_flickering'] });
  assert.equal(l.expectedByDimension.temporal_flickering, 75 * 5);
  assert.equal(l.samples.length, 17);
  assert.deepEqual(l.byDimension.temporal_flickering!.map((s) => [s.prompt, s.index]), [
    ...tf.slice(0, 3).flatMap((e) => [0, 1, 2, 3, 4].map((i) => [e.prompt_en, i])),
    [tf[3]!.prompt_en, 0],
    [tf[3]!.prompt_en, 1],
  ]);
  assert.equal(l.missing.length, 75 * 5 - 17);
  assert.deepEqual(l.missing[0], { prompt: tf[3]!.prompt_en, index: 2, name: `${tf[3]!.prompt_en}-2.mp4` });
  assert.deepEqual(l.unexpected, [`${tf[0]!.prompt_en}_0.mp4`]);
  assert.equal(l.extension, '.mp4');
});

test('a prompt listed in two entries is one sample scored for both entries\' dimensions, each in its own order', { skip: upstream.skip }, async () => {
  const prompt = 'The bund Shanghai, oil painting';
  const dir = mkdtempSync(join(tmpdir(), 'gb-std-'));
  copyFileSync(VIDEO, join(dir, `${prompt}-0.mp4`));
  const l = await listStandardSamples({ videosDir: dir, fullInfo, dimensions: ['appearance_style', 'aesthetic_quality'] });
  assert.equal(l.samples.length, 1);
  assert.deepEqual([...l.samples[0]!.dimensions!].sort(), ['aesthetic_quality', 'appearance_style']);
  assert.deepEqual(l.samples[0]!.auxiliary, { appearance_style: { appearance_style: 'oil painting' } });
  assert.equal(l.byDimension.appearance_style!.length, 1);
  assert.equal(l.byDimension.aesthetic_quality!.length, 1);
  assert.equal(l.expectedByDimension.aesthetic_quality, 93 * 5);
});

test('mixed extensions, an empty folder and a missing folder are refused', { skip: upstream.skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-std-'));
  await assert.rejects(listStandardSamples({ videosDir: dir, fullInfo, dimensions: ['temporal_flickering'] }), (e) => isGenbenchError(e, 'E_INPUT'));
  copyFileSync(VIDEO, join(dir, 'a-0.mp4'));
  copyFileSync(VIDEO, join(dir, 'a-1.gif'));
  await assert.rejects(listStandardSamples({ videosDir: dir, fullInfo, dimensions: ['temporal_flickering'] }), /mixes video extensions/);
  await assert.rejects(listStandardSamples({ videosDir: '/nonexistent', fullInfo, dimensions: ['x'] }), (e) => isGenbenchError(e, 'E_NOT_FOUND'));
  assert.throws(() => parseFullInfo('{"a":1}', 'x.json'), (e) => isGenbenchError(e, 'E_PROMPTS'));
});
