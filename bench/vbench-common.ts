/**
 * Helpers of the VBench benchmarks (bench/vbench-semantic.ts, bench/vbench-quality.ts): models opened as `genbench evaluate` opens them or as the parity tests do, the scheduler
 * evaluate uses, medians, synthetic videos, and a child process's peak memory.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dimension, DimensionContext, SampleRef } from '../src/core/contracts.ts';
import { runInFlight } from '../src/core/score-dimension.ts';
import { ffmpegPath } from '../src/media/ffmpeg.ts';
import { createSession } from '../src/runtime/session.ts';
import type { ModelHandle } from '../src/runtime/model-handle.ts';
import { fileModelContext } from '../tests/helpers/model-context.ts';

/** A model: its ONNX file and, where the contract has them, companion files by registry name (tokenizer.json). */
export interface ModelFile {
  path: string;
  files?: Record<string, string>;
}

/** Models from local files, opened as evaluate opens them (createSession: the cpu graph rewrite, worker sessions where they help). */
export function sessionModelContext(models: Record<string, ModelFile>, threads?: number): DimensionContext<ModelHandle> {
  return {
    device: 'cpu',
    log() {},
    models: {
      async get(id: string) {
        const m = models[id];
        if (!m) throw new Error(`no model file for ${id}`);
        return { id, sha256: id, session: await createSession(m.path, { threads }), ...(m.files ? { files: m.files } : {}) };
      },
    },
  };
}

/** The parity tests' way: the ONNX file as is, one main-thread session with `threads` intra-op threads. */
export function plainModelContext(models: Record<string, ModelFile>, threads = 1): DimensionContext<ModelHandle> {
  const entries = Object.entries(models);
  return fileModelContext(
    Object.fromEntries(entries.map(([id, m]) => [id, m.path])),
    threads,
    Object.fromEntries(entries.flatMap(([id, m]) => (m.files ? [[id, m.files]] : []))),
  );
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Scores `samples` with evaluate's scheduler (`concurrency` in flight, the next ones prefetched); records in sample order. */
export async function scoreSamples(dim: Dimension, samples: readonly SampleRef[], ctx: DimensionContext, concurrency: number): Promise<{ seconds: number; frames: number; records: { value: unknown; extra: unknown }[] }> {
  const records: { value: unknown; extra: unknown }[] = new Array(samples.length);
  let frames = 0;
  const t0 = performance.now();
  await runInFlight(
    samples.map((sample, i) => ({ sample, i })),
    concurrency,
    async ({ sample, i }) => {
      const r = await dim.scoreSample(sample, ctx);
      frames += Number(r.extra?.['frames'] ?? r.extra?.['frames_read'] ?? 0);
      records[i] = { value: r.value, extra: r.extra };
    },
    dim.prefetch ? ({ sample }) => dim.prefetch!(sample) : undefined,
  );
  return { seconds: (performance.now() - t0) / 1000, frames, records };
}

/** Largest |ours − official| over the records (booleans: 0 when equal, 1 when not; NaN: Infinity). */
export function maxDeviation(records: readonly { value: unknown }[], official: readonly (number | boolean)[]): number {
  let worst = 0;
  records.forEach((r, i) => {
    const theirs = official[i];
    const d = typeof theirs === 'boolean' ? (r.value === theirs ? 0 : 1) : Math.abs(Number(r.value) - Number(theirs));
    worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
  });
  return worst;
}

/** An H.264 testsrc2 video of `frames` frames at `size` (e.g. 1280x720), 25 fps. */
export function makeTestVideo(dir: string, name: string, size: string, frames: number): string {
  const out = join(dir, name);
  execFileSync(ffmpegPath(), ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25`, '-frames:v', String(frames), '-pix_fmt', 'yuv420p', '-c:v', 'libx264', out]);
  return out;
}

/** This process's own peak resident memory in KiB (VmHWM; getrusage's maxrss would carry over a forking parent's). */
export function ownPeakRssKiB(): number {
  const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return hwm ? Number(hwm[1]) : process.resourceUsage().maxRSS;
}
