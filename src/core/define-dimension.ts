/**
 * `defineDimension`: a dimension in one place, split the way torchmetrics splits a metric —
 * `scorer` gives the per-sample step (torchmetrics' update: one sample in, its record value out) and
 * `aggregate` the run-level step (compute: the records in, the dimension score out), written
 * beside the maths it uses. Besides the two steps a definition declares:
 *
 *  - `params`: what a user may set (`--options key=value`, through the suite's option parsing):
 *    the allowed values or a parser, the default, a help line and whether the value changes
 *    numbers. Only number-changing parameters enter the record keys and the run.json resume
 *    comparison (with `inputs`: values the dimension is built with that change numbers but are no
 *    user setting, e.g. the hash of GenEval's class-name list); `settingsLayout` may nest them;
 *  - `notes`: descriptions (frames read, transform, official source, aggregation). They are
 *    recorded in run.json and never enter a key or a resume comparison: rewording one re-scores
 *    nothing;
 *  - `revision`: raise it when a change of the implementation moves this dimension's numbers.
 *    It enters the keys, so stored records are scored again and runs made before are not resumed
 *    (a new --out is needed), instead of a stale number being reused;
 *  - `previousSettings` (dimensions that existed before definitions): the settings object, prose
 *    included, that their records were keyed by then, for the given parameter values. FROZEN:
 *    never edit it (a record written then is found only under exactly that object); it is used
 *    only to find those records and to accept a run.json written then, and is dropped once
 *    `revision` is raised.
 *
 * It returns a DimensionDefinition whose `create` builds the core `Dimension` (contracts.ts) that
 * the scoring engine (score-dimension.ts) runs: `settings` = number-changing parameters + inputs
 * (+ revision), `notes` = notes + the other parameters.
 */
import { GenbenchError } from './errors.ts';
import type { Dimension, DimensionContext, LoadedModel, SampleRecord, SampleRef, SampleResult } from './contracts.ts';

/** A parameter's value once parsed; `undefined` means "not set" and is left out of the settings. */
export type ParamValue = string | number | boolean | undefined;

/** The parameter values of a dimension, by name (snake_case, as typed after `--options`). */
export type ParamValues = Record<string, ParamValue>;

/** The parameters of a dimension that has none. */
export type NoParams = Record<never, never>;

export interface ParamSpec<T extends ParamValue = ParamValue> {
  /** The accepted command-line spellings; absent when `parse` decides. */
  values?: readonly string[];
  /** Command-line text → value (default: the text itself); throws an Error whose message says what is wrong. */
  parse?: (text: string) => T;
  default: T;
  /** One line: what the parameter does (shown when a value is refused). */
  help: string;
  /** True when the value changes numbers: it then enters the record keys and the resume comparison. */
  changesNumbers: boolean;
  /** Settable with `--options` (default true); false for parameters only code sets (parity tests). */
  option?: boolean;
}

export type ParamSpecs<P extends ParamValues> = { readonly [K in keyof P]-?: ParamSpec<P[K]> };

export interface DimensionSpec<P extends ParamValues, H extends LoadedModel = LoadedModel> {
  /** Suite's id with underscores, e.g. `temporal_flickering`. */
  id: string;
  suite: Dimension['suite'];
  /** Registry ids of the models `score` gets from `ctx.models` (their hashes enter the keys). */
  models: readonly string[];
  params: ParamSpecs<P>;
  /** Descriptions for run.json (never in a key). */
  notes: Readonly<Record<string, unknown>> | ((p: Readonly<P>) => Readonly<Record<string, unknown>>);
  /** Number-changing values the dimension is built with that are no user setting (enter the keys). */
  inputs?: Readonly<Record<string, unknown>>;
  /**
   * How the number-changing parameters' values are laid out in the settings (default: each by its
   * name at the top level); GenEval keeps the official options under `options` as run.json always had.
   */
  settingsLayout?: (values: Readonly<Record<string, ParamValue>>) => Record<string, unknown>;
  /** Implementation revision (see above); absent or 0 for the implementation records were first written with. */
  revision?: number;
  /** FROZEN pre-definition settings for these parameter values (see above); undefined where none existed. */
  previousSettings?: (p: Readonly<P>) => Record<string, unknown> | undefined;
  /** See Dimension.perSampleScale. */
  perSampleScale?: number;
  /** See Dimension.prefetch. */
  prefetch?: (sample: SampleRef) => void;
  /**
   * The per-sample step for these parameter values (torchmetrics' update): called once when the
   * dimension is created, it returns the function that scores one sample.
   */
  scorer(p: Readonly<P>): (sample: SampleRef, ctx: DimensionContext<H>) => Promise<SampleResult>;
  /** The dimension score from the records of a run, as the official code aggregates them (compute). */
  aggregate(records: readonly SampleRecord[], p: Readonly<P>): number;
}

