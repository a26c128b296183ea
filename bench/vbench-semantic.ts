/**
 * VBench semantic dimensions appearance_style, temporal_style, overall_consistency and human_action:
 * videos per second of our implementation and of the official code on the same videos with the
 * same-architecture random-weight models, in the same run, on CPU, and their ratio. The official side
 * is each dimension's parity script in tools/parity/ (VBench.evaluate, unmodified, under Debian's
 * torch 1.13); it writes its golden, models and videos into a scratch folder here (the committed
 * goldens are not touched) and times only the official evaluate call (viclip_golden.py --time-each:
 * each official compute_<dim> call, temporal_style and overall_consistency being one evaluate). Ours
 * then scores the very files it made, listed by our standard-mode listing under their prompt names,
 * and the table gives the largest per-video |Δ| between our values and the official ones of that run
 * (booleans: 0 when equal; the run fails above 1e-4). appearance_style is scored with logits=fp32,
 * as the official code computes on a CPU.
 *
 * Two model sizes:
 *   default  the reduced architectures of the parity tests: the figure where decoding, resizing and
 *            the per-run overheads dominate;
 *   --full   the full-size architectures VBench runs (CLIP ViT-B/32 image and text towers, ViCLIP-L/14,
 *            UMT ViT-L/16 with 16 frames), random weights: the figure a user's CPU run sees, where the
 *            model runs dominate (the scripts export about 3.5 GB of ONNX; human_action's script also
 *            runs the model once more per video to design its head). --full repeats once unless
 *            --repeat says otherwise, and adds the model arithmetic per video and ours in GFLOP/s.
 *
 * Ours opens its models as `genbench evaluate` does (src/runtime/session.ts) and scores one video
 * untimed first (worker sessions load their copy on first use, once per evaluate run; the official
 * model build is inside its timing, as in a user's run, but the script's own model build is not).
 * Each case runs `--repeat` times (default 3), the official script and ours alternating; the table
 * gives medians. `--check` scores every video once more the way the parity tests do (the ONNX file
 * as is, one main-thread session, 1 thread, one video at a time) and fails unless every record is
 * identical.
 *
 * Then peak memory (max RSS of a child process) on 16- and 200-frame 1280×720 videos with the tiny
 * fixture models: frames stream, so memory must not grow with length. `--memory-dims` picks the
 * dimensions (default all four).
 *
 *   GENBENCH_TEST_PROMPTS_DIR=DIR node --import tsx bench/vbench-semantic.ts [--only appearance_style,...]
 *        [--repeat N] [--check] [--threads N] [--full] [--work DIR [--reuse]] [--no-official] [--no-memory]
 *        [--memory-dims a,b]
 *
 * Needs the pinned VBench_full_info.json (`genbench prompts fetch`, or GENBENCH_TEST_PROMPTS_DIR).
 * --threads: ONNX Runtime intra-op threads per session (default: ONNX Runtime's choice, as evaluate).
 * --work: the scratch folder (default: a new temp folder); run k of a case goes to
 *   DIR/<script>[-full]/r<k>. --reuse: where that folder already holds a golden.json, take it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fixtureModelFile } from '../tests/helpers/fixture-model-file.ts';
import { existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dimension, SampleRef } from '../src/core/contracts.ts';
import { sharedFrameTransformPool } from '../src/metrics/common/frame-transform-pool.ts';
import { CLIP_TRANSFORM } from '../src/metrics/clip/processor.ts';
import { CLIP_VIT_B32_TEXT } from '../src/metrics/clip/spec.ts';
import { VICLIP_L14_TEXT } from '../src/metrics/viclip/spec.ts';
import { appearanceStyle } from '../src/suites/vbench/appearance-style.ts';
import { humanAction } from '../src/suites/vbench/human-action.ts';
import { overallConsistency } from '../src/suites/vbench/overall-consistency.ts';
import { listStandardSamples, parseFullInfo, type FullInfoEntry } from '../src/suites/vbench/standard-samples.ts';
import { temporalStyle } from '../src/suites/vbench/temporal-style.ts';
import { readUpstreamFile } from '../tests/helpers/upstream-files.ts';
import { VBENCH_FULL_INFO } from '../tests/helpers/upstream-text.ts';
import { makeTestVideo, maxDeviation, median, ownPeakRssKiB, plainModelContext, scoreSamples, sessionModelContext, type ModelFile } from './vbench-common.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURES = join(ROOT, 'tests/fixtures');
const CLIP_TOKENIZER = { [CLIP_VIT_B32_TEXT.preprocess.tokenizer.file]: join(FIXTURES, 'clip-tokenizer-styles-reduced.json') };
const VICLIP_TOKENIZER = { [VICLIP_L14_TEXT.preprocess.tokenizer.file]: join(FIXTURES, 'viclip-tokenizer-reduced.json') };
const args = process.argv.slice(2);
const flag = (n: string) => args.includes(n);
const value = (n: string) => (args.includes(n) ? args[args.indexOf(n) + 1] : undefined);

type OfficialEntry = { video_path: string; video_results: number | boolean };

/**
 * Model arithmetic per video at full size, in GFLOP (2 per multiply-add; matrix products, convolutions
 * and attention; element-wise work left out). A pre-LN transformer layer on N tokens of width d with an
 * MLP of 4d: 24·N·d² + 4·N²·d.
 */
