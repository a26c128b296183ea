import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dimensionInterval, drawCounts, headlineIntervals, universeOf, type BootstrapOptions } from '../../src/report/stats/bootstrap.ts';
import { pairedDimensionDifference } from '../../src/report/stats/paired-bootstrap.ts';
import { Prng } from '../../src/report/stats/prng.ts';
import { placeInUniverse, promptSamplesOf, weightedMean, type PromptSamples } from '../../src/report/stats/prompt-samples.ts';
import { VBENCH_LAYOUT } from '../../src/suites/vbench/report-layout.ts';
import { VBENCH_DIMENSIONS } from '../../src/suites/vbench/constants.ts';
import { vbenchHeadline } from '../../src/suites/vbench/headline-scores.ts';
import type { SampleRecord } from '../../src/core/contracts.ts';

/**
 * Synthetic data from a known distribution: value = mu + u_prompt + e_sample with
 * u ~ N(0, sdPrompt), e ~ N(0, sdNoise). The expected value of the sample mean is mu, so a 95 %
 * interval should contain mu in about 95 % of the datasets.
 */
function dataset(rng: Prng, o: { prompts: number; perPrompt: number; mu: number; sdPrompt: number; sdNoise: number; effects?: number[]; ungrouped?: boolean }): PromptSamples {
  const recs: SampleRecord[] = [];
  for (let p = 0; p < o.prompts; p++) {
    const u = o.effects ? o.effects[p]! : rng.normal() * o.sdPrompt;
    for (let s = 0; s < o.perPrompt; s++) {
      const prompt = o.ungrouped ? `p${p}#${s}` : `p${p}`;
      recs.push({ key: `${p}/${s}`, dimension: 'd', sample: `${p}-${s}`, path: '', prompt, contentSha256: '', ok: true, value: o.mu + u + rng.normal() * o.sdNoise, at: '' });
    }
  }
  return promptSamplesOf(recs);
}

const O: BootstrapOptions = { resamples: 200, seed: 1, confidence: 0.95 };
const REPS = 300;

test('grouped percentile intervals cover the true mean about 95 % of the time; per-sample resampling does not', () => {
  let grouped = 0;
  let naive = 0;
  for (let r = 0; r < REPS; r++) {
    const rng = new Prng(1000 + r, 'coverage');
    const spec = { prompts: 40, perPrompt: 4, mu: 0.6, sdPrompt: 0.1, sdNoise: 0.05 };
    const d = dataset(rng, spec);
    // The same values with every sample its own "prompt": what ignoring the grouping would give.
    const ungrouped: PromptSamples = { prompts: d.promptOf.length ? Array.from(d.values, (_, i) => `s${String(i).padStart(4, '0')}`) : [], promptOf: Int32Array.from(d.values, (_, i) => i), values: d.values };
    const g = dimensionInterval(d, { ...O, seed: r }, 'cov')!;
    const n = dimensionInterval(ungrouped, { ...O, seed: r }, 'cov')!;
    if (g.low <= spec.mu && spec.mu <= g.high) grouped += 1;
    if (n.low <= spec.mu && spec.mu <= n.high) naive += 1;
  }
  const cg = grouped / REPS;
  const cn = naive / REPS;
  // Binomial sd of the coverage over 300 datasets is about 0.013; the percentile bootstrap with 40
  // clusters runs slightly below nominal.
  process.stdout.write(`coverage: grouped ${cg.toFixed(3)}, per-sample ${cn.toFixed(3)} over ${REPS} datasets\n`);
  assert.ok(cg >= 0.9 && cg <= 0.985, `grouped coverage ${cg}`);
  // Intra-prompt correlation 0.8 with 4 samples per prompt: the design effect is 3.4, so
  // per-sample intervals are ~1.8x too narrow (coverage ≈ 0.71).
  assert.ok(cn < 0.85, `per-sample coverage ${cn} should be far below 95 %`);
});

