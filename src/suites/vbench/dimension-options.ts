/**
 * The settings of VBench dimensions a user can change from the command line
 * (`genbench evaluate --options KEY=VALUE …`): each dimension's declared parameters
 * (core/define-dimension.ts, in the dimension's file), read through the registry. A parameter that
 * changes numbers is recorded in run.json and in every record's key (a run made with another value
 * never reuses these records, and resuming with another value is refused).
 *
 * Syntax (the same `--options k=v` flag GenEval uses for the official evaluator's options):
 *   KEY=VALUE            applies to every selected dimension that has the setting;
 *   DIMENSION.KEY=VALUE  applies to that dimension only (it must be selected).
 * A key no selected dimension has, an unknown key and a value outside the listed ones are refused
 * with the valid settings.
 */
import { GenbenchError } from '../../core/errors.ts';
import type { Dimension } from '../../core/contracts.ts';
import { paramProblem, type ParamSpec } from '../../core/define-dimension.ts';
import { createVbenchDimension, vbenchDefinition, vbenchDefinitions } from './dimension-registry.ts';

export interface DimensionOptionSpec {
  /** The accepted spellings; absent when the parameter's parser decides. */
  values?: readonly string[];
  default: string;
  help: string;
  /** The declared parameter. */
  param: ParamSpec;
}

/** The `--options` settings of every VBench dimension built so far (those that have any), in VBench's order. */
export const VBENCH_DIMENSION_OPTIONS: Readonly<Record<string, Readonly<Record<string, DimensionOptionSpec>>>> = Object.fromEntries(
  vbenchDefinitions()
    .filter((d) => d.options.length > 0)
    .map((d) => [
      d.id,
      Object.fromEntries(d.options.map(([key, param]) => [key, { ...(param.values ? { values: param.values } : {}), default: String(param.default), help: param.help, param }])),
    ]),
);

/** Dimension `dim`'s setting `key`, if it has one (own keys only: `toString` is no setting). */
function optionOf(dim: string, key: string): DimensionOptionSpec | undefined {
  const specs = Object.hasOwn(VBENCH_DIMENSION_OPTIONS, dim) ? VBENCH_DIMENSION_OPTIONS[dim]! : undefined;
  return specs && Object.hasOwn(specs, key) ? specs[key] : undefined;
}

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
    for (const [key, s] of Object.entries(specs)) parts.push(`${key}=${s.values ? s.values.join('|') : 'VALUE'} (${dim}, default ${s.default})`);
  }
  return parts.join('; ');
}

/**
 * Resolve `--options` for the selected dimensions: per dimension the settings given (only those
 * that differ from nothing: defaults stay implicit, so runs made before this option existed resume).
 */
export function resolveVbenchOptions(pairs: readonly string[] | undefined, selected: readonly string[]): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  const selectedWith = (key: string): string[] => selected.filter((d) => optionOf(d, key) !== undefined);
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
      if (optionOf(dimId, key) === undefined) {
        throw new GenbenchError('E_USAGE', `--options ${raw}: "${dimId}" has no setting "${key}"`, valid());
      }
      if (!selected.includes(dimId)) {
        throw new GenbenchError('E_USAGE', `--options ${raw}: dimension ${dimId} is not selected (selected: ${selected.join(', ')})`, `add it to --dimensions, or drop the option`);
      }
      targets = [dimId];
    } else {
      targets = selectedWith(key);
      if (targets.length === 0) {
        const elsewhere = Object.keys(VBENCH_DIMENSION_OPTIONS).filter((d) => optionOf(d, key) !== undefined);
        const what = elsewhere.length > 0 ? `no selected dimension has the setting "${key}" (${elsewhere.join(', ')} has it; selected: ${selected.join(', ')})` : `unknown VBench setting "${key}"`;
        throw new GenbenchError('E_USAGE', `--options ${raw}: ${what}`, valid());
      }
    }
    for (const d of targets) {
      const spec = optionOf(d, key)!;
      const problem = paramProblem(spec.param, value);
      if (problem !== undefined) throw new GenbenchError('E_USAGE', `--options ${raw}: ${d}'s ${key} ${problem}`, spec.help);
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
  if (!Object.hasOwn(VBENCH_DIMENSION_OPTIONS, id)) {
    throw new GenbenchError('E_USAGE', `dimension ${id} has no settings`, describeVbenchOptions());
  }
  const definition = vbenchDefinition(id);
  return definition.create(definition.parse(options));
}
