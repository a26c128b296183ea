/**
 * Rebuild the project-made videos a golden names, exactly as its script made them: `media-cut:NAME`
 * = a cut of one of the media stand-ins (tools/fixtures/media-stand-ins.ts) re-encoded with the
 * pinned static ffmpeg and the argument list stored in the golden; `generated:FILE` = a
 * tools/fixtures/make-sample-videos.ts recipe. Every rebuilt file must have the golden's sha256.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ffmpegPath } from '../../src/media/ffmpeg.ts';
import { makeSampleVideos, SAMPLE_VIDEO_RECIPES } from '../../tools/fixtures/make-sample-videos.ts';
import { mediaStandIns } from '../../tools/fixtures/media-stand-ins.ts';

const run = promisify(execFile);

export interface GoldenVideoSource {
  /** `media-cut:NAME` or `generated:FILE`. */
  video: string;
  sha256: string;
  made: { source?: string; source_sha256?: string; ffmpeg_args?: string[]; file?: string };
}

export function sha256Of(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The videos of `sources` (deduplicated by `video`) made in `dir`: `video` → path. */
export async function rebuildGoldenVideos(dir: string, sources: readonly GoldenVideoSource[]): Promise<Map<string, string>> {
  const unique = [...new Map(sources.map((s) => [s.video, s])).values()];
  const paths = new Map<string, string>();
  const generated = unique.filter((v) => v.made.file).map((v) => v.made.file!);
  const recipes = SAMPLE_VIDEO_RECIPES.filter((r) => generated.includes(r.file));
  assert.equal(recipes.length, generated.length, 'every generated golden video has a recipe');
  if (recipes.length > 0) for (const made of await makeSampleVideos(dir, recipes)) paths.set(`generated:${made.file}`, made.path);
  const cuts = unique.filter((v) => v.made.ffmpeg_args);
  if (cuts.length > 0) {
    const media = await mediaStandIns();
    for (const v of cuts) {
      const out = join(dir, v.video.replace(/^media-cut:/, ''));
      const source = media.get(v.made.source!);
      assert.ok(source, `${v.video}: no media stand-in ${v.made.source}`);
      assert.equal(source.sha256, v.made.source_sha256, `${v.video}: the media stand-in ${v.made.source} differs from the one the golden was made with`);
      await run(ffmpegPath(), v.made.ffmpeg_args!.map((a) => a.replace('{in}', source.path).replace('{out}', out)), { maxBuffer: 16 << 20 });
      paths.set(v.video, out);
    }
  }
  for (const v of unique) {
    const p = paths.get(v.video);
    assert.ok(p, `${v.video} was made`);
    assert.equal(sha256Of(p), v.sha256, `${v.video}: the rebuilt video differs from the one the golden was made with`);
  }
  return paths;
}

/** `{{vbench-prompt:i}}` → prompt_en of entry i of the pinned VBench_full_info.json (`prompts`). */
export function resolveVbenchPrompts(text: string, prompts: readonly { prompt_en: string }[]): string {
  return text.replace(/\{\{vbench-prompt:(\d+)\}\}/g, (_, i: string) => {
    const e = prompts[Number(i)];
    assert.ok(e, `VBench_full_info.json has no entry ${i}`);
    return e.prompt_en;
  });
}

/** ((i*7919) % 1000)/1000 · scale + offset at flat index i (float64, then float32): the goldens' model-check input. */
export function checkInput(n: number, offset: number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (((i * 7919) % 1000) / 1000) * scale + offset;
  return out;
}