test('paired intervals of a difference cover the true difference and are much narrower than unpaired ones', () => {
  let covered = 0;
  let pairedWidth = 0;
  let unpairedWidth = 0;
  const delta = 0.02;
  for (let r = 0; r < REPS; r++) {
    const rng = new Prng(5000 + r, 'paired');
    const effects = Array.from({ length: 40 }, () => rng.normal() * 0.1);
    const a = dataset(rng, { prompts: 40, perPrompt: 4, mu: 0.6, sdPrompt: 0.1, sdNoise: 0.05, effects });
    const b = dataset(rng, { prompts: 40, perPrompt: 4, mu: 0.6 + delta, sdPrompt: 0.1, sdNoise: 0.05, effects });
    const d = pairedDimensionDifference(a, b, { ...O, seed: r }, 'pair')!;
    assert.equal(d.sharedPrompts, 40);
    if (d.low <= delta && delta <= d.high) covered += 1;
    pairedWidth += d.high - d.low;
    const ia = dimensionInterval(a, { ...O, seed: r }, 'a')!;
    const ib = dimensionInterval(b, { ...O, seed: r }, 'b')!;
    unpairedWidth += Math.hypot(ia.high - ia.low, ib.high - ib.low);
  }
  const c = covered / REPS;
  process.stdout.write(`coverage: paired ${c.toFixed(3)}, width ratio paired/unpaired ${(pairedWidth / unpairedWidth).toFixed(3)}\n`);
  assert.ok(c >= 0.9 && c <= 0.985, `paired coverage ${c}`);
  // Shared prompt effects cancel: var(paired) = 2σe²/160 vs var(unpaired) ≈ 2(σu²/40 + σe²/160): about 4x narrower.
  assert.ok(pairedWidth / unpairedWidth < 0.5, `paired/unpaired width ${pairedWidth / unpairedWidth}`);
});

test('headline (Total) intervals resample all dimensions jointly and cover the true Total', () => {
  const reps = 150;
  const truth: Record<string, number> = {};
  for (const d of VBENCH_DIMENSIONS) truth[d.id] = d.min + 0.6 * (d.max - d.min);
  const trueTotal = vbenchHeadline(truth).total.value!;
  let covered = 0;
  for (let r = 0; r < reps; r++) {
    const rng = new Prng(9000 + r, 'headline');
    // Custom mode: every dimension scores the same videos, so prompt difficulty is shared across dimensions.
    const effects = Array.from({ length: 30 }, () => rng.normal() * 0.04);
    const tables: Record<string, PromptSamples> = {};
    for (const d of VBENCH_DIMENSIONS) tables[d.id] = dataset(rng, { prompts: 30, perPrompt: 2, mu: truth[d.id]!, sdPrompt: 0, sdNoise: 0.02, effects });
    const iv = headlineIntervals(VBENCH_LAYOUT, tables, { ...O, seed: r }, 'h', false).total!;
    if (iv.low <= trueTotal && trueTotal <= iv.high) covered += 1;
  }
  const c = covered / reps;
  process.stdout.write(`coverage: Total ${c.toFixed(3)} over ${reps} datasets\n`);
  assert.ok(c >= 0.88 && c <= 0.99, `Total coverage ${c}`);
});

test('the same seed gives the same interval; another seed a different one', () => {
  const d = dataset(new Prng(3), { prompts: 30, perPrompt: 3, mu: 0.5, sdPrompt: 0.1, sdNoise: 0.1 });
  const a = dimensionInterval(d, { resamples: 500, seed: 11, confidence: 0.95 }, 'k')!;
  const b = dimensionInterval(d, { resamples: 500, seed: 11, confidence: 0.95 }, 'k')!;
  const c = dimensionInterval(d, { resamples: 500, seed: 12, confidence: 0.95 }, 'k')!;
  assert.deepEqual(a, b);
  assert.notDeepEqual([a.low, a.high], [c.low, c.high]);
  assert.equal(a.prompts, 30);
  assert.equal(a.resamples, 500);
});

test('samples of one prompt move together: with two constant prompts a replicate mean is 0, 0.5 or 1', () => {
  // Prompt A's samples are all 0, prompt B's all 1. A replicate draws two prompts, so its mean can only
  // be 0, 0.5 or 1; resampling single samples would give means like 0.375.
  const recs: SampleRecord[] = [];
  for (const [p, v] of [['A', 0], ['B', 1]] as const) for (let s = 0; s < 4; s++) recs.push({ key: `${p}${s}`, dimension: 'd', sample: `${p}${s}`, path: '', prompt: p, contentSha256: '', ok: true, value: v, at: '' });
  const t = promptSamplesOf(recs);
  const universe = universeOf([t]);
  const placed = placeInUniverse(t, universe);
  const rng = new Prng(5);
  const seen = new Set<number>();
  for (let b = 0; b < 500; b++) seen.add(weightedMean(placed, drawCounts(universe.size, rng)));
  assert.deepEqual([...seen].sort(), [0, 0.5, 1]);
});
