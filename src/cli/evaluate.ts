import { Command, Option } from 'commander';
import { GenbenchError } from '../core/errors.ts';
import { createProgress } from '../core/progress.ts';
import { listCustomSamples } from '../suites/vbench/custom-samples.ts';
import { listStandardSamples, parseFullInfo } from '../suites/vbench/standard-samples.ts';
import { loadPromptFile } from '../prompts/prompt-files.ts';
import type { Progress } from '../core/progress.ts';
import type { SampleRef } from '../core/contracts.ts';
import { defaultVbenchDimensions } from '../suites/vbench/dimension-registry.ts';
import { createVbenchDimensionWithOptions, describeVbenchOptions, resolveVbenchOptions } from '../suites/vbench/dimension-options.ts';
import { acquireDirLock } from '../core/dir-lock.ts';
import { ensureDeviceAvailable } from './device-check.ts';
import { checkVbenchDimensions, evaluateVbench } from '../suites/vbench/evaluate.ts';
import { defaultConcurrency, EXIT, parseDevice, parseList, parsePositiveInt, parseShardOption, printJson, withExamples } from './common.ts';
import { defaultRunDir, printRunSummary } from './run-summary.ts';
import { modelProvider } from '../runtime/models.ts';
import type { EvaluateOpts } from './evaluate-options.ts';

export function evaluateCommand(): Command {
  const cmd = new Command('evaluate')
    .description('Score existing samples (videos or images) with a suite\'s dimensions into a run directory; re-running resumes')
    .addOption(new Option('--suite <suite>', 'benchmark suite').choices(['vbench', 'geneval']).default('vbench'))
    .addOption(new Option('--mode <mode>', 'VBench mode: custom (any folder, prompt from file name) or standard').choices(['custom', 'standard']).default('custom'))
    .option('--videos <path>', 'folder of videos (or one video) to score')
    .option('--images <dir>', 'GenEval sample folder (NNNNN/metadata.jsonl, NNNNN/samples/NNNNN.png as the official generation script writes them; any digits)')
    .option('--dimensions <list>', 'comma-separated dimension ids (default: all the mode allows that are implemented)', parseList)
    .option('--out <dir>', 'run directory (default: results/<suite>-<mode>-<time>)')
    .option('--device <device>', 'execution provider for model inference: cpu, webgpu or cuda', parseDevice, 'cpu')
    .option('--shard <I/N>', 'score only shard I of N (prompts are split deterministically); combine with `genbench merge`', parseShardOption)
    .option('--concurrency <n>', `samples in flight at once (default: the number of CPU cores, ${defaultConcurrency()} here)`, parsePositiveInt)
    .option('--threads <n>', 'ONNX Runtime intra-op threads per session', parsePositiveInt)
    .option('--fixture-models', 'serve the tiny fixture models in place of the real ones: a SMOKE run, marked as such (built and imported into the model cache on first use)')
    .option('--allow-errors', 'exit 0 even when some samples have error records')
    .option('--allow-partial', 'standard mode: score even when expected videos are missing; headline scores with missing dimensions, marked partial')
    .option('--prompts-dir <dir>', 'offline: folder holding the pinned prompt files (VBench_full_info.json; GenEval\'s evaluation_metadata.jsonl and object_names.txt), else the sha256-checked cache, downloaded when missing')
    .option('--folder-prompts', 'GenEval: take each folder\'s metadata.jsonl as its prompt, as the official evaluator does, without checking it against the pinned prompts (a prompt set of your own); recorded as promptCheck "skipped" in run.json')
    .option('--options <key=value...>', `dimension settings, recorded in run.json and the record keys. VBench: KEY=VALUE (every selected dimension with that setting) or DIMENSION.KEY=VALUE: ${describeVbenchOptions()}. GenEval: the official evaluator's options (threshold=0.3 counting_threshold=0.9 max_objects=16 max_overlap=1.0 position_threshold=0.1 by default) and logits=fp16|fp32 (colour tasks; default fp16)`)
    .option('--json', 'print the scores as JSON on stdout')
    .option('--quiet', 'no progress output')
    .action(async (opts: EvaluateOpts) => {
      process.exitCode = await runEvaluate(opts, process.argv.slice(2));
    });
  return withExamples(cmd, [
    'genbench evaluate --suite vbench --mode custom --videos ./videos --dimensions temporal_flickering --out results/run1',
    'genbench evaluate --videos ./videos --out results/run1 --shard 1/4   # one of four machines',
    'genbench evaluate --videos ./videos --out results/run1               # again: resumes, redoes nothing',
    'genbench evaluate --suite geneval --images ./geneval-samples --out results/geneval1   # results.jsonl + scores.json',
    'genbench evaluate --suite geneval --images ./geneval-samples --dimensions counting,position --options counting_threshold=0.8',
    'genbench evaluate --videos ./videos --dimensions background_consistency --options cosine=fp32 --out results/cpu-ref   # CPU-made reference',
  ]);
}

