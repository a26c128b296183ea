import type { SuiteLayout } from '../../core/suite-contract.ts';
import { drawCounts, universeOf, type BootstrapOptions } from './bootstrap.ts';
import { Prng } from './prng.ts';
import { placeInUniverse, restrictToPrompts, weightedMean, type PromptSamples } from './prompt-samples.ts';
import { percentileInterval } from './quantile.ts';

/**
 * Paired bootstrap of the difference candidate − baseline over the prompts both runs scored. A
 * replicate draws prompts from the shared set and weights both runs' samples of a drawn prompt by
 * the same count, so what the prompts have in common (some prompts are hard for every model)
 * cancels out of the difference.
 */
export interface PairedDifference {
  /** Mean over shared prompts: candidate − baseline, on the official 0..1 scale. */
  delta: number;
  low: number;
  high: number;
  sharedPrompts: number;
  resamples: number;
  confidence: number;
  /** The interval excludes 0. */
  significant: boolean;
}

function sharedSet(a: PromptSamples, b: PromptSamples): Set<string> {
  const inB = new Set(b.prompts);
  return new Set(a.prompts.filter((p) => inB.has(p)));
}

function result(deltaPoint: number, reps: Float64Array, shared: number, o: BootstrapOptions): PairedDifference | null {
  if (!reps.some((v) => Number.isFinite(v))) return null;
  const [low, high] = percentileInterval(reps, o.confidence);
  return { delta: deltaPoint, low, high, sharedPrompts: shared, resamples: o.resamples, confidence: o.confidence, significant: low > 0 || high < 0 };
}

function mean(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

/** Paired interval of one dimension's difference (null with fewer than 2 shared prompts). */
export function pairedDimensionDifference(base: PromptSamples, cand: PromptSamples, o: BootstrapOptions, key: string): PairedDifference | null {
  const shared = sharedSet(base, cand);
  if (shared.size < 2) return null;
  const a = restrictToPrompts(base, shared);
  const b = restrictToPrompts(cand, shared);
  const universe = universeOf([a]);
  const pa = placeInUniverse(a, universe);
  const pb = placeInUniverse(b, universe);
  const rng = new Prng(o.seed, `paired:${key}`);
  const counts = new Int32Array(universe.size);
  const reps = new Float64Array(o.resamples);
  for (let r = 0; r < o.resamples; r++) {
    drawCounts(universe.size, rng, counts);
    reps[r] = weightedMean(pb, counts) - weightedMean(pa, counts);
  }
  return result(mean(b.values) - mean(a.values), reps, shared.size, o);
}

/**
 * Paired intervals of the headline differences: the universe is the union over dimensions of the
 * prompts both runs share, and each replicate recomputes both headlines from replicate dimension means.
 */
export function pairedHeadlineDifferences(
  layout: SuiteLayout,
  base: Record<string, PromptSamples>,
  cand: Record<string, PromptSamples>,
  o: BootstrapOptions,
  key: string,
  allowPartial: boolean,
): Record<string, PairedDifference | null> {
  const ids = layout.headlines.map((h) => h.id);
  const dims = Object.keys(base).filter((d) => d in cand);
  const a: Record<string, PromptSamples> = {};
  const b: Record<string, PromptSamples> = {};
  for (const d of dims) {
    const shared = sharedSet(base[d]!, cand[d]!);
    if (shared.size === 0) continue;
    a[d] = restrictToPrompts(base[d]!, shared);
    b[d] = restrictToPrompts(cand[d]!, shared);
  }
  const usable = Object.keys(a);
  if (usable.length === 0) return Object.fromEntries(ids.map((id) => [id, null]));
  const universe = universeOf(Object.values(a));
  const pa = usable.map((d) => [d, placeInUniverse(a[d]!, universe)] as const);
  const pb = usable.map((d) => [d, placeInUniverse(b[d]!, universe)] as const);
  const point = (means: (d: string) => number) => layout.headline(Object.fromEntries(usable.map((d) => [d, means(d)])), allowPartial);
  const pointA = point((d) => mean(a[d]!.values));
  const pointB = point((d) => mean(b[d]!.values));
  const reps: Record<string, Float64Array> = Object.fromEntries(ids.map((id) => [id, new Float64Array(o.resamples).fill(Number.NaN)]));
  const rng = new Prng(o.seed, `paired-headline:${key}`);
  const counts = new Int32Array(universe.size);
  for (let r = 0; r < o.resamples; r++) {
    drawCounts(universe.size, rng, counts);
    const ma: Record<string, number> = {};
    const mb: Record<string, number> = {};
    let complete = true;
    for (const [d, p] of pa) ma[d] = weightedMean(p, counts);
    for (const [d, p] of pb) mb[d] = weightedMean(p, counts);
    for (const d of usable) if (!Number.isFinite(ma[d]!) || !Number.isFinite(mb[d]!)) complete = false;
    if (!complete) continue;
    const ha = layout.headline(ma, allowPartial);
    const hb = layout.headline(mb, allowPartial);
    for (const id of ids) {
      const x = ha[id]?.value;
      const y = hb[id]?.value;
      if (x != null && y != null) reps[id]![r] = y - x;
    }
  }
  const out: Record<string, PairedDifference | null> = {};
  for (const id of ids) {
    const x = pointA[id]?.value;
    const y = pointB[id]?.value;
    out[id] = x == null || y == null ? null : result(y - x, reps[id]!, universe.size, o);
  }
  return out;
}