const layer = (n: number, d: number) => 24 * n * d * d + 4 * n * n * d;
const GFLOP = {
  // ViT-B/32 image tower per frame: 49 patches + class token, 12 layers of 768, patch conv 3072→768, proj 768→512.
  clipFrame: (12 * layer(50, 768) + 2 * 49 * 3072 * 768 + 2 * 768 * 512) / 1e9,
  // ViCLIP-L/14 video tower: 8 frames × 256 patches + 1 class token in one sequence, 24 layers of 1024, patch conv 588→1024.
  viclipVideo: (24 * layer(8 * 256 + 1, 1024) + 2 * 8 * 256 * 588 * 1024 + 2 * 1024 * 768) / 1e9,
  // UMT ViT-L/16: 16 frames × 196 patches (tubelet 1), 24 layers of 1024, patch conv 768→1024, head 1024→400.
  umtVideo: (24 * layer(16 * 196, 1024) + 2 * 16 * 196 * 768 * 1024 + 2 * 1024 * 400) / 1e9,
};

interface DimCase {
  id: string;
  make: () => Dimension;
  /** The official seconds of this dimension in a golden. */
  officialSeconds: (g: any) => number;
  /** The official per-video entries of this dimension, in the official order. */
  officialEntries: (g: any) => OfficialEntry[];
  /** Full-size model GFLOP of one scored video (its record's extra). */
  gflop: (extra: any) => number;
}

interface Case {
  script: string;
  dims: DimCase[];
  /** Script arguments that send its outputs to the scratch folder. */
  outputs: (dir: string) => string[];
  models: (dir: string) => Record<string, ModelFile>;
}

