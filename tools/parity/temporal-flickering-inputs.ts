/**
 * The inputs the temporal_flickering and decode goldens are made on, and that the tests score
 * again: the media stand-ins (tools/fixtures/media-stand-ins.ts), the generated sample videos, the bad inputs, and the older
 * fixture set (tools/fixtures/sample-videos.ts and bad-videos.ts, still used by other tests), all
 * rebuilt deterministically from their recipes.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { sha256File } from '../../src/core/hash.ts';
import { makeBadVideos } from '../fixtures/bad-videos.ts';
import { makeBadInputs, makeSampleVideos } from '../fixtures/make-sample-videos.ts';
import { MEDIA, MEDIA_VIDEOS, mediaStandIns } from '../fixtures/media-stand-ins.ts';
import { makeSampleVideos as makeOlderSampleVideos } from '../fixtures/sample-videos.ts';


export type InputGroup = 'media' | 'generated' | 'bad' | 'older-fixtures';

export interface ParityInput {
  file: string;
  path: string;
  group: InputGroup;
  made: string;
  sha256: string;
  /** Part of the set the dimension score is checked on (readable videos, in this order). */
  inAggregate: boolean;
}

/** Build every input in `dir`; file names are unique across groups. */
export async function makeParityInputs(dir: string): Promise<ParityInput[]> {
  mkdirSync(dir, { recursive: true });
  const out: ParityInput[] = [];
  const media = await mediaStandIns();
  for (const { file } of MEDIA_VIDEOS) {
    const m = media.get(file)!;
    out.push({ file, path: m.path, group: 'media', made: m.made, sha256: m.sha256, inAggregate: true });
  }
  const generated = await makeSampleVideos(join(dir, 'generated'));
  for (const v of generated) out.push({ file: v.file, path: v.path, group: 'generated', made: v.made, sha256: v.sha256, inAggregate: true });
  const nonFaststart = generated.find((v) => v.file === 'x264-testsrc2-320x240-8fps.mp4')!.path;
  for (const v of await makeBadInputs(join(dir, 'bad'), { media, nonFaststartMp4: nonFaststart })) {
    out.push({ file: v.file, path: v.path, group: 'bad', made: v.made, sha256: v.sha256, inAggregate: false });
  }
  // The older fixture set, made exactly as tests/helpers/golden-inputs.ts makes it.
  const older = await makeOlderSampleVideos(join(dir, 'older'));
  for (const s of older) out.push({ file: s.name, path: s.path, group: 'older-fixtures', made: `tools/fixtures/sample-videos.ts: ${s.recipe.note}`, sha256: s.sha256, inAggregate: true });
  const good = older.find((s) => s.name.endsWith('.mp4') && s.recipe.codec.includes('libx264'))!;
  const bad = await makeBadVideos(join(dir, 'older-bad'), good.path, media.get(MEDIA.greyPng)!.path);
  for (const p of Object.values(bad)) {
    out.push({ file: basename(p), path: p, group: 'older-fixtures', made: 'tools/fixtures/bad-videos.ts', sha256: await sha256File(p), inAggregate: false });
  }
  const names = new Set(out.map((v) => v.file));
  if (names.size !== out.length) throw new Error('parity input names collide');
  return out;
}

let cached: Promise<Map<string, ParityInput>> | undefined;

/** The inputs, built once per process in a temporary folder; file name → input. */
export function parityInputs(): Promise<Map<string, ParityInput>> {
  cached ??= makeParityInputs(mkdtempSync(join(tmpdir(), 'genbench-parity-'))).then((l) => new Map(l.map((v) => [v.file, v])));
  return cached;
}
