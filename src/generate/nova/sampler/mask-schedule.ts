/**
 * How many tokens each set-by-set step of a frame predicts (spec §4.2, pipeline_nova.py): with N
 * tokens and S steps, r_j = cos(π/2 · j/S) for j = 0..S (float64), L_j = round-half-even(r_j·N),
 * k_j = L_j − L_{j+1}. Few tokens first, many at the end; Σ k_j = N. Steps with k_j = 0 are
 * skipped by the official loop, so `tokenSets` drops them.
 */
import { GenbenchError } from '../../../core/errors.ts';
import { roundHalfEven } from '../../../core/pycompat/round.ts';

/** k_0..k_{S-1} as the official code computes them (zeros kept). */
export function maskSchedule(numTokens: number, numSteps: number): number[] {
  if (!Number.isInteger(numTokens) || numTokens < 1) throw new GenbenchError('E_INPUT', `mask schedule: token count must be a positive integer, got ${numTokens}`);
  if (!Number.isInteger(numSteps) || numSteps < 1) throw new GenbenchError('E_INPUT', `mask schedule: step count must be a positive integer, got ${numSteps}`);
  const lengths: number[] = [];
  // numpy evaluates 0.5 * np.pi * arange(S+1) / S left to right: ((0.5π)·j)/S.
  for (let j = 0; j <= numSteps; j++) lengths.push(roundHalfEven(Math.cos(((0.5 * Math.PI) * j) / numSteps) * numTokens));
  return lengths.slice(0, -1).map((l, j) => l - lengths[j + 1]!);
}

/** The non-empty sets in order: how many tokens each executed step predicts. */
export function tokenSets(numTokens: number, numSteps: number): number[] {
  return maskSchedule(numTokens, numSteps).filter((k) => k > 0);
}
