/** Make the inputs the golden scripts run on: sample videos in DIR/samples, bad inputs in DIR/bad. */
import { join } from 'node:path';
import { makeBadVideos } from '../fixtures/bad-videos.ts';
import { makeSampleVideos } from '../fixtures/sample-videos.ts';

const dir = process.argv[2] ?? 'results/golden-inputs';
const samples = await makeSampleVideos(join(dir, 'samples'));
const good = samples.find((s) => s.name.endsWith('.mp4') && s.recipe.codec.includes('libx264'))!;
const bad = await makeBadVideos(join(dir, 'bad'), good.path, new URL('../../../shared/data/media/basketball1.png', import.meta.url).pathname);
for (const s of samples) process.stdout.write(`${s.path}\n`);
for (const p of Object.values(bad)) process.stdout.write(`${p}\n`);
