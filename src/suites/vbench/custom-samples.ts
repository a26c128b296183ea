import { lstatSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { LOCK_FILE } from '../../core/dir-lock.ts';
import { GenbenchError } from '../../core/errors.ts';
import { sha256File } from '../../core/hash.ts';
import type { SampleRef } from '../../core/contracts.ts';

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

/** Why a directory entry could not be looked at or read, in words (a symlink loop, a dangling link, …). */
export function unreadableEntryReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return 'symbolic link loop (too many levels of symbolic links)';
  if (code === 'ENOENT') return 'dangling symbolic link (its target does not exist)';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a folder';
  return (e as Error).message ?? String(e);
}

export interface CustomSkip {
  name: string;
  reason: string;
}

/**
 * Samples of VBench's custom mode: one file, or every .mp4/.gif of a folder (sorted by name, so
 * runs are deterministic; VBench itself takes the folder's listing order). Other files are
 * reported in `ignored`; sub-folders are not entered (VBench lists the folder itself only, and a
 * prompt comes from the file name alone, so files of two sub-folders could not be told apart) and
 * are reported in `subfolders`; entries that cannot be read (dangling symlinks, symlink loops,
 * unreadable files) are reported in `skipped` with the reason.
 */
export async function listCustomSamples(path: string): Promise<{ samples: SampleRef[]; ignored: string[]; subfolders: string[]; skipped: CustomSkip[] }> {
  const abs = resolve(path);
  let st;
  try {
    st = statSync(abs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && lstatOrUndefined(abs)?.isSymbolicLink()) {
      throw new GenbenchError('E_NOT_FOUND', `videos not found: ${abs} is a dangling symbolic link`, 'point --videos at a folder of .mp4/.gif files or one video file');
    }
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new GenbenchError('E_NOT_FOUND', `videos not found: ${abs}`, 'pass --videos a folder of .mp4/.gif files or one video file');
    throw new GenbenchError('E_INPUT', `cannot read --videos ${abs}: ${unreadableEntryReason(e)}`, 'pass --videos a folder of .mp4/.gif files or one video file you can read');
  }
  const files: string[] = [];
  const ignored: string[] = [];
  const subfolders: string[] = [];
  const skipped: CustomSkip[] = [];
  if (st.isFile()) {
    files.push(abs);
  } else if (st.isDirectory()) {
    let names: string[];
    try {
      names = readdirSync(abs).sort();
    } catch (e) {
      throw new GenbenchError('E_INPUT', `cannot list --videos folder ${abs}: ${unreadableEntryReason(e)}`, 'check the folder\'s permissions');
    }
    for (const name of names) {
      if (name === LOCK_FILE) continue; // a genbench process writing into this folder
      const full = join(abs, name);
      const isVideoName = (CUSTOM_MODE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());
      let entry;
      try {
        entry = statSync(full);
      } catch (e) {
        if (isVideoName) skipped.push({ name, reason: unreadableEntryReason(e) });
        else ignored.push(name);
        continue;
      }
      if (entry.isDirectory()) subfolders.push(name);
      else if (!entry.isFile()) ignored.push(name);
      else if (isVideoName) files.push(full);
      else ignored.push(name);
    }
    if (files.length === 0) {
      const found = [
        ignored.length ? `${ignored.length} other file(s), e.g. ${ignored[0]}` : '',
        subfolders.length ? `${subfolders.length} sub-folder(s), e.g. ${subfolders[0]}/ (not entered)` : '',
        skipped.length ? `${skipped.length} unreadable, e.g. ${skipped[0]!.name}: ${skipped[0]!.reason}` : '',
      ].filter(Boolean);
      throw new GenbenchError(
        'E_INPUT',
        `no .mp4 or .gif videos in ${abs}${found.length ? ` (found ${found.join('; ')})` : ''}`,
        subfolders.length && !ignored.length
          ? `custom mode reads the videos directly in the folder, as VBench does: pass a sub-folder, e.g. --videos ${join(abs, subfolders[0]!)}`
          : 'VBench custom mode reads .mp4 and .gif files named {prompt}.mp4 or {prompt}-{i}.mp4',
      );
    }
  } else {
    throw new GenbenchError('E_INPUT', `--videos ${abs} is neither a file nor a folder`, 'pass a folder of .mp4/.gif files or one video file');
  }
  const samples: SampleRef[] = [];
  for (const f of files) {
    const name = basename(f);
    let contentSha256: string;
    try {
      contentSha256 = await sha256File(f);
    } catch (e) {
      if (files.length === 1 && st.isFile()) throw new GenbenchError('E_INPUT', `cannot read ${f}: ${unreadableEntryReason(e)}`, 'check the file\'s permissions');
      skipped.push({ name, reason: `cannot read: ${unreadableEntryReason(e)}` });
      continue;
    }
    samples.push({
      id: name,
      path: f,
      prompt: promptFromFileName(name),
      index: indexFromFileName(name),
      contentSha256,
    });
  }
  if (samples.length === 0) {
    throw new GenbenchError('E_INPUT', `no readable video in ${abs}: ${skipped.map((x) => `${x.name}: ${x.reason}`).slice(0, 3).join('; ')}`, 'fix the files\' permissions or links');
  }
  return { samples, ignored, subfolders, skipped };
}

function lstatOrUndefined(p: string) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}
