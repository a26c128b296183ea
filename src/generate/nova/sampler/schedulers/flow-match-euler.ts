/**
 * diffusers' FlowMatchEulerDiscreteScheduler (the class the sdxl1024 model_index.json names),
 * static shifting only: training sigmas (N..1)/N in float32, shifted by s·σ/(1+(s−1)·σ) in
 * float32 at construction; set_timesteps(K) spaces K values linearly (numpy float64) between
 * N·σ_max and N·σ_min, divides by N, shifts again in float64 (with the current shift, which
 * `flow_shift` may have replaced), rounds to float32; timesteps = float32(σ·N); a final σ = 0 is
 * appended. step: x + (σ_{j+1} − σ_j)·v in float32 (no noise).
 */
import type { DiffusionSchedule } from './schedule.ts';
import type { FlowMatchConfig } from './scheduler-config.ts';
import { numpyLinspace } from '../../../../core/pycompat/numpy-linspace.ts';
import { GenbenchError } from '../../../../core/errors.ts';

const f = Math.fround;

/** σ_max and σ_min of the constructed scheduler (the shifted training sigmas' first and last). */
export function flowSigmaRange(cfg: FlowMatchConfig): { sigmaMax: number; sigmaMin: number } {
  const N = cfg.num_train_timesteps;
  const s = f(cfg.shift);
  const shifted = (sigma: number) => f(f(s * sigma) / f(1 + f(f(cfg.shift - 1) * sigma)));
  return { sigmaMax: shifted(f(N / N)), sigmaMin: shifted(f(1 / N)) };
}

/** The K sigmas (float32) followed by the appended 0, and the K timesteps. */
export function flowSigmas(cfg: FlowMatchConfig, numSteps: number, shiftOverride?: number): { sigmas: number[]; timesteps: number[] } {
  if (!Number.isInteger(numSteps) || numSteps < 1) throw new GenbenchError('E_INPUT', `flow matching: ${numSteps} diffusion steps; it must be a positive integer`);
  const N = cfg.num_train_timesteps;
  const shift = shiftOverride ?? cfg.shift;
  const { sigmaMax, sigmaMin } = flowSigmaRange(cfg);
  const sig = numpyLinspace(sigmaMax * N, sigmaMin * N, numSteps).map((t) => {
    const s = t / N;
    return f((shift * s) / (1 + (shift - 1) * s));
  });
  return { sigmas: [...sig, 0], timesteps: sig.map((s) => f(s * N)) };
}

export function flowMatchSchedule(cfg: FlowMatchConfig, numSteps: number, shiftOverride?: number): DiffusionSchedule {
  const { sigmas, timesteps } = flowSigmas(cfg, numSteps, shiftOverride);
  return {
    kind: 'flow-match-euler',
    timesteps,
    drawsNoise: () => false,
    step(j, v, x) {
      const dt = f(sigmas[j + 1]! - sigmas[j]!);
      const out = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) out[i] = f(x[i]! + f(dt * v[i]!));
      return out;
    },
  };
}
