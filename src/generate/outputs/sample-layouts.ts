/**
 * Where a generation run puts each sample, per prompt set (suite id): the file names a suite's
 * evaluator looks up, files it needs beside the samples, the media it scores, and how a sample is
 * keyed. Naming only (no I/O: the generic run generation-run.ts writes), data the suite provides,
 * read instead of branching on suite names:
 *
 *   vbench    OUT/{prompt}-{i}.mp4                          (VBench's standard names)
 *   geneval   OUT/NNNNN/metadata.jsonl, NNNNN/samples/NNNNN.png   (GenEval's layout)
 *   prompt    OUT/{prompt}-{i}.mp4, or .png for images      (one --prompt)
 *
 * A new suite adds its entry here (and its prompt set in src/prompts/prompt-sets.ts).
 */
import { join } from 'node:path';
import { GenbenchError } from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash.ts';
import type { GenerationPrompt, GenerationSuite } from '../../prompts/prompt-sets.ts';
import { genevalImagePath, genevalMetadataFile } from './geneval-images.ts';
import type { SampleMediaKind } from './sample-files.ts';
import { vbenchVideoName, vbenchVideoPath } from './vbench-videos.ts';

export interface SampleLayout {
  /** The suite's name in messages. */
  name: string;
  /** The media the suite scores; null when either (the generator's). */
  media: SampleMediaKind | null;
  /**
   * What names a sample's noise: the prompt's position (numbered folders) or its text (files
   * named after the prompt, where one prompt listed twice is one set of files).
   */
  keyBy: 'index' | 'text';
  /** Absolute path of sample `sampleIndex` of a prompt; refuses prompts that cannot name a file. */
  samplePath(out: string, prompt: GenerationPrompt, sampleIndex: number, media: SampleMediaKind): string;
  /** Files a prompt needs beside its samples (GenEval: NNNNN/metadata.jsonl), written before them when they differ. */
  promptFiles?(out: string, prompt: GenerationPrompt): { path: string; text: string }[];
  /** A note for the log when the samples per prompt are not what the suite scores (null: fine). */
  samplesNote?(samplesPerPrompt: number): string | null;
}

/** `{prompt}-{i}.png`: the VBench name with the image extension. */
function promptImagePath(out: string, prompt: string, i: number): string {
  return join(out, vbenchVideoName(prompt, i).replace(/\.mp4$/, '.png'));
}

export const SAMPLE_LAYOUTS: Readonly<Record<GenerationSuite, SampleLayout>> = {
  vbench: {
    name: 'VBench',
    media: 'video',
    keyBy: 'text',
    samplePath: (out, p, j) => vbenchVideoPath(out, p.prompt, j),
  },
  geneval: {
    name: 'GenEval',
    media: 'image',
    keyBy: 'index',
    samplePath: (out, p, j) => genevalImagePath(out, p.index, j),
    promptFiles: (out, p) => [genevalMetadataFile(out, p.index, p.metadata!)],
    samplesNote: (n) => (n !== 4 ? `note: GenEval scores 4 images per prompt; generating ${n}` : null),
  },
  prompt: {
    name: 'one prompt',
    media: null,
    keyBy: 'text',
    samplePath: (out, p, j, media) => (media === 'video' ? vbenchVideoPath(out, p.prompt, j) : promptImagePath(out, p.prompt, j)),
  },
};

/**
 * A sample's identity, which names its noise streams (so it must not depend on batching, sharding
 * or list order): `{suite}/{sha256(prompt)[:16]}/{i}` for a layout keyed by text (VBench names
 * files after the prompt, so a prompt listed under two tags is one set of files and gets one set
 * of noise; a single --prompt likewise), `{suite}/{index:05d}/{i}` for one keyed by index
 * (GenEval's numbered folders). The prompt variant is not part of the key: original and rewritten
 * prompts of one sample share their noise (a paired comparison).
 */
export function sampleKey(suite: GenerationSuite, prompt: { index: number; text: string }, sampleIndex: number): string {
  if (!Number.isInteger(sampleIndex) || sampleIndex < 0) throw new GenbenchError('E_INPUT', `sample index ${sampleIndex} must be a non-negative integer`);
  if (SAMPLE_LAYOUTS[suite].keyBy === 'index') return `${suite}/${String(prompt.index).padStart(5, '0')}/${sampleIndex}`;
  return `${suite}/${sha256Hex(prompt.text).slice(0, 16)}/${sampleIndex}`;
}