export interface DimensionDefinition<P extends ParamValues = ParamValues, H extends LoadedModel = LoadedModel> {
  readonly id: string;
  readonly suite: Dimension['suite'];
  readonly params: ParamSpecs<P>;
  /** The parameters `--options` may set, in declaration order. */
  readonly options: readonly (readonly [name: string, spec: ParamSpec])[];
  /** Command-line texts (`{cosine: 'fp32'}`) → values; an unknown name or a refused value throws E_USAGE. */
  parse(texts: Readonly<Record<string, string>>): Partial<P>;
  /** The dimension with these parameter values (defaults for the others). */
  create(values?: Partial<P>): Dimension<H>;
}

/** Names a run.json dimension entry uses itself (core/provenance.ts), so no setting may take them. */
const RESERVED = ['models', 'notes', 'previousSettingsSha256', 'revision'];

/** Why `text` is not a value of `spec` (undefined when it is one). */
export function paramProblem(spec: ParamSpec, text: string): string | undefined {
  if (spec.values && !spec.values.includes(text)) return `must be one of ${spec.values.join(', ')}`;
  if (spec.parse) {
    try {
      spec.parse(text);
    } catch (e) {
      return (e as Error).message;
    }
  }
  return undefined;
}

/** `spec`'s value for a command-line text that paramProblem accepted. */
export function parseParam<T extends ParamValue>(spec: ParamSpec<T>, text: string): T {
  return spec.parse ? spec.parse(text) : (text as T);
}

export function defineDimension<P extends ParamValues, H extends LoadedModel = LoadedModel>(spec: DimensionSpec<P, H>): DimensionDefinition<P, H> {
  const params = spec.params as Readonly<Record<string, ParamSpec>>;
  const inputs = spec.inputs ?? {};
  for (const name of [...Object.keys(params), ...Object.keys(inputs)]) {
    if (RESERVED.includes(name)) throw new Error(`dimension ${spec.id}: "${name}" is reserved in run.json entries; name the setting otherwise`);
  }
  for (const name of Object.keys(inputs)) if (name in params) throw new Error(`dimension ${spec.id}: "${name}" is both a parameter and an input`);
  const revision = spec.revision ?? 0;
  if (!Number.isInteger(revision) || revision < 0) throw new Error(`dimension ${spec.id}: revision must be a whole number >= 0`);

  const resolve = (values: Partial<P>): P => {
    for (const name of Object.keys(values)) {
      if (!(name in params)) throw new GenbenchError('E_USAGE', `dimension ${spec.id} has no parameter "${name}"`, describeParams(params));
    }
    return Object.fromEntries(Object.entries(params).map(([name, s]) => [name, values[name] !== undefined ? values[name] : s.default])) as P;
  };

  return {
    id: spec.id,
    suite: spec.suite,
    params: spec.params,
    options: Object.entries(params).filter(([, s]) => s.option !== false),
    parse(texts) {
      const out: Record<string, ParamValue> = {};
      for (const [name, text] of Object.entries(texts)) {
        const s = params[name];
        if (!s || s.option === false) throw new GenbenchError('E_USAGE', `dimension ${spec.id} has no setting "${name}"`, describeParams(params));
        const problem = paramProblem(s, text);
        if (problem !== undefined) throw new GenbenchError('E_USAGE', `${spec.id}'s ${name}=${text}: ${problem}`, s.help);
        out[name] = parseParam(s, text);
      }
      return out as Partial<P>;
    },
    create(values = {}) {
      const p = resolve(values);
      const numbers: Record<string, ParamValue> = {};
      const other: Record<string, unknown> = {};
      for (const [name, s] of Object.entries(params)) {
        if (p[name] !== undefined) (s.changesNumbers ? numbers : other)[name] = p[name];
      }
      const settings: Record<string, unknown> = spec.settingsLayout ? spec.settingsLayout(numbers) : { ...numbers };
      for (const name of Object.keys(inputs)) if (name in settings) throw new Error(`dimension ${spec.id}: "${name}" is both a setting and an input`);
      Object.assign(settings, inputs);
      if (revision > 0) settings['revision'] = revision;
      const described = typeof spec.notes === 'function' ? spec.notes(p) : spec.notes;
      for (const name of Object.keys(other)) if (name in described) throw new Error(`dimension ${spec.id}: "${name}" is both a note and a parameter`);
      const previous = revision === 0 ? spec.previousSettings?.(p) : undefined;
      const dimension: Dimension<H> = {
        id: spec.id,
        suite: spec.suite,
        models: [...spec.models],
        settings,
        notes: { ...described, ...other },
        ...(previous !== undefined ? { previousSettings: previous } : {}),
        ...(spec.perSampleScale !== undefined ? { perSampleScale: spec.perSampleScale } : {}),
        ...(spec.prefetch ? { prefetch: spec.prefetch } : {}),
        scoreSample: spec.scorer(p),
        aggregate: (records) => spec.aggregate(records, p),
      };
      return dimension;
    },
  };
}

/** "name=a|b (default a)" for every parameter, for hints. */
function describeParams(params: Readonly<Record<string, ParamSpec>>): string {
  const parts = Object.entries(params)
    .filter(([, s]) => s.option !== false)
    .map(([name, s]) => `${name}=${s.values ? s.values.join('|') : 'VALUE'} (default ${String(s.default)})`);
  return parts.length > 0 ? `its settings: ${parts.join('; ')}` : 'it has no settings';
}
