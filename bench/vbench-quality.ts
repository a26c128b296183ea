/**
 * VBench quality dimensions: videos per second of our implementation and of the official code on
 * the same videos with the same-architecture (reduced, random-weight) models, in the same run,
 * on CPU, and their ratio. The official side is each dimension's parity script in tools/parity/
 * (the official VBench functions under Debian's torch 1.13); it writes its goldens, models and
 * videos into a scratch folder here (the committed goldens are not touched) and times only the
 * official scoring call. Ours then scores the very files it made.
 *
 * Then peak memory (max RSS of a child process) of subject_consistency on a 16-frame 512×320
 * video and on a 200-frame 1280×720 video: frames stream, so memory must not grow with length.
 *
 *   node --import tsx bench/vbench-quality.ts [--only subject_consistency,...] [--threads N] [--no-official] [--no-memory]
 *
 * --threads: ONNX Runtime intra-op threads per session (default: ONNX Runtime's choice, as evaluate).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir, cpus } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ffmpegPath } from '../src/media/ffmpeg.ts';
import { createAestheticQualityDimension } from '../src/suites/vbench/aesthetic-quality.ts';
import { createBackgroundConsistencyDimension } from '../src/suites/vbench/background-consistency.ts';
import { createDynamicDegreeDimension } from '../src/suites/vbench/dynamic-degree.ts';
import { createImagingQualityDimension } from '../src/suites/vbench/imaging-quality.ts';
import { createMotionSmoothnessDimension } from '../src/suites/vbench/motion-smoothness.ts';
import { createSubjectConsistencyDimension } from '../src/suites/vbench/subject-consistency.ts';
import { sharedFrameTransformPool } from '../src/suites/vbench/frame-transform-pool.ts';
import type { Dimension } from '../src/suites/types.ts';
import { fileModelContext, sampleOf } from '../tests/helpers/model-context.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MEDIA = join(ROOT, '../shared/data/media');
const args = process.argv.slice(2);
const flag = (n: string) => args.includes(n);
const value = (n: string) => (args.includes(n) ? args[args.indexOf(n) + 1] : undefined);

interface Case {
  dimensions: { id: string; make: () => Dimension; officialSeconds: (golden: any) => number }[];
  script: string;
  /** Script arguments that send its outputs to the scratch folder. */
  outputs: (dir: string) => string[];
  models: (dir: string) => Record<string, string>;
  videos: (golden: any) => string[];
}

const CASES: Case[] = [
  {
    dimensions: [{ id: 'subject_consistency', make: createSubjectConsistencyDimension, officialSeconds: (g) => g.official_seconds }],
    script: 'tools/parity/subject_consistency_golden.py',
    outputs: (d) => ['--out', join(d, 'golden.json'), '--onnx', join(d, 'dino.onnx'), '--keep', join(d, 'videos')],
    models: (d) => ({ 'dino-vitb16': join(d, 'dino.onnx') }),
    videos: (g) => g.videos.map((v: any) => v.video as string),
  },
  {
    dimensions: [
      { id: 'background_consistency', make: () => createBackgroundConsistencyDimension({ cosine: 'fp32' }), officialSeconds: (g) => g.official_seconds.background_consistency },
      { id: 'aesthetic_quality', make: createAestheticQualityDimension, officialSeconds: (g) => g.official_seconds.aesthetic_quality },
    ],
    script: 'tools/parity/clip_consistency_aesthetic_golden.py',
    outputs: (d) => ['--out', join(d, 'golden.json'), '--models', d, '--keep', join(d, 'videos')],
    models: (d) => ({
      'clip-vit-b32-image': join(d, 'clip-b32-tiny.onnx'),
      'clip-vit-l14-image': join(d, 'clip-l14-tiny.onnx'),
      'laion-aesthetic-vit-l14': join(d, 'laion-head-tiny.onnx'),
    }),
    videos: (g) => g.videos.map((v: any) => v.video as string),
  },
  {
    dimensions: [{ id: 'motion_smoothness', make: createMotionSmoothnessDimension, officialSeconds: (g) => g.official_seconds }],
    script: 'tools/parity/amt_motion_smoothness_golden.py',
    outputs: (d) => ['--out', join(d, 'golden.json'), '--onnx', join(d, 'amt.onnx'), '--keep', join(d, 'videos')],
    models: (d) => ({ 'amt-s': join(d, 'amt.onnx') }),
    videos: (g) => g.videos.map((v: any) => v.file as string),
  },
  {
    // The official loop is given the first 12 frames of each video (the parity script's decord stand-in); ours scores the same 12.
    dimensions: [{ id: 'imaging_quality', make: () => createImagingQualityDimension({ firstFrames: 12 }), officialSeconds: (g) => g.official_seconds }],
    script: 'tools/parity/musiq_imaging_quality_golden.py',
    outputs: (d) => ['--out', join(d, 'golden.json'), '--onnx', join(d, 'musiq.onnx'), '--keep', join(d, 'videos')],
    models: (d) => ({ 'musiq-spaq': join(d, 'musiq.onnx') }),
    videos: (g) => g.videos.map((v: any) => v.video as string),
  },
  {
    dimensions: [{ id: 'dynamic_degree', make: createDynamicDegreeDimension, officialSeconds: (g) => g.official_seconds }],
    script: 'tools/parity/raft_dynamic_golden.py',
    outputs: (d) => ['--out', join(d, 'golden.json'), '--onnx', join(d, 'raft.onnx'), '--keep', join(d, 'videos')],
    models: (d) => ({ 'raft-things': join(d, 'raft.onnx') }),
    videos: (g) => g.videos.map((v: any) => v.name as string),
  },
];

