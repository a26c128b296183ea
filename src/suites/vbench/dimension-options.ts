/**
 * The settings of VBench dimensions a user can change from the command line
 * (`genbench evaluate --options KEY=VALUE …`). Each changes the dimension's `settings`, so it is
 * recorded in run.json and in every record's key (a run made with another setting never reuses
 * these records, and resuming with another setting is refused).
 *
 * Syntax (the same `--options k=v` flag GenEval uses for the official evaluator's options):
 *   KEY=VALUE            applies to every selected dimension that has the setting;
 *   DIMENSION.KEY=VALUE  applies to that dimension only (it must be selected).
 * A key no selected dimension has, an unknown key and a value outside the listed ones are refused
 * with the valid settings.
 */
import { GenbenchError } from '../../core/errors.ts';
import type { Dimension } from '../../core/contracts.ts';
import { createVbenchDimension } from './dimension-registry.ts';

export interface DimensionOptionSpec {
  values: readonly string[];
  default: string;
  help: string;
}

export const VBENCH_DIMENSION_OPTIONS: Readonly<Record<string, Readonly<Record<string, DimensionOptionSpec>>>> = {
  background_consistency: {
    cosine: {
      values: ['fp16', 'fp32'],
      default: 'fp16',
      help: 'fp16 rounds each cosine as the official CUDA run does; fp32 as the official code on a CPU (CPU-made references)',
    },
  },
  dynamic_degree: {
    exhaustive: {
      values: ['false', 'true'],
      default: 'false',
      help: 'true runs RAFT on every pair as the official loop (same verdicts; by default RAFT stops once check_move is decided)',
    },
  },
  imaging_quality: {
    preprocessing_mode: {
      values: ['longer', 'shorter', 'shorter_centercrop', 'None'],
      default: 'longer',
      help: "VBench's --imaging_quality_preprocessing_mode",
    },
  },
};

/** One `--options` entry split on its first '='. */
export function splitOptionPair(p: string): { key: string; value: string } {
  const i = p.indexOf('=');
  if (i <= 0) throw new GenbenchError('E_USAGE', `--options expects key=value, got "${p}"`, 'for example --options cosine=fp32');
  return { key: p.slice(0, i).trim(), value: p.slice(i + 1).trim() };
}

/** "cosine (background_consistency: fp16|fp32), …" for the given dimensions (all when undefined). */
export function describeVbenchOptions(dims?: readonly string[]): string {
  const parts: string[] = [];
  for (const [dim, specs] of Object.entries(VBENCH_DIMENSION_OPTIONS)) {
    if (dims && !dims.includes(dim)) continue;
    for (const [key, s] of Object.entries(specs)) parts.push(`${key}=${s.values.join('|')} (${dim}, default ${s.default})`);
  }
  return parts.join('; ');
}

/**
 * Resolve `--options` for the selected dimensions: per dimension the settings given (only those
 * that differ from nothing: defaults stay implicit, so runs made before this option existed resume).
 */
export function resolveVbenchOptions(pairs: readonly string[] | undefined, selected: readonly string[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  const selectedWith = (key: string): string[] => selected.filter((d) => VBENCH_DIMENSION_OPTIONS[d]?.[key] !== undefined);
  const valid = (): string => {
    const here = describeVbenchOptions(selected);
    return here ? `settings of the selected dimensions: ${here}` : `the selected dimensions (${selected.join(', ')}) have no settings; dimensions with settings: ${describeVbenchOptions()}`;
  };
  for (const raw of pairs ?? []) {
    const { key: fullKey, value } = splitOptionPair(raw);
    const dot = fullKey.indexOf('.');
    const dimId = dot > 0 ? fullKey.slice(0, dot) : undefined;
    const key = dot > 0 ? fullKey.slice(dot + 1) : fullKey;
    let targets: string[];
    if (dimId !== undefined) {
      if (!(dimId in VBENCH_DIMENSION_OPTIONS) || VBENCH_DIMENSION_OPTIONS[dimId]![key] === undefined) {
        throw new GenbenchError('E_USAGE', `--options ${raw}: "${dimId}" has no setting "${key}"`, valid());
      }
      if (!selected.includes(dimId)) {
        throw new GenbenchError('E_USAGE', `--options ${raw}: dimension ${dimId} is not selected (selected: ${selected.join(', ')})`, `add it to --dimensions, or drop the option`);
      }
      targets = [dimId];
    } else {
      targets = selectedWith(key);
      if (targets.length === 0) {
        const elsewhere = Object.keys(VBENCH_DIMENSION_OPTIONS).filter((d) => VBENCH_DIMENSION_OPTIONS[d]![key] !== undefined);
        const what = elsewhere.length > 0 ? `no selected dimension has the setting "${key}" (${elsewhere.join(', ')} has it; selected: ${selected.join(', ')})` : `unknown VBench setting "${key}"`;
        throw new GenbenchError('E_USAGE', `--options ${raw}: ${what}`, valid());
      }
    }
    for (const d of targets) {
      const spec = VBENCH_DIMENSION_OPTIONS[d]![key]!;
      if (!spec.values.includes(value)) {
        throw new GenbenchError('E_USAGE', `--options ${raw}: ${d}'s ${key} must be one of ${spec.values.join(', ')}`, spec.help);
      }
      const prior = out[d]?.[key];
      if (prior !== undefined && prior !== value) throw new GenbenchError('E_USAGE', `--options sets ${d}'s ${key} twice (${prior} and ${value})`, 'give each setting once');
      (out[d] ??= {})[key] = value;
    }
  }
  return out;
}

/** A VBench dimension built with its `--options` settings (resolveVbenchOptions' output for it). */
export async function createVbenchDimensionWithOptions(id: string, options: Readonly<Record<string, string>> = {}): Promise<Dimension> {
  if (Object.keys(options).length === 0) return createVbenchDimension(id);
  switch (id) {
    case 'background_consistency':
      return (await import('./background-consistency.ts')).createBackgroundConsistencyDimension({ cosine: options['cosine'] as 'fp16' | 'fp32' | undefined });
    case 'dynamic_degree':
      return (await import('./dynamic-degree.ts')).createDynamicDegreeDimension({ exhaustive: options['exhaustive'] === 'true' });
    case 'imaging_quality': {
      const { createImagingQualityDimension } = await import('./imaging-quality.ts');
      return createImagingQualityDimension({ preprocessingMode: options['preprocessing_mode'] as 'longer' | 'shorter' | 'shorter_centercrop' | 'None' | undefined });
    }
    default:
      throw new GenbenchError('E_USAGE', `dimension ${id} has no settings`, describeVbenchOptions());
  }
}
