import { Command, InvalidArgumentError, Option } from 'commander';
import { GenbenchError } from '../core/errors.ts';
import { acquireDirLock } from '../core/dir-lock.ts';
import { ensureDeviceAvailable } from './device-check.ts';
import { createProgress } from '../core/progress.ts';
import type { Shard } from '../core/shard.ts';
import type { GenerationSettingsInput } from '../generate/nova/settings.ts';
import { DEFAULT_GENERATOR, findModel } from '../generate/registry.ts';
import { BENCHMARK_SUITES, type BenchmarkSuite } from '../prompts/prompt-sets.ts';
import { EXIT, interruptSignal, notImplemented, parseDevice, parsePositiveInt, parseShardOption, printJson, withExamples } from './common.ts';
import type { Device } from '../core/contracts.ts';

export interface GenerateOpts {
  model?: string;
  checkpointDir?: string;
  revision?: string;
  suite?: BenchmarkSuite;
  prompt?: string;
  out?: string;
  limit?: number;
  shard?: Shard;
  device: Device;
  seed?: number;
  steps?: number;
  diffusionSteps?: number;
  guidance?: number;
  motionFlow?: number;
  frames?: number;
  samples?: number;
  negativePrompt?: string;
  promptVariant?: 'original' | 'rewritten';
  promptsDir?: string;
  threads?: number;
  json?: boolean;
  quiet?: boolean;
}

/** A number flag; range checks are the settings schema's (one place, named errors). */
function parseNumber(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}

/** The settings the flags set (undefined = NOVA's evaluation default). */
export function settingsFromFlags(o: GenerateOpts): GenerationSettingsInput {
  return {
    seed: o.seed,
    arSteps: o.steps,
    diffusionSteps: o.diffusionSteps,
    guidanceScale: o.guidance,
    motionFlow: o.motionFlow,
    latentFrames: o.frames,
    samplesPerPrompt: o.samples,
    negativePrompt: o.negativePrompt,
    promptVariant: o.promptVariant,
  };
}

export function generateCommand(): Command {
  const cmd = new Command('generate')
    .description('Generate a benchmark prompt set (or one prompt) with NOVA over ONNX Runtime, in the benchmark\'s own layout; re-running resumes')
    .option('--model <id>', 'NOVA checkpoint id: nova-osp480 (video) | nova-sd512 | nova-sdxl1024-w768|w1024|w1536 (images); downloaded (verified, resumable) and cached')
    .option('--checkpoint-dir <dir>', 'use a local checkpoint folder in the Hugging Face layout instead of downloading (offline; --model then optional)')
    .option('--revision <commit>', 'full 40-hex commit of the checkpoint repository to download (default: the pinned one, else the commit main points to at the folder\'s first download, printed and recorded; later runs into the folder keep it)')
    .addOption(new Option('--suite <suite>', 'prompt set: vbench ({prompt}-{i}.mp4, 5 per prompt) or geneval (NNNNN/samples/NNNNN.png, 4 per prompt)').choices(BENCHMARK_SUITES))
    .option('--prompt <text>', 'one prompt instead of a suite: {prompt}-{i}.png (image checkpoint) or .mp4 (video checkpoint)')
    .option('--out <dir>', 'output folder for the samples (records and provenance go to <dir>/genbench/)')
    .option('--limit <n>', 'only the first N prompts of the suite', parsePositiveInt)
    .option('--shard <I/N>', 'only shard I of N of the prompts (deterministic by prompt)', parseShardOption)
    .option('--device <device>', 'execution provider: cpu, webgpu or cuda', parseDevice, 'cpu')
    .option('--seed <n>', 'base seed of the Philox noise streams (default 1337)', parseNumber)
    .option('--steps <n>', 'autoregressive set-by-set steps per frame (default 128)', parseNumber)
    .option('--diffusion-steps <n>', 'diffusion steps per set (default 25)', parseNumber)
    .option('--guidance <scale>', 'classifier-free guidance scale (default 7; ≤ 1 turns guidance off)', parseNumber)
    .option('--motion-flow <v>', 'motion flow token, video checkpoints (default 5)', parseNumber)
    .option('--frames <T>', 'latent frames T (video: 1 + 4(T − 1) decoded frames; default 9 → 33 frames at 12 fps; images: 1)', parseNumber)
    .option('--samples <n>', 'samples per prompt (default: 5 VBench, 4 GenEval, 1 --prompt)', parseNumber)
    .option('--negative-prompt <text>', 'negative prompt (default: none = the learned null prompt, as NOVA\'s evaluation)')
    .addOption(new Option('--prompt-variant <variant>', 'encode the benchmark prompt or NOVA\'s rewritten (dense) one; samples are named after the benchmark prompt either way').choices(['original', 'rewritten']))
    .option('--prompts-dir <dir>', 'offline: folder holding the pinned prompt files (else the sha256-checked cache)')
    .option('--threads <n>', 'ONNX Runtime intra-op threads per session', parsePositiveInt)
    .option('--json', 'print a JSON summary on stdout')
    .option('--quiet', 'no progress output')
    .action(async (opts: GenerateOpts) => {
      process.exitCode = await runGenerate(opts, process.argv.slice(2));
    });
  return withExamples(cmd, [
    'genbench generate --model nova-osp480 --suite vbench --limit 10 --out samples/nova-vbench   # main\'s current commit, recorded',
    'genbench generate --model nova-sd512 --revision <commit> --suite geneval --device cuda --shard 1/4 --out samples/nova-geneval',
    'genbench generate --model nova-sd512 --prompt "a red cube on a blue sphere" --out out/',
    'genbench generate --checkpoint-dir ./nova-d48w1024-osp480 --suite vbench --prompt-variant rewritten --out samples/rewritten',
    'genbench generate --checkpoint-dir ./tiny --prompt "a cat" --frames 2 --steps 4 --diffusion-steps 3 --out out/   # smoke run',
  ]);
}

