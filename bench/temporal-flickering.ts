/**
 * temporal_flickering throughput, ours against the official Python function on the same videos
 * in the same run: frames per second and their ratio. The official side is
 * vbench/temporal_flickering.py @45e79ec run by tools/parity/vbench_temporal_flickering_golden.py
 * --time with Debian's /usr/bin/python3 (OpenCV 4.6); it is skipped, with a note, when that
 * Python or a VBench source is missing.
 *
 *   node --import tsx bench/temporal-flickering.ts [--vbench PATH] [--repeat N] [VIDEO...]
 *
 * Default videos: the five media stand-ins the project generates (tools/fixtures/media-stand-ins.ts;
 * 1,259 frames, 240×176 to 768×576).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTemporalFlickeringDimension } from '../src/suites/vbench/temporal-flickering.ts';
import { aggregateVideoScores } from '../src/suites/vbench/temporal-flickering-math.ts';
import { MEDIA_VIDEOS, mediaStandIns } from '../tools/fixtures/media-stand-ins.ts';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const vbench = option('--vbench');
const repeat = Number(option('--repeat') ?? 3);
const videos = args.length ? args : [...(await mediaStandIns()).values()].filter((m) => MEDIA_VIDEOS.some((v) => v.file === m.file)).map((m) => m.path);

const dim = createTemporalFlickeringDimension();
const ctx = { log: () => {}, device: 'cpu' as const };

interface Run {
  seconds: number;
  frames: number;
  scores: number[];
}

async function ours(concurrency: number): Promise<Run> {
  const scores: number[] = new Array(videos.length);
  const frames: number[] = new Array(videos.length);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < videos.length; i = next++) {
        const r = await dim.scoreSample({ id: String(i), path: videos[i]!, prompt: '', contentSha256: '' }, ctx);
        scores[i] = r.value as number;
        frames[i] = r.extra!.frames as number;
      }
    }),
  );
  return { seconds: (performance.now() - t0) / 1000, frames: frames.reduce((a, b) => a + b, 0), scores };
}

function official(): Run | string {
  if (!existsSync('/usr/bin/python3')) return 'no /usr/bin/python3';
  const script = fileURLToPath(new URL('../tools/parity/vbench_temporal_flickering_golden.py', import.meta.url));
  try {
    const out = execFileSync('/usr/bin/python3', [script, '--time', ...(vbench ? ['--vbench', vbench] : []), ...videos], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 16 << 20,
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { seconds: number; frames: number; per_video: number[] };
    return { seconds: r.seconds, frames: r.frames, scores: r.per_video };
  } catch (e) {
    return `official run failed: ${String((e as { stderr?: string }).stderr ?? e).trim().split('\n').pop()}`;
  }
}

const best = (runs: Run[]): Run => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const fps = (r: Run): string => (r.frames / r.seconds).toFixed(1);

await ours(1); // warm-up: page cache, binaries
const ours1: Run[] = [];
const ours2: Run[] = [];
const offs: Run[] = [];
let offNote = '';
for (let k = 0; k < repeat; k++) {
  ours1.push(await ours(1));
  ours2.push(await ours(2));
  const o = official();
  if (typeof o === 'string') offNote = o;
  else offs.push(o);
}
const o1 = best(ours1);
const o2 = best(ours2);
console.log(`temporal_flickering throughput (best of ${repeat}; ${availableParallelism()} CPUs)`);
console.log(`videos: ${videos.length}, frames: ${o1.frames}`);
console.log(`ours, 1 video at a time:  ${fps(o1)} frames/s (${o1.seconds.toFixed(2)} s)`);
console.log(`ours, 2 videos at a time: ${fps(o2)} frames/s (${o2.seconds.toFixed(2)} s)`);
if (offs.length === 0) {
  console.log(`official: skipped (${offNote})`);
} else {
  const off = best(offs);
  console.log(`official (OpenCV 4.6, numpy): ${fps(off)} frames/s (${off.seconds.toFixed(2)} s)`);
  const rate = off.frames / off.seconds;
  console.log(`ratio ours/official: ${(o1.frames / o1.seconds / rate).toFixed(2)}× (1 at a time), ${(o2.frames / o2.seconds / rate).toFixed(2)}× (2 at a time)`);
  const maxDiff = Math.max(...o1.scores.map((s, i) => Math.abs(s - off.scores[i]!)));
  console.log(`same frames counted: ${o1.frames === off.frames}; largest per-video |Δ| ${maxDiff}; dimension ours ${aggregateVideoScores(o1.scores)} official ${aggregateVideoScores(off.scores)}`);
}
