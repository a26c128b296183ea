/**
 * VBench's standard layout: one folder, `{prompt}-{i}.mp4` for i = 0 … samples−1 (what VBench's
 * evaluate --mode standard looks up, and what NOVA's sampler writes per tag folder). Resumable:
 * a video already present under its final name is complete (it was renamed into place).
 */
import { join } from 'node:path';
import { GenbenchError } from '../../core/errors.ts';
import { sampleExists } from './partial-file.ts';
import { writeMp4, type Mp4Options } from './mp4-writer.ts';

/** The file name of sample i of a prompt; prompts that cannot be file names are refused. */
export function vbenchVideoName(prompt: string, index: number): string {
  if (prompt.length === 0 || prompt.includes('/') || prompt.includes('\0')) {
    throw new GenbenchError('E_INPUT', `prompt ${JSON.stringify(prompt.slice(0, 60))} cannot name a file`, 'VBench names videos after their prompts; a prompt with "/" cannot be written');
  }
  if (Buffer.byteLength(`${prompt}-${index}.mp4`) > 255) throw new GenbenchError('E_INPUT', `prompt "${prompt.slice(0, 40)}…" makes a file name longer than 255 bytes`);
  return `${prompt}-${index}.mp4`;
}

export const vbenchVideoPath = (dir: string, prompt: string, index: number): string => join(dir, vbenchVideoName(prompt, index));

/** Which sample indices of a prompt still have to be generated. */
export function missingVbenchSamples(dir: string, prompt: string, samples: number): number[] {
  return Array.from({ length: samples }, (_, i) => i).filter((i) => !sampleExists(vbenchVideoPath(dir, prompt, i)));
}

/** Writes one sample video; returns its path. */
export async function writeVbenchVideo(dir: string, prompt: string, index: number, frames: readonly Uint8Array[], width: number, height: number, opts: Mp4Options): Promise<string> {
  const path = vbenchVideoPath(dir, prompt, index);
  await writeMp4(path, frames, width, height, opts);
  return path;
}
