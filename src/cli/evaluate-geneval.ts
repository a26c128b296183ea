/** `genbench evaluate --suite geneval --images DIR`: wiring only (the work is in src/suites/geneval/). */
import { GenbenchError } from '../core/errors.ts';
import { createProgress } from '../core/progress.ts';
import { modelProvider } from '../runtime/models.ts';
import { createGenevalDimensions } from '../suites/geneval/dimensions.ts';
import { evaluateGeneval, genevalInput } from '../suites/geneval/evaluate.ts';
import { loadGenevalPromptSource } from '../suites/geneval/samples.ts';
import { genevalOptionsFrom } from '../suites/geneval/task-checks.ts';
import type { EvaluateOpts } from './evaluate-options.ts';
import { defaultConcurrency, EXIT, printJson } from './common.ts';
import { acquireDirLock } from '../core/dir-lock.ts';
import { ensureDeviceAvailable } from './device-check.ts';
import { clipColorSupport } from '../suites/geneval/clip-color-support.ts';
import { GENEVAL_COLOR_TASKS, GENEVAL_TASK_IDS } from '../suites/geneval/task-dimension.ts';
import { defaultRunDir } from './run-summary.ts';
import { coverageText } from '../suites/coverage.ts';

export const GENEVAL_METADATA_FILE = 'geneval/prompts/evaluation_metadata.jsonl';
export const GENEVAL_CLASSES_FILE = 'geneval/evaluation/object_names.txt';

/** The official evaluator's `--options` keys. */
export const GENEVAL_OFFICIAL_OPTION_KEYS = ['threshold', 'counting_threshold', 'max_objects', 'max_overlap', 'position_threshold'] as const;
/** genbench's own GenEval settings (not options of the official script): the colour logits' precision. */
export const GENEVAL_LOGITS_VALUES = ['fp16', 'fp32'] as const;

/** `--options k=v …` (the official evaluator's flag) as a dictionary of strings, split on the first '='; `logits` included. */
export function parseOfficialOptions(pairs: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs ?? []) {
    const i = p.indexOf('=');
    if (i <= 0) throw new GenbenchError('E_USAGE', `--options expects key=value, got "${p}"`, 'for example --options threshold=0.3 max_objects=16');
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  const known: readonly string[] = [...GENEVAL_OFFICIAL_OPTION_KEYS, 'logits'];
  const unknown = Object.keys(out).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new GenbenchError('E_USAGE', `unknown --options key(s) for GenEval: ${unknown.join(', ')}`, `GenEval's settings are ${GENEVAL_OFFICIAL_OPTION_KEYS.join(', ')} (the official evaluator's) and logits=${GENEVAL_LOGITS_VALUES.join('|')} (colour tasks)`);
  }
  return out;
}

/**
 * `logits=fp16|fp32` from the options: the colour classifier's precision (fp16 as the official
 * CUDA autocast run, fp32 for CPU-made references). Only the colour tasks have it.
 */
export function genevalLogitsOption(options: Record<string, string>, tasks: readonly string[]): 'fp16' | 'fp32' | undefined {
  const v = options['logits'];
  if (v === undefined) return undefined;
  if (!(GENEVAL_LOGITS_VALUES as readonly string[]).includes(v)) {
    throw new GenbenchError('E_USAGE', `--options logits=${v}: must be one of ${GENEVAL_LOGITS_VALUES.join(', ')}`, 'fp16 rounds the colour logits as the official CUDA run does (default); fp32 as on a CPU');
  }
  const colour = tasks.filter((t) => (GENEVAL_COLOR_TASKS as readonly string[]).includes(t));
  if (colour.length === 0) {
    throw new GenbenchError('E_USAGE', `--options logits=${v}: no selected task classifies colours (selected: ${tasks.join(', ')})`, `logits applies to ${GENEVAL_COLOR_TASKS.join(', ')}; the other settings are ${GENEVAL_OFFICIAL_OPTION_KEYS.join(', ')}`);
  }
  return v as 'fp16' | 'fp32';
}

export async function runEvaluateGeneval(opts: EvaluateOpts, command: string[]): Promise<number> {
  if (!opts.images) throw new GenbenchError('E_USAGE', 'missing --images', 'pass the GenEval sample folder (NNNNN/metadata.jsonl, NNNNN/samples/NNNNN.png)');
  const progress = createProgress({ quiet: opts.quiet });
  const raw = parseOfficialOptions(opts.options);
  let options;
  try {
    options = genevalOptionsFrom(raw);
  } catch (e) {
    throw new GenbenchError('E_USAGE', (e as Error).message, 'values are parsed like the official script parses them (float(), int())');
  }
  const logits = genevalLogitsOption(raw, opts.dimensions ?? GENEVAL_TASK_IDS);
  // Offline with no --prompts-dir: each folder's metadata.jsonl, the pinned-prompt checks skipped (said, and recorded).
  const source = await loadGenevalPromptSource({ imagesDir: opts.images, promptsDir: opts.promptsDir, fromFolders: opts.folderPrompts, log: (m) => progress.log(m), metadataFile: GENEVAL_METADATA_FILE, classesFile: GENEVAL_CLASSES_FILE });
  const { prompts, classNames } = source;
  const dimensions = createGenevalDimensions(opts.dimensions, { classNames, options, ...(logits ? { color: clipColorSupport({ logits }) } : {}) });
  const input = await genevalInput({ imagesDir: opts.images, prompts, classes: classNames, allowPartial: opts.allowPartial, progress });
  const out = opts.out ?? defaultRunDir('geneval', 'standard');
  await ensureDeviceAvailable(opts.device);
  // One process per run directory, taken before the models load (RunDir.open takes it too).
  const lock = acquireDirLock(out, { what: 'run directory', flag: '--out', log: (m) => progress.log(m), command });
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const r = await evaluateGeneval({
      out,
      input,
      promptSet: source.promptSet,
      dimensions,
      modelProvider: modelProvider({ device: opts.device, threads: opts.threads, useFixtures: opts.fixtureModels }),
      device: opts.device,
      shard: opts.shard,
      concurrency: opts.concurrency ?? defaultConcurrency(),
      allowPartial: opts.allowPartial,
      generator: opts.generator,
      smoke: opts.fixtureModels === true,
      progress,
      command,
      signal: abort.signal,
    });
    if (opts.json) printJson({ run: r.run.root, ...r.scores });
    else {
      const lines: string[] = [];
      if (r.scores.smoke) lines.push('SMOKE RUN: fixture models with random weights — these are not real scores.');
      lines.push(`run: ${r.run.root}`, '', r.summaryText.trimEnd(), '');
      const overall = r.scores.headline['overall']!;
      if (overall.value === null) lines.push(`overall: not computed (${overall.missing.join(', ')} missing; --allow-partial computes it over the tasks present)`);
      else if (overall.partial) lines.push(`overall: PARTIAL (${[overall.coverage ? `computed on ${coverageText(overall.coverage)}` : '', overall.missing.length ? `${overall.missing.join(', ')} missing` : ''].filter(Boolean).join('; ')})`);
      if (r.errorRecords.length > 0) {
        lines.push(`${r.errorRecords.length} image(s) failed (see records/*.jsonl):`);
        for (const e of r.errorRecords.slice(0, 10)) lines.push(`  ${e.sample}: ${e.error?.message}`);
      }
      lines.push(`scores: ${r.run.root}/scores.json · official format: ${r.resultsPath}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return r.errorRecords.length > 0 && !opts.allowErrors ? EXIT.sampleErrors : EXIT.ok;
  } finally {
    lock.release({ removeDirIfUnused: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
