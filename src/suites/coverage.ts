/**
 * Coverage of headline scores: a headline computed from dimensions that scored fewer samples than
 * they expect (a GenEval folder with 12 of 2,212 images under --allow-partial, a VBench run with
 * missing or failed videos) is not the benchmark's number. It keeps its value (computed as the
 * official script computes it on what is there) but is marked partial, with the coverage.
 */
import type { DimensionScore } from '../core/scores-file.ts';
import type { SuiteScores } from '../core/suite-contract.ts';

export interface HeadlineLike {
  value: number | null;
  missing: string[];
  partial: boolean;
  /** Samples scored / expected over the dimensions the headline is computed from (present when short). */
  coverage?: { samples: number; expected: number };
}

/**
 * Mark each headline partial, with its coverage, when its dimensions scored fewer samples than
 * expected. `suite` says which dimensions each headline is computed from (a Suite's `scores`).
 */
export function withCoverage<T extends HeadlineLike>(
  suite: Pick<SuiteScores, 'headlineMembers'>,
  headline: Record<string, T>,
  dimensions: Readonly<Record<string, Pick<DimensionScore, 'samples' | 'expected'>>>,
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [id, h] of Object.entries(headline)) {
    const members = suite.headlineMembers(id);
    let samples = 0;
    let expected = 0;
    for (const [dim, d] of Object.entries(dimensions)) {
      if (members && !members.includes(dim)) continue;
      samples += d.samples;
      expected += Math.max(d.expected, d.samples);
    }
    out[id] = h.value !== null && samples < expected ? { ...h, partial: true, coverage: { samples, expected } } : h;
  }
  return out;
}

/** "12 of 2212 samples" for messages. */
export function coverageText(c: { samples: number; expected: number }): string {
  return `${c.samples} of ${c.expected} samples`;
}