function findFile(dir: string, name: string): string | undefined {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) {
      const f = findFile(p, name);
      if (f) return f;
    } else if (e === name) return p;
  }
  return undefined;
}

function resolveVideo(ref: string, dir: string): string {
  const name = ref.includes(':') ? ref.slice(ref.indexOf(':') + 1) : ref;
  if (ref.startsWith('media:')) return join(MEDIA, name);
  const p = findFile(dir, basename(name));
  if (!p) throw new Error(`the parity script did not leave ${name} in ${dir}`);
  return p;
}

async function throughput(): Promise<void> {
  const only = value('--only')?.split(',');
  // The transform workers start once per process (about half a second); start them before timing.
  const pool = sharedFrameTransformPool();
  const warm = { width: 32, height: 32, data: new Uint8Array(32 * 32 * 3) };
  await Promise.all(Array.from({ length: 2 * pool.size }, () => pool.run('clip', warm)));
  console.log(`VBench quality dimensions, ours vs official (same videos, same reduced models, CPU, ${cpus().length} cores)`);
  console.log(`| dimension | videos | frames | ours videos/s (${Math.max(1, cpus().length)} in flight) | official videos/s | ratio |`);
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const c of CASES) {
    const dims = c.dimensions.filter((d) => !only || only.includes(d.id));
    if (dims.length === 0) continue;
    const dir = mkdtempSync(join(tmpdir(), 'gb-bench-quality-'));
    execFileSync('/usr/bin/python3', [join(ROOT, c.script), ...c.outputs(dir)], { stdio: ['ignore', 'ignore', 'inherit'] });
    const golden = JSON.parse(await readFile(join(dir, 'golden.json'), 'utf8'));
    const videos = c.videos(golden).map((v) => resolveVideo(v, join(dir, 'videos')));
    for (const d of dims) {
      const dim = d.make();
      const threads = value('--threads');
      const ctx = fileModelContext(c.models(dir), threads ? Number(threads) : undefined);
      for (const id of dim.models) await ctx.models!.get(id); // sessions are made once per run, before timing
      // As `genbench evaluate` runs them: `cores` videos in flight (decoding and model runs overlap).
      const concurrency = Math.max(1, cpus().length);
      let frames = 0;
      let next = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          for (let i = next++; i < videos.length; i = next++) {
            const r = await dim.scoreSample(sampleOf(videos[i]!), ctx);
            frames += Number(r.extra?.['frames'] ?? 0);
          }
        }),
      );
      const ours = (performance.now() - t0) / 1000;
      const official = d.officialSeconds(golden);
      const n = videos.length;
      console.log(`| ${d.id} | ${n} | ${frames || '–'} | ${(n / ours).toFixed(2)} | ${(n / official).toFixed(2)} | ${(official / ours).toFixed(2)}× |`);
    }
  }
}

function makeVideo(dir: string, name: string, size: string, frames: number): string {
  const out = join(dir, name);
  execFileSync(ffmpegPath(), ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25`, '-frames:v', String(frames), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', out]);
  return out;
}

async function memoryChild(video: string): Promise<void> {
  const dim = createSubjectConsistencyDimension();
  const ctx = fileModelContext({ 'dino-vitb16': join(ROOT, 'tests/fixtures/models/dino-subject-tiny.onnx') });
  const r = await dim.scoreSample(sampleOf(video), ctx);
  process.stdout.write(JSON.stringify({ frames: r.extra?.['frames'], maxRssKiB: process.resourceUsage().maxRSS }));
}

function memory(): void {
  const dir = mkdtempSync(join(tmpdir(), 'gb-bench-mem-'));
  const cases = [makeVideo(dir, 'short-512x320-16f.mp4', '512x320', 16), makeVideo(dir, 'long-1280x720-200f.mp4', '1280x720', 200)];
  console.log('\nsubject_consistency peak memory (max RSS of a fresh process, tiny DINO):');
  for (const v of cases) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--memory-child', v], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    const m = JSON.parse(r.stdout) as { frames: number; maxRssKiB: number };
    const raw = (statSync(v).size / 1024).toFixed(0);
    console.log(`  ${basename(v)}: ${m.frames} frames, peak RSS ${(m.maxRssKiB / 1024).toFixed(0)} MiB (file ${raw} KiB)`);
  }
}

if (flag('--memory-child')) {
  await memoryChild(value('--memory-child')!);
} else {
  if (!flag('--no-official')) await throughput();
  if (!flag('--no-memory')) memory();
}
