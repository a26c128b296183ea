import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { makeBadVideos } from '../../tools/fixtures/bad-videos.ts';
import { MEDIA, MEDIA_VIDEOS, mediaStandIns } from '../../tools/fixtures/media-stand-ins.ts';
import { makeSampleVideos } from '../../tools/fixtures/sample-videos.ts';

export { MEDIA };

let cached: Promise<Map<string, string>> | undefined;

/**
 * The same inputs the golden scripts ran on (tools/parity/make-golden-inputs.ts): the media
 * stand-in videos the project generates (tools/fixtures/media-stand-ins.ts), the generated sample
 * videos and the bad inputs; file name → path. Made once per test process (the stand-ins once per
 * machine).
 */
export function goldenInputs(): Promise<Map<string, string>> {
  cached ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-golden-inputs-'));
    const media = await mediaStandIns();
    const samples = await makeSampleVideos(join(dir, 'samples'));
    const good = samples.find((s) => s.name.endsWith('.mp4') && s.recipe.codec.includes('libx264'))!;
    const bad = await makeBadVideos(join(dir, 'bad'), good.path, media.get(MEDIA.greyPng)!.path);
    const m = new Map<string, string>();
    for (const { file } of MEDIA_VIDEOS) m.set(file, media.get(file)!.path);
    for (const s of samples) m.set(s.name, s.path);
    for (const p of Object.values(bad)) m.set(basename(p), p);
    return m;
  })();
  return cached;
}

/** Path of one media stand-in (tools/fixtures/media-stand-ins.ts), made on first use. */
export async function mediaPath(file: string): Promise<string> {
  const m = (await mediaStandIns()).get(file);
  if (!m) throw new Error(`no media stand-in ${file}`);
  return m.path;
}
