/**
 * The options `genbench evaluate` and `genbench bench` share, added to a command in one place:
 * the suite (choices from the registry), its mode, each sample kind's input flag, dimensions,
 * `--options` (each suite's help), output, device, sharding and the run's flags.
 */
import { Command, Option } from 'commander';
import type { SampleKind } from '../core/suite-contract.ts';
import { allSuites, getSuite, suiteIds } from '../suites/registry.ts';
import { defaultConcurrency, parseDevice, parseList, parsePositiveInt, parseShardOption } from './common.ts';
import type { EvaluateOpts } from './evaluate-options.ts';

/** The input flag of each sample kind, and the EvaluateOpts field it fills. */
export const INPUT_FLAGS: Readonly<Record<SampleKind, { flag: string; arg: string; key: 'videos' | 'images' }>> = {
  video: { flag: '--videos', arg: '<path>', key: 'videos' },
  image: { flag: '--images', arg: '<dir>', key: 'images' },
};

/** The samples folder the user gave for a suite of this sample kind. */
export function inputPath(opts: Pick<EvaluateOpts, 'videos' | 'images'>, kind: SampleKind): string | undefined {
  return opts[INPUT_FLAGS[kind].key];
}

/** `opts` with `folder` as the samples folder of its suite's input flag (bench: --model folder:DIR, generated samples). */
export function withSamplesFolder<T extends { suite: string }>(opts: T, folder: string): T & Pick<EvaluateOpts, 'videos' | 'images'> {
  return { ...opts, [INPUT_FLAGS[getSuite(opts.suite).input.kind].key]: folder };
}

/** The shared options by their long name (without `--`). */
export type EvaluationOptionName =
  | 'suite' | 'mode' | 'videos' | 'images' | 'dimensions' | 'out' | 'device' | 'shard' | 'concurrency' | 'threads' | 'fixture-models'
  | 'allow-errors' | 'allow-partial' | 'prompts-dir' | 'folder-prompts' | 'options' | 'json' | 'quiet';

export interface EvaluationOptionsConfig {
  /** Add the input flags (--videos, --images); bench takes its samples from --model instead. Default true. */
  inputs?: boolean;
  /** --mode's default (evaluate: custom); undefined leaves it unset for the command to decide (bench). */
  modeDefault?: string;
  /** Help texts in place of evaluate's, by option. */
  help?: Partial<Record<EvaluationOptionName, string>>;
}

/** Add the shared options to `cmd`, in evaluate's order. */
export function addEvaluationOptions(cmd: Command, config: EvaluationOptionsConfig = {}): Command {
  const suites = allSuites();
  const help = (name: EvaluationOptionName, text: string): string => config.help?.[name] ?? text;
  const modes = [...new Set(suites.flatMap((s) => s.modes))];
  cmd.addOption(new Option('--suite <suite>', help('suite', 'benchmark suite')).choices(suiteIds()).default(suiteIds()[0]));
  const mode = new Option('--mode <mode>', help('mode', 'VBench mode: custom (any folder, prompt from file name) or standard')).choices(modes);
  cmd.addOption(config.modeDefault === undefined ? mode : mode.default(config.modeDefault));
  if (config.inputs !== false) {
    for (const kind of Object.keys(INPUT_FLAGS) as SampleKind[]) {
      const of = suites.filter((s) => s.input.kind === kind);
      if (of.length === 0) continue;
      const f = INPUT_FLAGS[kind];
      cmd.option(`${f.flag} ${f.arg}`, help(f.key, of.map((s) => s.input.help).join('; ')));
    }
  }
  return cmd
    .option('--dimensions <list>', help('dimensions', 'comma-separated dimension ids (default: all the mode allows that are implemented)'), parseList)
    .option('--out <dir>', help('out', 'run directory (default: results/<suite>-<mode>-<time>)'))
    .option('--device <device>', help('device', 'execution provider for model inference: cpu, webgpu or cuda'), parseDevice, 'cpu')
    .option('--shard <I/N>', help('shard', 'score only shard I of N (prompts are split deterministically); combine with `genbench merge`'), parseShardOption)
    .option('--concurrency <n>', help('concurrency', `samples in flight at once (default: the number of CPU cores, ${defaultConcurrency()} here)`), parsePositiveInt)
    .option('--threads <n>', help('threads', 'ONNX Runtime intra-op threads per session'), parsePositiveInt)
    .option('--fixture-models', help('fixture-models', 'serve the tiny fixture models in place of the real ones: a SMOKE run, marked as such (built and imported into the model cache on first use)'))
    .option('--allow-errors', help('allow-errors', 'exit 0 even when some samples have error records'))
    .option('--allow-partial', help('allow-partial', 'standard mode: score even when expected videos are missing; headline scores with missing dimensions, marked partial'))
    .option('--prompts-dir <dir>', help('prompts-dir', `offline: folder holding the pinned prompt files (${suites.map((s) => s.input.promptFiles).join('; ')}), else the sha256-checked cache, downloaded when missing`))
    .option('--folder-prompts', help('folder-prompts', 'GenEval: take each folder\'s metadata.jsonl as its prompt, as the official evaluator does, without checking it against the pinned prompts (a prompt set of your own); recorded as promptCheck "skipped" in run.json'))
    .option('--options <key=value...>', help('options', `dimension settings, recorded in run.json and the record keys. ${suites.map((s) => `${s.name}: ${s.options.help}`).join('. ')}`))
    .option('--json', help('json', 'print the scores as JSON on stdout'))
    .option('--quiet', help('quiet', 'no progress output'));
}