const CASES: Case[] = [
  {
    script: 'tools/parity/appearance_style_golden.py',
    dims: [
      {
        id: 'appearance_style',
        make: () => appearanceStyle.create({ logits: 'fp32' }),
        officialSeconds: (g) => g.official_seconds,
        officialEntries: (g) => g.official_eval_results.appearance_style[1],
        gflop: (x) => x.frames * GFLOP.clipFrame,
      },
    ],
    outputs: (d) => ['--out', join(d, 'golden.json'), '--models', d, '--keep', join(d, 'work')],
    models: (d) => ({
      'clip-vit-b32-image': { path: join(d, 'clip-b32-tiny-style-image.onnx') },
      'clip-vit-b32-text': { path: join(d, 'clip-b32-tiny-text.onnx'), files: CLIP_TOKENIZER },
    }),
  },
  {
    script: 'tools/parity/viclip_golden.py',
    dims: (['temporal_style', 'overall_consistency'] as const).map((id) => ({
      id,
      make: () => (id === 'temporal_style' ? temporalStyle : overallConsistency).create(),
      officialSeconds: (g: any) => g.official_seconds_by_dimension[id],
      officialEntries: (g: any) => g.dimensions[id].official_eval_results[1],
      gflop: () => GFLOP.viclipVideo,
    })),
    outputs: (d) => ['--out', join(d, 'golden.json'), '--models', d, '--keep', join(d, 'work'), '--time-each'],
    models: (d) => ({
      'viclip-l14-video': { path: join(d, 'viclip-tiny-video.onnx') },
      'viclip-l14-text': { path: join(d, 'viclip-tiny-text.onnx'), files: VICLIP_TOKENIZER },
    }),
  },
  {
    script: 'tools/parity/umt_golden.py',
    dims: [
      {
        id: 'human_action',
        make: () => humanAction.create(),
        officialSeconds: (g) => g.official_seconds,
        officialEntries: (g) => g.official_eval_results.human_action[1],
        gflop: () => GFLOP.umtVideo,
      },
    ],
    outputs: (d) => ['--out', join(d, 'golden.json'), '--models', d, '--keep', join(d, 'work')],
    models: (d) => ({ 'umt-vit-l16-k400': { path: join(d, 'umt-tiny.onnx') } }),
  },
];

let fullInfo: FullInfoEntry[] | undefined;
function info(): FullInfoEntry[] {
  return (fullInfo ??= parseFullInfo(readUpstreamFile(VBENCH_FULL_INFO), VBENCH_FULL_INFO));
}

/** `VIDEOS/{{vbench-prompt:i}}-k.mp4` → the file name under its prompt. */
function officialName(videoPath: string): string {
  return basename(videoPath).replace(/\{\{vbench-prompt:(\d+)\}\}/g, (_, i: string) => info()[Number(i)]!.prompt_en);
}

