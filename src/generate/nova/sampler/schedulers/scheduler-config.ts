/**
 * scheduler/scheduler_config.json of a NOVA checkpoint, validated. The class is chosen by
 * `_class_name` (what model_index.json also names); fields genbench does not implement are refused
 * by name instead of being silently ignored. Defaults are diffusers' constructor defaults (e.g.
 * clip_sample true for DDPM: a config that omits it clips x0 to ±1, as diffusers would).
 */
import { z } from 'zod';
import { GenbenchError } from '../../../../core/errors.ts';

const common = {
  _diffusers_version: z.string().optional(),
  num_train_timesteps: z.number().int().positive().default(1000),
};

export const DdpmConfigSchema = z.object({
  _class_name: z.literal('DDPMScheduler'),
  ...common,
  beta_start: z.number().default(0.0001),
  beta_end: z.number().default(0.02),
  beta_schedule: z.string().default('linear'),
  trained_betas: z.array(z.number()).nullable().default(null),
  variance_type: z.string().default('fixed_small'),
  clip_sample: z.boolean().default(true),
  clip_sample_range: z.number().positive().default(1),
  prediction_type: z.enum(['epsilon', 'v_prediction', 'sample']).default('epsilon'),
  thresholding: z.boolean().default(false),
  dynamic_thresholding_ratio: z.number().optional(),
  sample_max_value: z.number().optional(),
  timestep_spacing: z.enum(['leading', 'linspace', 'trailing']).default('leading'),
  steps_offset: z.number().int().nonnegative().default(0),
  rescale_betas_zero_snr: z.boolean().default(false),
  /** Accepted and ignored, as diffusers' DDPMScheduler ignores it (a DDIM option). */
  set_alpha_to_one: z.boolean().optional(),
});
export type DdpmConfig = z.output<typeof DdpmConfigSchema>;

export const FlowMatchConfigSchema = z.object({
  _class_name: z.literal('FlowMatchEulerDiscreteScheduler'),
  ...common,
  shift: z.number().positive().default(1),
  use_dynamic_shifting: z.boolean().default(false),
  base_shift: z.number().nullable().optional(),
  max_shift: z.number().nullable().optional(),
  base_image_seq_len: z.number().optional(),
  max_image_seq_len: z.number().optional(),
  invert_sigmas: z.boolean().default(false),
  shift_terminal: z.number().nullable().default(null),
  use_karras_sigmas: z.boolean().default(false),
  use_exponential_sigmas: z.boolean().default(false),
  use_beta_sigmas: z.boolean().default(false),
  time_shift_type: z.string().optional(),
  stochastic_sampling: z.boolean().default(false),
});
export type FlowMatchConfig = z.output<typeof FlowMatchConfigSchema>;

export type SchedulerConfig = DdpmConfig | FlowMatchConfig;

function unsupported(file: string, field: string, value: unknown, hint: string): never {
  throw new GenbenchError('E_INPUT', `${file}: ${field} = ${JSON.stringify(value)} is not supported`, hint);
}

/** Parses and checks a scheduler_config.json object; `file` names it in errors. */
export function parseSchedulerConfig(json: unknown, file = 'scheduler_config.json'): SchedulerConfig {
  const cls = (json as { _class_name?: unknown } | null)?._class_name;
  const schema = cls === 'DDPMScheduler' ? DdpmConfigSchema : cls === 'FlowMatchEulerDiscreteScheduler' ? FlowMatchConfigSchema : null;
  if (!schema) unsupported(file, '_class_name', cls, 'NOVA checkpoints use DDPMScheduler or FlowMatchEulerDiscreteScheduler');
  const r = schema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new GenbenchError('E_INPUT', `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`, 'the file is not a diffusers scheduler config genbench understands');
  }
  const cfg = r.data as SchedulerConfig;
  if (cfg._class_name === 'DDPMScheduler') {
    if (cfg.thresholding) unsupported(file, 'thresholding', true, 'dynamic thresholding is not implemented');
    if (cfg.rescale_betas_zero_snr) unsupported(file, 'rescale_betas_zero_snr', true, 'zero-terminal-SNR rescaling is not implemented');
    if (cfg.variance_type !== 'fixed_small' && cfg.variance_type !== 'fixed_large') unsupported(file, 'variance_type', cfg.variance_type, 'genbench implements fixed_small and fixed_large');
    if (!cfg.trained_betas && cfg.beta_schedule !== 'squaredcos_cap_v2') unsupported(file, 'beta_schedule', cfg.beta_schedule, 'genbench implements squaredcos_cap_v2 (the NOVA checkpoints) and trained_betas');
  } else {
    for (const k of ['use_dynamic_shifting', 'invert_sigmas', 'use_karras_sigmas', 'use_exponential_sigmas', 'use_beta_sigmas', 'stochastic_sampling'] as const) {
      if (cfg[k]) unsupported(file, k, true, 'genbench implements the static-shift Euler flow-matching scheduler');
    }
    if (cfg.shift_terminal) unsupported(file, 'shift_terminal', cfg.shift_terminal, 'terminal stretching is not implemented');
  }
  return cfg;
}
