import type { SampleRecord } from '../../core/contracts.ts';

/**
 * The per-sample values of one dimension of one run, grouped by prompt: the unit the bootstrap
 * resamples is the prompt, so the samples of one prompt always move together.
 */
export interface PromptSamples {
  /** Distinct prompts, sorted. */
  prompts: string[];
  /** For each sample, the index of its prompt in `prompts`. */
  promptOf: Int32Array;
  /** Per-sample score on the dimension score's scale (booleans as 0/1). */
  values: Float64Array;
}

/**
 * Successful records with a numeric or boolean value; error records are left out, as in the score.
 * `perSampleScale`: the dimension's declared scale of per-sample values (SuiteLayout.perSampleScale);
 * values are divided by it so that they are on the score's scale.
 */
export function promptSamplesOf(records: readonly SampleRecord[], perSampleScale = 1): PromptSamples {
  const ok = records.filter((r) => r.ok && (typeof r.value === 'number' || typeof r.value === 'boolean'));
  const prompts = [...new Set(ok.map((r) => r.prompt))].sort();
  const index = new Map(prompts.map((p, i) => [p, i]));
  const promptOf = new Int32Array(ok.length);
  const values = new Float64Array(ok.length);
  ok.forEach((r, i) => {
    promptOf[i] = index.get(r.prompt)!;
    values[i] = typeof r.value === 'boolean' ? (r.value ? 1 : 0) : (r.value as number) / perSampleScale;
  });
  return { prompts, promptOf, values };
}

/** Only the samples whose prompt is in `keep`. */
export function restrictToPrompts(s: PromptSamples, keep: ReadonlySet<string>): PromptSamples {
  const prompts = s.prompts.filter((p) => keep.has(p));
  const index = new Map(prompts.map((p, i) => [p, i]));
  const sel: number[] = [];
  for (let i = 0; i < s.values.length; i++) if (keep.has(s.prompts[s.promptOf[i]!]!)) sel.push(i);
  return {
    prompts,
    promptOf: Int32Array.from(sel, (i) => index.get(s.prompts[s.promptOf[i]!]!)!),
    values: Float64Array.from(sel, (i) => s.values[i]!),
  };
}

/** Plain mean of the values (the statistic the bootstrap resamples). */
export function sampleMean(s: PromptSamples): number {
  let sum = 0;
  for (let i = 0; i < s.values.length; i++) sum += s.values[i]!;
  return s.values.length === 0 ? Number.NaN : sum / s.values.length;
}

/**
 * The samples placed in a universe of prompts: `universeIndex[i]` is the universe position of
 * sample i's prompt. Replicate weights are counts per universe prompt.
 */
export interface PlacedSamples {
  universeIndex: Int32Array;
  values: Float64Array;
}

export function placeInUniverse(s: PromptSamples, universe: ReadonlyMap<string, number>): PlacedSamples {
  const toU = Int32Array.from(s.prompts, (p) => {
    const u = universe.get(p);
    if (u === undefined) throw new Error(`prompt missing from the resampling universe: ${p}`);
    return u;
  });
  return { universeIndex: Int32Array.from(s.promptOf, (k) => toU[k]!), values: s.values };
}

/** Mean of the values with each sample weighted by its prompt's count in the replicate (NaN if all weights are 0). */
export function weightedMean(p: PlacedSamples, counts: Int32Array): number {
  let sum = 0;
  let n = 0;
  const u = p.universeIndex;
  const v = p.values;
  for (let i = 0; i < v.length; i++) {
    const w = counts[u[i]!]!;
    if (w !== 0) {
      sum += w * v[i]!;
      n += w;
    }
  }
  return n === 0 ? Number.NaN : sum / n;
}
