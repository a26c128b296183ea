import { Command, Option } from 'commander';
import { GenbenchError } from '../core/errors.ts';
import { createProgress } from '../core/progress.ts';
import type { Shard } from '../core/shard.ts';
import { listCustomSamples } from '../suites/vbench/custom-samples.ts';
import { createVbenchDimension, defaultVbenchDimensions } from '../suites/vbench/dimension-registry.ts';
import { checkVbenchDimensions, evaluateVbench } from '../suites/vbench/evaluate.ts';
import { defaultConcurrency, EXIT, notImplemented, parseDevice, parseList, parsePositiveInt, parseShardOption, printJson, withExamples, type Device } from './common.ts';
import { defaultRunDir, printRunSummary } from './run-summary.ts';

interface EvaluateOpts {
  suite: 'vbench' | 'geneval';
  mode: 'custom' | 'standard';
  videos?: string;
  images?: string;
  dimensions?: string[];
  out?: string;
  device: Device;
  shard?: Shard;
  concurrency: number;
  allowErrors?: boolean;
  allowPartial?: boolean;
  json?: boolean;
  quiet?: boolean;
}

export function evaluateCommand(): Command {
  const cmd = new Command('evaluate')
    .description('Score existing samples (videos or images) with a suite\'s dimensions into a run directory; re-running resumes')
    .addOption(new Option('--suite <suite>', 'benchmark suite').choices(['vbench', 'geneval']).default('vbench'))
    .addOption(new Option('--mode <mode>', 'VBench mode: custom (any folder, prompt from file name) or standard').choices(['custom', 'standard']).default('custom'))
    .option('--videos <path>', 'folder of videos (or one video) to score')
    .option('--images <dir>', 'GenEval sample folder (NNNNN/metadata.jsonl, NNNNN/samples/NNNN.png)')
    .option('--dimensions <list>', 'comma-separated dimension ids (default: all the mode allows that are implemented)', parseList)
    .option('--out <dir>', 'run directory (default: results/<suite>-<mode>-<time>)')
    .option('--device <device>', 'execution provider for model inference: cpu, webgpu or cuda', parseDevice, 'cpu')
    .option('--shard <I/N>', 'score only shard I of N (prompts are split deterministically); combine with `genbench merge`', parseShardOption)
    .option('--concurrency <n>', 'samples in flight at once (default: half the CPU cores, at least 1)', parsePositiveInt, defaultConcurrency())
    .option('--allow-errors', 'exit 0 even when some samples have error records')
    .option('--allow-partial', 'print headline scores (Quality/Semantic/Total) with missing dimensions, marked partial')
    .option('--json', 'print the scores as JSON on stdout')
    .option('--quiet', 'no progress output')
    .action(async (opts: EvaluateOpts) => {
      process.exitCode = await runEvaluate(opts, process.argv.slice(2));
    });
  return withExamples(cmd, [
    'genbench evaluate --suite vbench --mode custom --videos ./videos --dimensions temporal_flickering --out results/run1',
    'genbench evaluate --videos ./videos --out results/run1 --shard 1/4   # one of four machines',
    'genbench evaluate --videos ./videos --out results/run1               # again: resumes, redoes nothing',
  ]);
}

export async function runEvaluate(opts: EvaluateOpts, command: string[]): Promise<number> {
  if (opts.suite === 'geneval') notImplemented('GenEval evaluation', 'the GenEval issue');
  if (opts.mode === 'standard') notImplemented('VBench standard mode (prompt-suite file names, coverage)', 'the VBench quality issue');
  if (!opts.videos) throw new GenbenchError('E_USAGE', 'missing --videos', 'pass the folder of videos to score');
  const progress = createProgress({ quiet: opts.quiet });
  let ids = opts.dimensions;
  if (!ids) {
    const d = defaultVbenchDimensions(opts.mode);
    ids = d.available;
    if (d.notImplemented.length > 0) progress.log(`note: not implemented yet, not scored: ${d.notImplemented.join(', ')}`);
  }
  checkVbenchDimensions(ids, opts.mode);
  const dimensions = await Promise.all(ids.map((id) => createVbenchDimension(id)));
  const { samples, ignored } = await listCustomSamples(opts.videos);
  if (ignored.length > 0) progress.log(`ignored ${ignored.length} files that are not .mp4/.gif (e.g. ${ignored[0]})`);
  const out = opts.out ?? defaultRunDir('vbench', opts.mode);
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await evaluateVbench({
      out,
      mode: opts.mode,
      samples,
      dimensions,
      models: {},
      device: opts.device,
      shard: opts.shard,
      concurrency: opts.concurrency,
      allowPartial: opts.allowPartial,
      progress,
      command,
      signal: abort.signal,
    });
    if (opts.json) printJson({ run: result.run.root, ...result.scores });
    else printRunSummary(result.run.root, result.scores, result.errorRecords);
    if (result.errorRecords.length > 0 && !opts.allowErrors) return EXIT.sampleErrors;
    return EXIT.ok;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
