import { readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { GenbenchError } from '../../core/errors.ts';
import { sha256File } from '../../core/hash.ts';
import { unreadableEntryReason } from './custom-samples.ts';
import type { SampleRef } from '../../core/contracts.ts';

/** One entry of VBench_full_info.json. */
export interface FullInfoEntry {
  prompt_en: string;
  dimension: string[];
  auxiliary_info?: Record<string, unknown>;
}

export interface StandardListing {
  /** Every sample found, once (a prompt listed in two entries is one file with both entries' dimensions). */
  samples: SampleRef[];
  /** Per requested dimension, its samples in the official order: prompt-suite order, then index. */
  byDimension: Record<string, SampleRef[]>;
  /** Expected file names that are not in the folder. */
  missing: { prompt: string; index: number; name: string }[];
  /** Expected samples per requested dimension (found or not). */
  expectedByDimension: Record<string, number>;
  /** Video files in the folder that match no expected name (wrong name, other prompt text, …). */
  unexpected: string[];
  extension: string;
}

const VIDEO_EXTENSIONS = ['.mp4', '.gif', '.avi', '.mov', '.mkv', '.webm'];

/**
 * VBench standard mode: for each prompt-suite entry tagged with a requested dimension, the videos
 * `{prompt}{specialStr}-{i}{ext}` for i < samplesPerPrompt. The official code takes `ext` from
 * whichever file the folder lists first; we take the one video extension present and refuse a
 * folder that mixes several (a stray file cannot silently change what is read).
 */
export async function listStandardSamples(o: {
  videosDir: string;
  fullInfo: readonly FullInfoEntry[];
  dimensions: readonly string[];
  samplesPerPrompt?: number;
  specialStr?: string;
}): Promise<StandardListing> {
  const dir = resolve(o.videosDir);
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir);
  } catch {
    throw new GenbenchError('E_NOT_FOUND', `videos folder not found: ${dir}`, 'standard mode needs the folder holding {prompt}-{i}.mp4 files');
  }
  const videoNames = names.filter((n) => VIDEO_EXTENSIONS.includes(extname(n).toLowerCase()));
  const exts = [...new Set(videoNames.map((n) => extname(n)))];
  if (exts.length === 0) throw new GenbenchError('E_INPUT', `no videos in ${dir}`, 'standard mode reads {prompt}-{i}.mp4 files');
  if (exts.length > 1) {
    throw new GenbenchError('E_INPUT', `${dir} mixes video extensions (${exts.join(', ')})`, 'VBench reads one extension per folder: keep one kind of file');
  }
  const ext = exts[0]!;
  const present = new Set(videoNames);
  const per = o.samplesPerPrompt ?? 5;
  const wanted = new Set(o.dimensions);
  const expectedByDimension: Record<string, number> = Object.fromEntries(o.dimensions.map((d) => [d, 0]));
  const samples: SampleRef[] = [];
  const byDimension: Record<string, SampleRef[]> = Object.fromEntries(o.dimensions.map((d) => [d, []]));
  const missing: StandardListing['missing'] = [];
  const claimed = new Set<string>();
  for (const entry of o.fullInfo) {
    const dims = entry.dimension.filter((d) => wanted.has(d));
    if (dims.length === 0) continue;
    for (let i = 0; i < per; i++) {
      const name = `${entry.prompt_en}${o.specialStr ?? ''}-${i}${ext}`;
      for (const d of dims) expectedByDimension[d]! += 1;
      if (!present.has(name)) {
        missing.push({ prompt: entry.prompt_en, index: i, name });
        continue;
      }
      claimed.add(name);
      const path = join(dir, name);
      const ref: SampleRef = {
        id: name,
        path,
        prompt: entry.prompt_en,
        index: i,
        contentSha256: await sha256File(path).catch((e: unknown) => {
          throw new GenbenchError('E_INPUT', `cannot read ${path}: ${unreadableEntryReason(e)}`, 'fix or remove that file (or link); with --allow-partial a removed file counts as missing');
        }),
        dimensions: dims,
        ...(entry.auxiliary_info ? { auxiliary: entry.auxiliary_info } : {}),
      };
      samples.push(ref);
      for (const d of dims) byDimension[d]!.push(ref);
    }
  }
  // A prompt may appear in several entries (different dimensions): one sample, all its dimensions.
  const merged = mergeDuplicates(samples);
  const unexpected = videoNames.filter((n) => !claimed.has(n)).sort();
  return { samples: merged, byDimension, missing, expectedByDimension, unexpected, extension: ext };
}

function mergeDuplicates(samples: SampleRef[]): SampleRef[] {
  const byId = new Map<string, SampleRef>();
  for (const s of samples) {
    const prev = byId.get(s.id);
    if (!prev) byId.set(s.id, s);
    else {
      byId.set(s.id, {
        ...prev,
        dimensions: [...new Set([...(prev.dimensions ?? []), ...(s.dimensions ?? [])])],
        auxiliary: { ...(prev.auxiliary ?? {}), ...(s.auxiliary ?? {}) },
      });
    }
  }
  return [...byId.values()];
}

/** Parse and check VBench_full_info.json's shape. */
export function parseFullInfo(text: string, source: string): FullInfoEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new GenbenchError('E_PROMPTS', `${source} is not valid JSON`, 'fetch the prompt file again: genbench prompts fetch');
  }
  if (!Array.isArray(data) || !data.every((e) => typeof e?.prompt_en === 'string' && Array.isArray(e?.dimension))) {
    throw new GenbenchError('E_PROMPTS', `${source} is not a VBench full-info list ({prompt_en, dimension[]} entries)`);
  }
  return data as FullInfoEntry[];
}
