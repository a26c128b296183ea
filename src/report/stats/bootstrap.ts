import type { SuiteLayout } from '../../core/suite-contract.ts';
import { Prng } from './prng.ts';
import { placeInUniverse, sampleMean, weightedMean, type PlacedSamples, type PromptSamples } from './prompt-samples.ts';
import { percentileInterval } from './quantile.ts';

/**
 * Percentile bootstrap over prompts. A replicate draws as many prompts as the universe holds,
 * uniformly with replacement; every sample of a drawn prompt enters with the prompt's count as its
 * weight. Dimension intervals resample the dimension's own prompts. Headline intervals resample the
 * union of the prompts of all dimensions at once, so dimensions scored on the same prompts (custom
 * mode: the same videos) move together and their correlation reaches the headline score.
 */
export interface BootstrapOptions {
  /** Replicates (default 1000). */
  resamples: number;
  seed: number;
  /** Coverage of the interval (default 0.95). */
  confidence: number;
}

export const DEFAULT_BOOTSTRAP: BootstrapOptions = { resamples: 1000, seed: 20240101, confidence: 0.95 };

export interface Interval {
  low: number;
  high: number;
  /** Prompts in the resampling universe. */
  prompts: number;
  resamples: number;
  confidence: number;
  /**
   * True when the score the table shows is not the plain per-sample mean (a dimension whose official
   * aggregate weighs samples differently): the interval is then that of the per-sample mean.
   */
  approximate?: boolean;
}

/** Counts per universe prompt for one replicate. */
export function drawCounts(universeSize: number, rng: Prng, into?: Int32Array): Int32Array {
  const counts = into ?? new Int32Array(universeSize);
  counts.fill(0);
  for (let k = 0; k < universeSize; k++) counts[rng.below(universeSize)]! += 1;
  return counts;
}

export function universeOf(tables: Iterable<PromptSamples>): Map<string, number> {
  const all = new Set<string>();
  for (const t of tables) for (const p of t.prompts) all.add(p);
  return new Map([...all].sort().map((p, i) => [p, i]));
}

function interval(replicates: Float64Array, prompts: number, o: BootstrapOptions): Interval | null {
  if (!replicates.some((v) => Number.isFinite(v))) return null;
  const [low, high] = percentileInterval(replicates, o.confidence);
  return { low, high, prompts, resamples: o.resamples, confidence: o.confidence };
}

/** Interval of one dimension's per-sample mean, resampling its prompts. */
export function dimensionInterval(samples: PromptSamples, o: BootstrapOptions, key: string): Interval | null {
  if (samples.prompts.length < 2) return null;
  const universe = universeOf([samples]);
  const placed = placeInUniverse(samples, universe);
  const rng = new Prng(o.seed, `dimension:${key}`);
  const reps = new Float64Array(o.resamples);
  const counts = new Int32Array(universe.size);
  for (let b = 0; b < o.resamples; b++) reps[b] = weightedMean(placed, drawCounts(universe.size, rng, counts));
  return interval(reps, universe.size, o);
}

/** Replicates of the dimension means, joint over the union of the tables' prompts. */
function jointDimensionReplicates(
  tables: Record<string, PromptSamples>,
  o: BootstrapOptions,
  key: string,
): { universe: Map<string, number>; replicate: (each: (means: Record<string, number>) => void) => void } {
  const universe = universeOf(Object.values(tables));
  const placed: [string, PlacedSamples][] = Object.entries(tables).map(([d, t]) => [d, placeInUniverse(t, universe)]);
  return {
    universe,
    replicate(each) {
      const rng = new Prng(o.seed, `joint:${key}`);
      const counts = new Int32Array(universe.size);
      for (let b = 0; b < o.resamples; b++) {
        drawCounts(universe.size, rng, counts);
        const means: Record<string, number> = {};
        for (const [d, p] of placed) means[d] = weightedMean(p, counts);
        each(means);
      }
    },
  };
}

/**
 * Intervals of the headline scores. A replicate in which some dimension drew none of its prompts has
 * no headline value and is left out (only possible when a dimension holds a tiny share of the prompts).
 */
export function headlineIntervals(
  layout: SuiteLayout,
  tables: Record<string, PromptSamples>,
  o: BootstrapOptions,
  key: string,
  allowPartial: boolean,
): Record<string, Interval | null> {
  const ids = layout.headlines.map((h) => h.id);
  if (Object.keys(tables).length === 0) return Object.fromEntries(ids.map((id) => [id, null]));
  const joint = jointDimensionReplicates(tables, o, key);
  const reps: Record<string, Float64Array> = Object.fromEntries(ids.map((id) => [id, new Float64Array(o.resamples).fill(Number.NaN)]));
  let b = 0;
  joint.replicate((means) => {
    const finite = Object.fromEntries(Object.entries(means).filter(([, v]) => Number.isFinite(v)));
    if (Object.keys(finite).length === Object.keys(means).length) {
      const h = layout.headline(finite, allowPartial);
      for (const id of ids) reps[id]![b] = h[id]?.value ?? Number.NaN;
    }
    b += 1;
  });
  return Object.fromEntries(ids.map((id) => [id, interval(reps[id]!, joint.universe.size, o)]));
}

/** Per-sample mean of each table (used to flag intervals of dimensions whose official aggregate differs). */
export function sampleMeans(tables: Record<string, PromptSamples>): Record<string, number> {
  return Object.fromEntries(Object.entries(tables).map(([d, t]) => [d, sampleMean(t)]));
}
