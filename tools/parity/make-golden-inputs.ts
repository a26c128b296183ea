/** Make the inputs the golden scripts run on: sample videos in DIR/samples, bad inputs in DIR/bad, media stand-ins in DIR/media. */
import { join } from 'node:path';
import { makeBadVideos } from '../fixtures/bad-videos.ts';
import { MEDIA, makeMediaStandIns } from '../fixtures/media-stand-ins.ts';
import { makeSampleVideos } from '../fixtures/sample-videos.ts';

const dir = process.argv[2] ?? 'results/golden-inputs';
const media = await makeMediaStandIns(join(dir, 'media'));
const samples = await makeSampleVideos(join(dir, 'samples'));
const good = samples.find((s) => s.name.endsWith('.mp4') && s.recipe.codec.includes('libx264'))!;
const bad = await makeBadVideos(join(dir, 'bad'), good.path, media.get(MEDIA.greyPng)!.path);
for (const m of media.values()) process.stdout.write(`${m.path}\n`);
for (const s of samples) process.stdout.write(`${s.path}\n`);
for (const p of Object.values(bad)) process.stdout.write(`${p}\n`);
