/** The diffusion schedule a checkpoint's scheduler config asks for (DDPM or Euler flow matching). */
import { GenbenchError } from '../../../../core/errors.ts';
import { ddpmSchedule } from './ddpm.ts';
import { flowMatchSchedule } from './flow-match-euler.ts';
import type { DiffusionSchedule } from './schedule.ts';
import type { SchedulerConfig } from './scheduler-config.ts';

/** The schedule of a config for K diffusion steps (`flowShift` = the pipeline's flow_shift). */
export function makeSchedule(cfg: SchedulerConfig, numSteps: number, flowShift?: number): DiffusionSchedule {
  if (cfg._class_name === 'DDPMScheduler') {
    if (flowShift !== undefined) throw new GenbenchError('E_USAGE', 'flow shift applies to flow-matching checkpoints only; this one uses DDPM', 'drop the flow shift setting');
    return ddpmSchedule(cfg, numSteps);
  }
  return flowMatchSchedule(cfg, numSteps, flowShift);
}