export async function runEvaluate(opts: EvaluateOpts, command: string[]): Promise<number> {
  if (opts.suite === 'geneval') return (await import('./evaluate-geneval.ts')).runEvaluateGeneval(opts, command);
  if (!opts.videos) throw new GenbenchError('E_USAGE', 'missing --videos', 'pass the folder of videos to score');
  const progress = createProgress({ quiet: opts.quiet });
  let ids = opts.dimensions;
  let notImplementedNote: string | undefined;
  if (!ids) {
    const d = defaultVbenchDimensions(opts.mode);
    ids = d.available;
    if (d.notImplemented.length > 0) notImplementedNote = `note: not implemented yet, not scored: ${d.notImplemented.join(', ')}`;
  }
  checkVbenchDimensions(ids, opts.mode);
  const settings = resolveVbenchOptions(opts.options, ids);
  const dimensions = await Promise.all(ids.map((id) => createVbenchDimensionWithOptions(id, settings[id])));
  const input = opts.mode === 'standard' ? await standardInput(opts, ids, progress) : await customInput(opts.videos, progress);
  // Said once the input is known to be usable, so it never precedes an unrelated input error.
  if (notImplementedNote) progress.log(notImplementedNote);
  const out = opts.out ?? defaultRunDir('vbench', opts.mode);
  if (dimensions.some((d) => d.models.length > 0)) await ensureDeviceAvailable(opts.device);
  // One process per run directory, taken before the models load (RunDir.open takes it too).
  const lock = acquireDirLock(out, { what: 'run directory', flag: '--out', log: (m) => progress.log(m), command });
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await evaluateVbench({
      out,
      mode: opts.mode,
      ...input,
      dimensions,
      models: {},
      modelProvider: modelProvider({ device: opts.device, threads: opts.threads, useFixtures: opts.fixtureModels }),
      smoke: opts.fixtureModels === true && dimensions.some((d) => d.models.length > 0),
      device: opts.device,
      shard: opts.shard,
      concurrency: opts.concurrency ?? defaultConcurrency(),
      allowPartial: opts.allowPartial,
      generator: opts.generator,
      progress,
      command,
      signal: abort.signal,
    });
    if (opts.json) printJson({ run: result.run.root, ...result.scores });
    else printRunSummary(result.run.root, result.scores, result.errorRecords);
    if (result.errorRecords.length > 0 && !opts.allowErrors) return EXIT.sampleErrors;
    return EXIT.ok;
  } finally {
    lock.release({ removeDirIfUnused: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function customInput(videos: string, progress: Progress): Promise<{ samples: SampleRef[] }> {
  const { samples, ignored, subfolders, skipped } = await listCustomSamples(videos);
  if (ignored.length > 0) progress.log(`ignored ${ignored.length} file(s) that are not .mp4/.gif (e.g. ${ignored[0]})`);
  // Left-out input is said even with --quiet: nothing is dropped silently.
  if (subfolders.length > 0) {
    const shown = subfolders.slice(0, 5).map((f) => `${f}/`).join(', ') + (subfolders.length > 5 ? `, … ${subfolders.length - 5} more` : '');
    warn(`${subfolders.length} sub-folder(s) not scored (${shown}): custom mode reads the videos directly in --videos, as VBench does; pass a sub-folder as --videos to score it`);
  }
  for (const s of skipped) warn(`skipped ${s.name}: ${s.reason}`);
  return { samples };
}

/** An input warning on stderr, printed even with --quiet. */
export function warn(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}

const FULL_INFO = 'vbench/vbench/VBench_full_info.json';

/** Standard mode: the official file names from the pinned prompt suite, with coverage. */
async function standardInput(opts: EvaluateOpts, dims: string[], progress: Progress) {
  const file = await loadPromptFile(FULL_INFO, { promptsDir: opts.promptsDir });
  const fullInfo = parseFullInfo(file.text, file.path);
  const l = await listStandardSamples({ videosDir: opts.videos!, fullInfo, dimensions: dims });
  if (l.unexpected.length > 0) {
    progress.log(`${l.unexpected.length} video(s) match no expected name and are not scored (wrong name?), e.g. "${l.unexpected[0]}"`);
  }
  if (l.missing.length > 0) {
    const total = Object.values(l.expectedByDimension).reduce((a, b) => a + b, 0);
    const msg = `${l.missing.length} expected video(s) missing, e.g. "${l.missing[0]!.name}" (coverage ${l.samples.length}/${l.samples.length + l.missing.length} files, ${total} dimension samples expected)`;
    if (!opts.allowPartial) throw new GenbenchError('E_INPUT', msg, 'generate the missing videos, or pass --allow-partial to score what is there (scores then cover fewer prompts than VBench)');
    progress.log(`warning: ${msg}; scoring a partial set (--allow-partial)`);
  }
  return {
    samples: l.samples,
    dimensionSamples: l.byDimension,
    expectedByDimension: l.expectedByDimension,
    promptSet: { name: file.name, sha256: file.sha256, count: fullInfo.length },
  };
}