export async function runGenerate(opts: GenerateOpts, command: string[]): Promise<number> {
  if (!opts.model && !opts.checkpointDir) throw new GenbenchError('E_USAGE', 'missing --model or --checkpoint-dir', 'pass a NOVA checkpoint id (genbench generate --help) or a local checkpoint folder');
  // A --model no entry claims goes to NOVA, whose catalogue lookup names the known checkpoints.
  const entry = (opts.model ? findModel(opts.model) : null) ?? DEFAULT_GENERATOR;
  if (entry.kind !== 'generator' || entry.planned) notImplemented(`generate with ${entry.id}: models`, 'a later issue');
  if (!opts.out) throw new GenbenchError('E_USAGE', 'missing --out', 'pass the folder to write the samples to');
  if (!opts.suite && opts.prompt === undefined) throw new GenbenchError('E_USAGE', 'missing --suite or --prompt', `use --suite ${BENCHMARK_SUITES.join('|')}, or --prompt "…" for one prompt`);
  const progress = createProgress({ quiet: opts.quiet });
  await ensureDeviceAvailable(opts.device); // a clean error, without GPU driver noise
  // One process per output folder (two would write the same files and duplicate records).
  const lock = acquireDirLock(opts.out, { what: 'generation folder', flag: '--out', log: (m) => progress.log(m), command });
  const interrupt = interruptSignal();
  try {
    const generator = await entry.load();
    const { runGeneration } = await import('../generate/generation-run.ts');
    const r = await runGeneration({
      generator,
      model: opts.model,
      checkpointDir: opts.checkpointDir,
      revision: opts.revision,
      suite: opts.suite,
      prompt: opts.prompt,
      out: opts.out,
      limit: opts.limit,
      shard: opts.shard,
      device: opts.device,
      threads: opts.threads,
      settings: settingsFromFlags(opts),
      promptsDir: opts.promptsDir,
      progress,
      command,
      signal: interrupt.signal,
    });
    if (opts.json) printJson(r);
    else {
      process.stdout.write(`${r.out}: ${r.generated} generated, ${r.skipped} already there, ${r.planned} planned (${r.checkpoint.id}@${r.checkpoint.revision.slice(0, 12)})\n`);
      process.stdout.write(`records: ${r.records}\nprovenance: ${r.provenance}\n`);
    }
    return interrupt.signal.aborted ? EXIT.failed : EXIT.ok;
  } finally {
    lock.release({ removeDirIfUnused: true });
    interrupt.dispose();
  }
}
