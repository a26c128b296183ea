/**
 * A diffusion schedule prepared for K steps: the timesteps fed to the MLP head, and the update
 * x_{j+1} = step(j, model output, x_j, noise). Both kinds the checkpoints name in their
 * model_index.json (diffusers' DDPMScheduler and FlowMatchEulerDiscreteScheduler) implement it.
 * All tensor math is float32, rounded after every operation as torch's CPU float32 kernels do.
 */
export interface DiffusionSchedule {
  readonly kind: 'ddpm' | 'flow-match-euler';
  /** Timesteps in order (integers for DDPM, float32 values for flow matching). */
  readonly timesteps: readonly number[];
  /** Whether step j adds fresh standard-normal noise (DDPM with t > 0; never for flow matching). */
  drawsNoise(j: number): boolean;
  /** x after step j; `noise` (same length as x) is required exactly when drawsNoise(j). */
  step(j: number, modelOutput: Float32Array, sample: Float32Array, noise?: Float32Array): Float32Array;
}
