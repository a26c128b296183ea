/**
 * GenEval's sample layout (what evaluations/geneval/sample.py writes and GenEval's evaluator
 * reads): `{outdir}/{index:05d}/metadata.jsonl` — the prompt's metadata line as Python's
 * json.dump writes it (no trailing newline) — and `{outdir}/{index:05d}/samples/{j:05d}.png`.
 * Resumable: a PNG under its final name is complete; metadata is rewritten only if it differs.
 */
import { join } from 'node:path';
import { GenbenchError } from '../../core/errors.ts';
import { pythonJsonDumps } from '../../core/pycompat/json.ts';
import { sampleExists, writeBytesAtomic } from './partial-file.ts';
import { encodePng, writeTextIfChanged } from './sample-files.ts';

const pad5 = (n: number): string => {
  if (!Number.isInteger(n) || n < 0 || n > 99999) throw new GenbenchError('E_INPUT', `GenEval index ${n} is outside 0..99999`);
  return String(n).padStart(5, '0');
};

export const genevalPromptDir = (outDir: string, promptIndex: number): string => join(outDir, pad5(promptIndex));
export const genevalImagePath = (outDir: string, promptIndex: number, sampleIndex: number): string => join(genevalPromptDir(outDir, promptIndex), 'samples', `${pad5(sampleIndex)}.png`);

/** `{index}/metadata.jsonl` and its text: json.dumps of the prompt's metadata object, no trailing newline. */
export function genevalMetadataFile(outDir: string, promptIndex: number, metadata: Record<string, unknown>): { path: string; text: string } {
  return { path: join(genevalPromptDir(outDir, promptIndex), 'metadata.jsonl'), text: pythonJsonDumps(metadata) };
}

/** Writes `{index}/metadata.jsonl` unless it already holds exactly that. */
export function writeGenevalMetadata(outDir: string, promptIndex: number, metadata: Record<string, unknown>): string {
  const { path, text } = genevalMetadataFile(outDir, promptIndex, metadata);
  writeTextIfChanged(path, text);
  return path;
}

/** Which sample indices of a prompt still have to be generated. */
export function missingGenevalSamples(outDir: string, promptIndex: number, samples: number): number[] {
  return Array.from({ length: samples }, (_, j) => j).filter((j) => !sampleExists(genevalImagePath(outDir, promptIndex, j)));
}

/** Writes one sample PNG (RGB, lossless) atomically; returns its path. */
export async function writeGenevalImage(outDir: string, promptIndex: number, sampleIndex: number, rgb: Uint8Array, width: number, height: number): Promise<string> {
  const png = await encodePng(rgb, width, height);
  const path = genevalImagePath(outDir, promptIndex, sampleIndex);
  writeBytesAtomic(path, png);
  return path;
}
