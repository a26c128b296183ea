import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBadVideos } from '../../tools/fixtures/bad-videos.ts';
import { makeSampleVideos } from '../../tools/fixtures/sample-videos.ts';

export const MEDIA_DIR = fileURLToPath(new URL('../../../shared/data/media/', import.meta.url));

let cached: Promise<Map<string, string>> | undefined;

/**
 * The same inputs the golden scripts ran on (tools/parity/make-golden-inputs.ts): the shared
 * media videos, the generated sample videos and the bad inputs; file name → path. Made once per
 * test process.
 */
export function goldenInputs(): Promise<Map<string, string>> {
  cached ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gb-golden-inputs-'));
    const samples = await makeSampleVideos(join(dir, 'samples'));
    const good = samples.find((s) => s.name.endsWith('.mp4') && s.recipe.codec.includes('libx264'))!;
    const bad = await makeBadVideos(join(dir, 'bad'), good.path, join(MEDIA_DIR, 'basketball1.png'));
    const m = new Map<string, string>();
    for (const f of ['Megamind.avi', 'tree.avi', 'vtest.avi', 'box.mp4', 'cup.mp4']) m.set(f, join(MEDIA_DIR, f));
    for (const s of samples) m.set(s.name, s.path);
    for (const p of Object.values(bad)) m.set(basename(p), p);
    return m;
  })();
  return cached;
}
