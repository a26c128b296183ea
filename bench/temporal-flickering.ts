/**
 * temporal_flickering throughput: ours (streaming ffmpeg decode, concurrency 2) against the
 * official Python function (OpenCV decode) on the same videos, in the same run.
 *
 *   node --import tsx bench/temporal-flickering.ts [VBENCH_ROOT]
 *
 * VBENCH_ROOT: a VBench checkout at 45e79ec (for the official side; skipped when absent).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTemporalFlickeringDimension } from '../src/suites/vbench/dimensions/temporal-flickering.ts';
import { numpyMean } from '../src/core/numpy-mean.ts';

const media = fileURLToPath(new URL('../../shared/data/media/', import.meta.url));
const videos = ['Megamind.avi', 'tree.avi', 'vtest.avi', 'box.mp4', 'cup.mp4'].map((f) => join(media, f));
const vbenchRoot = process.argv[2] ?? '/tmp/vbsrc';
const dim = createTemporalFlickeringDimension();
const ctx = { log: () => {}, device: 'cpu' as const };

async function ours(concurrency: number): Promise<{ seconds: number; frames: number; score: number }> {
  const t0 = performance.now();
  const results: { value: number; frames: number }[] = new Array(videos.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < videos.length) {
        const i = next++;
        const r = await dim.scoreSample({ id: String(i), path: videos[i]!, prompt: '', contentSha256: '' }, ctx);
        results[i] = { value: r.value as number, frames: r.extra!.frames as number };
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, frames: results.reduce((n, r) => n + r.frames, 0), score: numpyMean(results.map((r) => r.value)) };
}

await ours(1); // warm-up (file cache, binaries)
const o1 = await ours(1);
const o2 = await ours(2);
console.log(`videos: ${videos.length}, frames: ${o1.frames}`);
console.log(`ours, 1 video at a time: ${(o1.frames / o1.seconds).toFixed(1)} frames/s (${o1.seconds.toFixed(2)} s)`);
console.log(`ours, 2 videos at a time: ${(o2.frames / o2.seconds).toFixed(1)} frames/s (${o2.seconds.toFixed(2)} s)`);
if (existsSync(join(vbenchRoot, 'vbench', 'temporal_flickering.py'))) {
  const script = fileURLToPath(new URL('../tools/parity/time_temporal_flickering.py', import.meta.url));
  const off = JSON.parse(execFileSync('/usr/bin/python3', [script, vbenchRoot, ...videos], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as {
    seconds: number;
    frames: number;
    score: number;
  };
  console.log(`official (OpenCV): ${(off.frames / off.seconds).toFixed(1)} frames/s (${off.seconds.toFixed(2)} s)`);
  const offRate = off.frames / off.seconds;
  console.log(`ratio ours/official: ${(o1.frames / o1.seconds / offRate).toFixed(2)}× (1 at a time), ${(o2.frames / o2.seconds / offRate).toFixed(2)}× (2 at a time)`);
  console.log(`same score: ${o2.score === off.score} (ours ${o2.score}, official ${off.score})`);
} else {
  console.log(`official side skipped: no VBench checkout at ${vbenchRoot}`);
}
