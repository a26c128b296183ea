import { readFileSync } from 'node:fs';
import type { GeneratorInfo } from '../core/provenance.ts';
import { join } from 'node:path';
import { Command } from 'commander';
import { createProgress } from '../core/progress.ts';
import { defaultRunDir } from './run-summary.ts';
import { GenbenchError } from '../core/errors.ts';
import { acquireDirLock } from '../core/dir-lock.ts';
import { ensureDeviceAvailable } from './device-check.ts';
import { runEvaluate } from './evaluate.ts';
import type { EvaluateOpts } from './evaluate-options.ts';
import type { GeneratorEntry } from '../generate/contract.ts';
import { findModel } from '../generate/registry.ts';
import { BENCHMARK_SUITES, isBenchmarkSuite, type BenchmarkSuite } from '../prompts/prompt-sets.ts';
import { notImplemented, parsePositiveInt, withExamples } from './common.ts';
import { addEvaluationOptions, withSamplesFolder } from './evaluation-options.ts';

/** bench takes evaluate's options, with the model instead of the samples folder. */
interface BenchOpts extends Omit<EvaluateOpts, 'videos' | 'images'> {
  model: string;
  limit?: number;
  checkpointDir?: string;
  revision?: string;
}

export function benchCommand(): Command {
  const cmd = new Command('bench')
    .description('Generate what is missing, evaluate, aggregate and report in one go; re-running the same command resumes')
    .requiredOption('--model <model>', 'nova-osp480 | nova-sd512 | folder:DIR (samples already on disk) | cmd:"…"')
    .option('--limit <n>', 'only the first N prompts', parsePositiveInt)
    .option('--checkpoint-dir <dir>', 'NOVA: a local checkpoint folder (Hugging Face layout) instead of downloading')
    .option('--revision <commit>', 'NOVA: the checkpoint repository commit to download');
  // The options evaluate has too (one builder): the samples come from --model, so no input flags.
  addEvaluationOptions(cmd, {
    inputs: false,
    help: {
      mode: 'VBench mode (default: standard for a NOVA model, which generates VBench\'s prompt suite under its official names; custom for folder:DIR, as `genbench evaluate`)',
      shard: 'this machine\'s share of the prompts',
      out: 'run directory',
      'folder-prompts': 'GenEval folder:DIR: take each folder\'s metadata.jsonl as its prompt without checking it against the pinned prompts (recorded as promptCheck "skipped")',
    },
  });
  cmd
    .action(async (raw: Omit<BenchOpts, 'mode'> & { mode?: BenchOpts['mode'] }) => {
      const entry = findModel(raw.model);
      // One rule for both commands: samples genbench generates from the prompt suite are scored in
      // standard mode; a folder the user brings in custom mode (as `evaluate --videos`).
      const opts: BenchOpts = { ...raw, mode: raw.mode ?? (entry?.kind === 'generator' ? 'standard' : 'custom') };
      if (entry?.kind === 'folder') {
        if (opts.limit !== undefined) notImplemented(`--limit with ${entry.id}: models`, 'the VBench quality issue (standard mode)');
        const { model, limit, ...evaluateOpts } = opts;
        const folder = entry.samplesDir(model);
        process.exitCode = await runEvaluate(
          withSamplesFolder(evaluateOpts, folder),
          process.argv.slice(2),
        );
        if (process.exitCode === 0 && opts.out) {
          const { writeRunReport } = await import('../report/write-report.ts');
          for (const p of await writeRunReport(opts.out)) process.stderr.write(`report: ${p}\n`);
        }
        return;
      }
      if (entry?.kind === 'generator') {
        if (entry.planned) notImplemented(entry.planned, 'a later issue');
        process.exitCode = await benchGenerate(entry, opts);
        return;
      }
      throw new GenbenchError('E_USAGE', `unknown --model "${opts.model}"`, 'use folder:DIR, cmd:"…" or a NOVA id (genbench models list)');
    });
  return withExamples(cmd, [
    'npm run bench -- --suite vbench --model folder:./my-videos --mode custom --dimensions temporal_flickering --out results/mine',
    'npm run bench -- --suite geneval --model folder:./geneval-samples --out results/geneval-mine',
    'npm run bench -- --suite vbench --model nova-osp480 --revision <commit> --device cuda --out results/nova',
  ]);
}

/**
 * bench with a generator (NOVA): generate what is missing into RUN/samples (the generator's
 * evaluation settings), then evaluate that folder. --limit and --shard cover part of the prompt
 * set, so the evaluation then scores a partial set (as --allow-partial).
 */
async function benchGenerate(entry: GeneratorEntry, opts: BenchOpts): Promise<number> {
  if (!isBenchmarkSuite(opts.suite)) throw new GenbenchError('E_USAGE', `--suite ${opts.suite} has no prompt set to generate`, `use --model folder:DIR with samples you made, or a suite genbench generates for (${BENCHMARK_SUITES.join(', ')})`);
  const out = opts.out ?? defaultRunDir(opts.suite, `${entry.id}-${opts.mode}`);
  await ensureDeviceAvailable(opts.device);
  // One process per run: generation into RUN/samples and the evaluation of RUN are under RUN's lock.
  const lock = acquireDirLock(out, { what: 'run directory', flag: '--out' });
  try {
    return await benchGenerateLocked(entry, opts.suite, opts, out);
  } finally {
    lock.release({ removeDirIfUnused: true });
  }
}

async function benchGenerateLocked(entry: GeneratorEntry, suite: BenchmarkSuite, opts: BenchOpts, out: string): Promise<number> {
  const { model, limit, checkpointDir, revision, ...evaluateOpts } = opts;
  const samples = join(out, 'samples');
  const generator = await entry.load();
  const { runGeneration } = await import('../generate/generation-run.ts');
  const generated = await runGeneration({
    generator, model, checkpointDir, revision, suite, out: samples, limit, shard: opts.shard, device: opts.device, threads: opts.threads,
    promptsDir: opts.promptsDir, progress: createProgress({ quiet: opts.quiet }), command: process.argv.slice(2),
  });
  const partial = opts.allowPartial || limit !== undefined || opts.shard !== undefined;
  // The evaluation's run.json names the generator (checkpoint, revision, file hashes, settings, seeds).
  const generatorInfo = (JSON.parse(readFileSync(generated.provenance, 'utf8')) as { generator?: GeneratorInfo }).generator;
  const code = await runEvaluate(
    withSamplesFolder({ ...evaluateOpts, out, allowPartial: partial, generator: generatorInfo }, samples),
    process.argv.slice(2),
  );
  if (code === 0) {
    const { writeRunReport } = await import('../report/write-report.ts');
    for (const p of await writeRunReport(out)) process.stderr.write(`report: ${p}\n`);
  }
  return code;
}