async function throughput(): Promise<void> {
  const only = value('--only')?.split(',');
  const full = flag('--full');
  const repeat = Math.max(1, Number(value('--repeat') ?? (full ? 1 : 3)));
  const threads = value('--threads') ? Number(value('--threads')) : undefined;
  const work = value('--work') ?? mkdtempSync(join(tmpdir(), 'gb-bench-semantic-'));
  // The transform workers start once per process; start them before timing.
  const pool = sharedFrameTransformPool();
  const warm = { width: 32, height: 32, data: new Uint8Array(32 * 32 * 3) };
  await Promise.all(Array.from({ length: 2 * pool.size }, () => pool.run(CLIP_TRANSFORM, warm)));
  const concurrency = Math.max(1, cpus().length);
  console.log(`VBench semantic dimensions, ours vs official (same videos, same ${full ? 'full-size' : 'reduced'} random-weight models, CPU, ${cpus().length} cores; medians of ${repeat} alternating runs)`);
  console.log(`| dimension | videos | frames | ours videos/s (${concurrency} in flight) | official videos/s | ratio | ours runs (s) | official runs (s) | max per-video \|Δ\| vs official |${full ? ' model GFLOP | ours GFLOP/s |' : ''}`);
  console.log(`|---|---:|---:|---:|---:|---:|---|---|---:|${full ? '---:|---:|' : ''}`);
  for (const c of CASES) {
    const dims = c.dims.filter((d) => !only || only.includes(d.id));
    if (dims.length === 0) continue;
    const caseDir = join(work, basename(c.script, '.py') + (full ? '-full' : ''));
    const ours = new Map<string, number[]>(dims.map((d) => [d.id, []]));
    const official = new Map<string, number[]>(dims.map((d) => [d.id, []]));
    const deviation = new Map<string, number>(dims.map((d) => [d.id, 0]));
    const made = new Map<string, { dim: Dimension; ctx: ReturnType<typeof sessionModelContext>; samples: SampleRef[]; frames: number; gflop: number; records?: { value: unknown; extra: unknown }[] }>();
    const modelDir = join(caseDir, 'r0');
    for (let r = 0; r < repeat; r++) {
      const runDir = join(caseDir, `r${r}`);
      if (!(flag('--reuse') && existsSync(join(runDir, 'golden.json')))) {
        mkdirSync(runDir, { recursive: true });
        const t0 = performance.now();
        execFileSync('/usr/bin/python3', [join(ROOT, c.script), ...c.outputs(runDir), ...(full ? ['--full'] : [])], { stdio: ['ignore', 'ignore', 'inherit'] });
        process.stderr.write(`# ${c.script}${full ? ' --full' : ''} run ${r}: ${((performance.now() - t0) / 1000).toFixed(1)} s in all\n`);
      }
      const golden = JSON.parse(await readFile(join(runDir, 'golden.json'), 'utf8'));
      const listing = await listStandardSamples({ videosDir: join(runDir, 'work', 'videos'), fullInfo: info(), dimensions: dims.map((d) => d.id) });
      for (const d of dims) {
        official.get(d.id)!.push(d.officialSeconds(golden));
        const samples = listing.byDimension[d.id]!;
        const entries = d.officialEntries(golden);
        if (JSON.stringify(samples.map((s) => basename(s.path))) !== JSON.stringify(entries.map((e) => officialName(e.video_path)))) {
          throw new Error(`${d.id}: our standard-mode listing of ${runDir} is not the official order of videos`);
        }
        let m = made.get(d.id);
        if (!m) {
          // Sessions (and their worker threads) are made once per case, before timing; one video untimed first.
          const ctx = sessionModelContext(c.models(modelDir), threads);
          const dim = d.make();
          for (const id of dim.models) await ctx.models!.get(id);
          await scoreSamples(dim, samples.slice(0, 1), ctx, 1);
          m = { dim, ctx, samples, frames: 0, gflop: 0 };
          made.set(d.id, m);
        }
        const run = await scoreSamples(m.dim, samples, m.ctx, concurrency);
        ours.get(d.id)!.push(run.seconds);
        m.frames = run.frames;
        m.records = run.records;
        m.gflop = run.records.reduce((s, x) => s + d.gflop(x.extra), 0);
        deviation.set(d.id, Math.max(deviation.get(d.id)!, maxDeviation(run.records, entries.map((e) => e.video_results))));
      }
    }
    for (const d of dims) {
      const m = made.get(d.id)!;
      const n = m.samples.length;
      const o = median(ours.get(d.id)!);
      const f = median(official.get(d.id)!);
      const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
      const dev = deviation.get(d.id)!;
      const flops = full ? ` ${m.gflop.toFixed(0)} | ${(m.gflop / o).toFixed(1)} |` : '';
      console.log(`| ${d.id} | ${n} | ${m.frames} | ${(n / o).toFixed(2)} | ${(n / f).toFixed(2)} | ${(f / o).toFixed(2)}× | ${list(ours.get(d.id)!)} | ${list(official.get(d.id)!)} | ${dev.toExponential(1)} |${flops}`);
      if (!(dev <= 1e-4)) process.exitCode = 1;
      if (flag('--check')) {
        const reference = await scoreSamples(d.make(), m.samples, plainModelContext(c.models(modelDir), 1), 1);
        const same = JSON.stringify(reference.records) === JSON.stringify(m.records);
        console.log(`|   ${d.id} records vs the parity tests' way | ${same ? 'identical' : 'DIFFERENT'} |`);
        if (!same) process.exitCode = 1;
      }
    }
  }
}

