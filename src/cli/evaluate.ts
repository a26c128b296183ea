/**
 * `genbench evaluate`: wiring only. The suite is looked up in the registry; it lists the samples,
 * builds its dimensions and finalizes the scores, and the evaluation itself is core's (evaluate-run.ts).
 */
import { Command } from 'commander';
import { acquireDirLock } from '../core/dir-lock.ts';
import { GenbenchError } from '../core/errors.ts';
import { createProgress } from '../core/progress.ts';
import type { SuiteInputRequest } from '../core/suite-contract.ts';
import { modelProvider } from '../runtime/models.ts';
import { getSuite } from '../suites/registry.ts';
import { defaultConcurrency, EXIT, interruptSignal, printJson, withExamples } from './common.ts';
import { ensureDeviceAvailable } from './device-check.ts';
import type { EvaluateOpts } from './evaluate-options.ts';
import { addEvaluationOptions, INPUT_FLAGS, inputPath } from './evaluation-options.ts';
import { defaultRunDir, printRunSummary } from './run-summary.ts';

export function evaluateCommand(): Command {
  const cmd = addEvaluationOptions(
    new Command('evaluate').description('Score existing samples (videos or images) with a suite\'s dimensions into a run directory; re-running resumes'),
    { modeDefault: 'custom' },
  ).action(async (opts: EvaluateOpts) => {
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

/** An input warning on stderr, printed even with --quiet. */
function warn(message: string): void {
  process.stderr.write(`warning: ${message}\n`);
}

export async function runEvaluate(opts: EvaluateOpts, command: string[]): Promise<number> {
  const suite = getSuite(opts.suite);
  const path = inputPath(opts, suite.input.kind);
  if (!path) throw new GenbenchError('E_USAGE', `missing ${INPUT_FLAGS[suite.input.kind].flag}`, suite.input.missingHint);
  const progress = createProgress({ quiet: opts.quiet });
  // A suite with one mode (GenEval: standard) takes it whatever --mode says.
  const mode = suite.modes.includes(opts.mode) ? opts.mode : suite.modes[0]!;
  const selected = suite.dimensions.select(opts.dimensions, mode);
  const settings = suite.options.parse(opts.options, selected.ids);
  const request: SuiteInputRequest = {
    path,
    mode,
    dimensionIds: selected.ids,
    promptsDir: opts.promptsDir,
    folderPrompts: opts.folderPrompts,
    allowPartial: opts.allowPartial,
    progress,
    warn,
  };
  const prompts = await suite.input.loadPrompts(request);
  const dimensions = await suite.dimensions.create(selected.ids, settings, prompts);
  const input = await suite.input.list(request, prompts);
  // Said once the input is known to be usable, so it never precedes an unrelated input error.
  for (const note of selected.notes) progress.log(note);
  const out = opts.out ?? defaultRunDir(suite.id, mode);
  const usesModels = dimensions.some((d) => d.models.length > 0);
  if (usesModels) await ensureDeviceAvailable(opts.device);
  // One process per run directory, taken before the models load (RunDir.open takes it too).
  const lock = acquireDirLock(out, { what: 'run directory', flag: '--out', log: (m) => progress.log(m), command });
  const interrupt = interruptSignal();
  try {
    const { evaluateRun } = await import('../core/evaluate-run.ts');
    const result = await evaluateRun({
      suite,
      out,
      mode,
      ...input,
      dimensions,
      modelProvider: modelProvider({ device: opts.device, threads: opts.threads, useFixtures: opts.fixtureModels }),
      smoke: opts.fixtureModels === true && usesModels,
      device: opts.device,
      shard: opts.shard,
      concurrency: opts.concurrency ?? defaultConcurrency(),
      allowPartial: opts.allowPartial,
      generator: opts.generator,
      progress,
      command,
      signal: interrupt.signal,
    });
    if (opts.json) printJson({ run: result.run.root, ...result.scores });
    else if (suite.evaluationSummary) process.stdout.write(suite.evaluationSummary({ root: result.run.root, ...result }));
    else printRunSummary(result.run.root, result.scores, result.errorRecords);
    if (result.errorRecords.length > 0 && !opts.allowErrors) return EXIT.sampleErrors;
    return EXIT.ok;
  } finally {
    lock.release({ removeDirIfUnused: true });
    interrupt.dispose();
  }
}
