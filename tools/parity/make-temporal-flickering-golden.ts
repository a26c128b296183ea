/**
 * Regenerates the temporal_flickering goldens from the official code: builds the parity inputs
 * (tools/parity/temporal-flickering-inputs.ts), then runs, with Debian's /usr/bin/python3
 * (OpenCV 4.6, numpy):
 *  - tools/parity/vbench_temporal_flickering_golden.py → tests/golden/vbench-temporal-flickering.json
 *  - tools/parity/decode_vs_opencv.py                  → tests/golden/decode-vs-opencv.json
 *
 *   node --import tsx tools/parity/make-temporal-flickering-golden.ts [--vbench PATH] [--keep DIR]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ffmpegPath } from '../../src/media/ffmpeg.ts';
import { makeParityInputs } from './temporal-flickering-inputs.ts';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = arg('--keep') ?? mkdtempSync(join(tmpdir(), 'genbench-golden-'));
const inputs = await makeParityInputs(dir);
const ffmpeg = execFileSync(ffmpegPath(), ['-version'], { encoding: 'utf8' }).split('\n')[0];
const manifest = join(dir, 'manifest.json');
writeFileSync(manifest, JSON.stringify({ ffmpeg, videos: inputs }, null, 1));
const py = (script: string, args: string[]): void => {
  execFileSync('/usr/bin/python3', [join(root, 'tools/parity', script), ...args], { stdio: 'inherit', cwd: root });
};
const vbench = arg('--vbench');
py('vbench_temporal_flickering_golden.py', ['--manifest', manifest, '--out', join(root, 'tests/golden/vbench-temporal-flickering.json'), ...(vbench ? ['--vbench', vbench] : [])]);
py('decode_vs_opencv.py', ['--manifest', manifest, '--out', join(root, 'tests/golden/decode-vs-opencv.json')]);
process.stdout.write(`inputs in ${dir}\n`);