/** Each dimension with the committed tiny fixture models, and a standard-mode sample for a video. */
const MEMORY_DIMS: Record<string, { make: () => Dimension; models: Record<string, ModelFile>; sample: (path: string) => SampleRef }> = {
  appearance_style: {
    make: () => appearanceStyle.create({ logits: 'fp32' }),
    models: {
      'clip-vit-b32-image': { path: join(FIXTURES, 'models/clip-b32-tiny-style-image.onnx') },
      'clip-vit-b32-text': { path: fixtureModelFile(join(FIXTURES, 'models/clip-b32-tiny-text.onnx')), files: CLIP_TOKENIZER },
    },
    sample: (path) => {
      const e = info().find((x) => x.dimension.includes('appearance_style'))!;
      return { id: basename(path), path, prompt: e.prompt_en, contentSha256: '', auxiliary: e.auxiliary_info };
    },
  },
  ...Object.fromEntries(
    (['temporal_style', 'overall_consistency'] as const).map((id) => [
      id,
      {
        make: () => (id === 'temporal_style' ? temporalStyle : overallConsistency).create(),
        models: {
          'viclip-l14-video': { path: join(FIXTURES, 'models/viclip-tiny-video.onnx') },
          'viclip-l14-text': { path: join(FIXTURES, 'models/viclip-tiny-text.onnx'), files: VICLIP_TOKENIZER },
        },
        sample: (path: string) => ({ id: basename(path), path, prompt: info().find((x) => x.dimension.includes(id))!.prompt_en, contentSha256: '' }),
      },
    ]),
  ),
  human_action: {
    make: () => humanAction.create(),
    models: { 'umt-vit-l16-k400': { path: join(FIXTURES, 'models/umt-tiny.onnx') } },
    sample: (path) => ({ id: basename(path), path, prompt: '', contentSha256: '' }),
  },
};

async function memoryChild(id: string, video: string): Promise<void> {
  const spec = MEMORY_DIMS[id]!;
  const r = await spec.make().scoreSample(spec.sample(video), sessionModelContext(spec.models));
  process.stdout.write(JSON.stringify({ frames: r.extra?.['frames'], maxRssKiB: ownPeakRssKiB() }));
  process.exit(0); // idle workers would end anyway; do not wait for them
}

function memory(): void {
  const dir = mkdtempSync(join(tmpdir(), 'gb-bench-mem-'));
  // human_action takes its label from the file name: a Kinetics-400 class keeps the log quiet.
  const cases = [makeTestVideo(dir, 'a person is dancing-720p-16f.mp4', '1280x720', 16), makeTestVideo(dir, 'a person is dancing-720p-200f.mp4', '1280x720', 200)];
  const ids = (value('--memory-dims') ?? Object.keys(MEMORY_DIMS).join(',')).split(',');
  console.log('\nPeak memory (max RSS of a fresh process, tiny fixture models, 1280×720 H.264):');
  for (const id of ids) {
    if (!MEMORY_DIMS[id]) throw new Error(`--memory-dims: unknown dimension ${id} (known: ${Object.keys(MEMORY_DIMS).join(', ')})`);
    const parts: string[] = [];
    for (const v of cases) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--memory-child', id, v], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
      const m = JSON.parse(r.stdout) as { frames: number; maxRssKiB: number };
      parts.push(`${m.frames} frames: ${(m.maxRssKiB / 1024).toFixed(0)} MiB (file ${(statSync(v).size / 1024).toFixed(0)} KiB, ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    console.log(`  ${id}: ${parts.join('; ')}`);
  }
}

if (flag('--help') || flag('-h')) {
  const source = await readFile(fileURLToPath(import.meta.url), 'utf8');
  const header = source.slice(source.indexOf('/**') + 3, source.indexOf('*/'));
  console.log(header.split('\n').map((l) => l.replace(/^ \* ?/, '')).join('\n').trim());
} else if (flag('--memory-child')) {
  await memoryChild(value('--memory-child')!, args[args.indexOf('--memory-child') + 2]!);
} else {
  if (!flag('--no-official')) await throughput();
  if (!flag('--no-memory')) memory();
}
