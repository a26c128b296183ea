/**
 * diffusers' DDPMScheduler (the class the osp480 / sd512 model_index.json names; behaviour of
 * huggingface/diffusers 58eb52c), inference
 * side: betas, alphas_cumprod, the timestep spacings and step() with "fixed_small" (default) or
 * "fixed_large" variance, for epsilon / v_prediction / sample outputs, with optional x0 clipping.
 *
 * Precision as diffusers computes it on CPU: betas from Python float64 math rounded to float32;
 * alphas = 1 − β in float32; alphas_cumprod = torch.cumprod, whose CPU kernel accumulates in
 * float64 and rounds each partial product to float32; every scalar and tensor operation of
 * step() in float32.
 */
import { GenbenchError } from '../../../../core/errors.ts';
import { numpyLinspace } from '../../../../core/pycompat/numpy-linspace.ts';
import { roundHalfEven } from '../../../../core/pycompat/round.ts';
import type { DiffusionSchedule } from './schedule.ts';
import type { DdpmConfig } from './scheduler-config.ts';

const f = Math.fround;

/** Glide's cosine ("squaredcos_cap_v2") betas: β_i = min(1 − ᾱ((i+1)/N)/ᾱ(i/N), 0.999), float32. */
export function squaredcosBetas(numTrain: number, maxBeta = 0.999): Float32Array {
  const abar = (t: number) => Math.cos(((t + 0.008) / 1.008) * Math.PI / 2) ** 2;
  const out = new Float32Array(numTrain);
  for (let i = 0; i < numTrain; i++) out[i] = Math.min(1 - abar((i + 1) / numTrain) / abar(i / numTrain), maxBeta);
  return out;
}

/** The betas a config asks for (squaredcos_cap_v2 or explicit trained_betas). */
export function ddpmBetas(cfg: DdpmConfig): Float32Array {
  if (cfg.trained_betas) return Float32Array.from(cfg.trained_betas);
  if (cfg.beta_schedule === 'squaredcos_cap_v2') return squaredcosBetas(cfg.num_train_timesteps);
  throw new GenbenchError(
    'E_INPUT',
    `scheduler_config.json: beta_schedule "${cfg.beta_schedule}" is not supported`,
    'genbench implements squaredcos_cap_v2 (the NOVA checkpoints) and explicit trained_betas',
  );
}

/** alphas_cumprod from betas (float64 running product, each entry rounded to float32). */
export function alphasCumprod(betas: Float32Array): Float32Array {
  const out = new Float32Array(betas.length);
  let acc = 1;
  for (let i = 0; i < betas.length; i++) {
    acc *= f(1 - betas[i]!);
    out[i] = acc;
  }
  return out;
}

/** DDPM timesteps for K inference steps (diffusers set_timesteps, per timestep_spacing). */
export function ddpmTimesteps(cfg: DdpmConfig, numSteps: number): number[] {
  const N = cfg.num_train_timesteps;
  if (!Number.isInteger(numSteps) || numSteps < 1 || numSteps > N) {
    throw new GenbenchError('E_INPUT', `DDPM: ${numSteps} diffusion steps; it must be an integer in 1..${N} (num_train_timesteps)`);
  }
  switch (cfg.timestep_spacing) {
    case 'leading': {
      const ratio = Math.floor(N / numSteps);
      return Array.from({ length: numSteps }, (_, j) => (numSteps - 1 - j) * ratio + cfg.steps_offset);
    }
    case 'linspace':
      return numpyLinspace(0, N - 1, numSteps).map(roundHalfEven).reverse();
    case 'trailing': {
      const ratio = N / numSteps;
      const out: number[] = [];
      // np.arange(N, 0, -ratio): N − i·ratio while > 0, rounded half-even, minus 1.
      const count = Math.ceil(N / ratio);
      for (let i = 0; i < count; i++) {
        out.push(roundHalfEven(N + i * -ratio) - 1);
      }
      return out;
    }
  }
}

/** A DDPM schedule for K steps. `betas` defaults to the config's. */
export function ddpmSchedule(cfg: DdpmConfig, numSteps: number, betas: Float32Array = ddpmBetas(cfg)): DiffusionSchedule {
  const acp = alphasCumprod(betas);
  const timesteps = ddpmTimesteps(cfg, numSteps);
  const clip = cfg.clip_sample ? f(cfg.clip_sample_range) : null;
  const minVar = f(1e-20);
  return {
    kind: 'ddpm',
    timesteps,
    drawsNoise: (j) => timesteps[j]! > 0,
    step(j, mo, x, noise) {
      const t = timesteps[j]!;
      // diffusers (since 0.2x) steps to the next listed timestep (−1 after the last); older
      // releases used t − N//K. The two agree for "leading" spacing, which the NOVA configs use.
      const prevT = j + 1 < timesteps.length ? timesteps[j + 1]! : -1;
      const aT = acp[t]!;
      const aPrev = prevT >= 0 ? acp[prevT]! : 1;
      const betaProdT = f(1 - aT);
      const betaProdPrev = f(1 - aPrev);
      const curAlpha = f(aT / aPrev);
      const curBeta = f(1 - curAlpha);
      const sqrtA = f(Math.sqrt(aT));
      const sqrtB = f(Math.sqrt(betaProdT));
      const c0 = f(f(f(Math.sqrt(aPrev)) * curBeta) / betaProdT);
      const c1 = f(f(f(Math.sqrt(curAlpha)) * betaProdPrev) / betaProdT);
      let std = 0;
      if (t > 0) {
        if (!noise || noise.length !== x.length) throw new GenbenchError('E_INPUT', `DDPM step ${j} (t=${t}) needs noise of ${x.length} values`);
        const variance = cfg.variance_type === 'fixed_large' ? curBeta : Math.max(f(f(betaProdPrev / betaProdT) * curBeta), minVar);
        std = f(Math.sqrt(variance));
      }
      const out = new Float32Array(x.length);
      for (let i = 0; i < x.length; i++) {
        let x0: number;
        if (cfg.prediction_type === 'epsilon') x0 = f(f(x[i]! - f(sqrtB * mo[i]!)) / sqrtA);
        else if (cfg.prediction_type === 'v_prediction') x0 = f(f(sqrtA * x[i]!) - f(sqrtB * mo[i]!));
        else x0 = mo[i]!;
        if (clip !== null) x0 = Math.min(Math.max(x0, -clip), clip);
        let v = f(f(c0 * x0) + f(c1 * x[i]!));
        if (t > 0) v = f(v + f(std * noise![i]!));
        out[i] = v;
      }
      return out;
    },
  };
}
