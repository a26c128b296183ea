import { readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { GenbenchError } from '../../core/errors.ts';
import { sha256File } from '../../core/hash.ts';
import type { SampleRef } from '../types.ts';

/** Extensions VBench's custom_input mode accepts (compared case-insensitively). */
export const CUSTOM_MODE_EXTENSIONS = ['.mp4', '.gif'] as const;

/** VBench's prompt-from-file-name rule: the stem, without a trailing `-<digits>`. */
export function promptFromFileName(fileName: string): string {
  const ext = extname(fileName);
  const stem = basename(fileName, ext);
  return stem.replace(/-\d+$/, '');
}

/** Index from a trailing `-<digits>`, when present. */
export function indexFromFileName(fileName: string): number | undefined {
  const stem = basename(fileName, extname(fileName));
  const m = /-(\d+)$/.exec(stem);
  return m ? Number(m[1]) : undefined;
}

/**
 * Samples of VBench's custom mode: one file, or every .mp4/.gif of a folder (sorted by name, so
 * runs are deterministic; VBench itself takes the folder's listing order). Other files are
 * reported in `ignored`.
 */
export async function listCustomSamples(path: string): Promise<{ samples: SampleRef[]; ignored: string[] }> {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch {
    throw new GenbenchError('E_NOT_FOUND', `videos not found: ${abs}`, 'pass --videos a folder of .mp4/.gif files or one video file');
  }
  const files: string[] = [];
  const ignored: string[] = [];
  if (st.isFile()) {
    files.push(abs);
  } else {
    for (const name of readdirSync(abs).sort()) {
      const full = join(abs, name);
      if (!statSync(full).isFile()) continue;
      if ((CUSTOM_MODE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase())) files.push(full);
      else ignored.push(name);
    }
    if (files.length === 0) {
      throw new GenbenchError(
        'E_INPUT',
        `no .mp4 or .gif videos in ${abs}${ignored.length ? ` (found ${ignored.length} other files, e.g. ${ignored[0]})` : ''}`,
        'VBench custom mode reads .mp4 and .gif files named {prompt}.mp4 or {prompt}-{i}.mp4',
      );
    }
  }
  const samples: SampleRef[] = [];
  for (const f of files) {
    const name = basename(f);
    samples.push({
      id: name,
      path: f,
      prompt: promptFromFileName(name),
      index: indexFromFileName(name),
      contentSha256: await sha256File(f),
    });
  }
  return { samples, ignored };
}
