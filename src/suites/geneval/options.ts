/** GenEval's `--options`: the official evaluator's k=v options, and genbench's colour-logits precision. */
import { GenbenchError } from '../../core/errors.ts';
import { genevalOptionsFrom, type GenevalOptions } from './task-checks.ts';
import { GENEVAL_COLOR_TASK_ORDER } from './tasks.ts';

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
  const colour = tasks.filter((t) => GENEVAL_COLOR_TASK_ORDER.includes(t));
  if (colour.length === 0) {
    throw new GenbenchError('E_USAGE', `--options logits=${v}: no selected task classifies colours (selected: ${tasks.join(', ')})`, `logits applies to ${GENEVAL_COLOR_TASK_ORDER.join(', ')}; the other settings are ${GENEVAL_OFFICIAL_OPTION_KEYS.join(', ')}`);
  }
  return v as 'fp16' | 'fp32';
}

/** GenEval's parsed `--options`: the official evaluator's settings and the colour logits' precision. */
export interface GenevalSettings {
  options: GenevalOptions;
  logits?: 'fp16' | 'fp32';
}

/** `--options` for the selected tasks, values parsed as the official script parses them. */
export function parseGenevalSettings(pairs: readonly string[] | undefined, tasks: readonly string[]): GenevalSettings {
  const raw = parseOfficialOptions(pairs);
  let options: GenevalOptions;
  try {
    options = genevalOptionsFrom(raw);
  } catch (e) {
    throw new GenbenchError('E_USAGE', (e as Error).message, 'values are parsed like the official script parses them (float(), int())');
  }
  const logits = genevalLogitsOption(raw, tasks);
  return logits ? { options, logits } : { options };
}
