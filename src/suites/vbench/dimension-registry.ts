import { GenbenchError } from '../../core/errors.ts';
import type { Dimension } from '../../core/contracts.ts';
import { VBENCH_CUSTOM_MODE_EXCLUDED, VBENCH_DIMENSION_IDS } from './constants.ts';

type Factory = () => Promise<Dimension>;

/** VBench dimensions built so far; the others are planned (issues #4 quality, semantic later). */
const FACTORIES: Record<string, Factory> = {
  subject_consistency: async () => (await import('./subject-consistency.ts')).createSubjectConsistencyDimension(),
  background_consistency: async () => (await import('./background-consistency.ts')).createBackgroundConsistencyDimension(),
  temporal_flickering: async () => (await import('./temporal-flickering.ts')).createTemporalFlickeringDimension(),
  motion_smoothness: async () => (await import('./motion-smoothness.ts')).createMotionSmoothnessDimension(),
  imaging_quality: async () => (await import('./imaging-quality.ts')).createImagingQualityDimension(),
  dynamic_degree: async () => (await import('./dynamic-degree.ts')).createDynamicDegreeDimension(),
  aesthetic_quality: async () => (await import('./aesthetic-quality.ts')).createAestheticQualityDimension(),
};

export function implementedVbenchDimensions(): string[] {
  return VBENCH_DIMENSION_IDS.filter((id) => id in FACTORIES);
}

/** Dimensions a mode allows, split into those we can score and those not built yet. */
export function defaultVbenchDimensions(mode: 'custom' | 'standard'): { available: string[]; notImplemented: string[] } {
  const allowed = VBENCH_DIMENSION_IDS.filter((id) => mode === 'standard' || !VBENCH_CUSTOM_MODE_EXCLUDED.includes(id));
  return {
    available: allowed.filter((id) => id in FACTORIES),
    notImplemented: allowed.filter((id) => !(id in FACTORIES)),
  };
}

export async function createVbenchDimension(id: string): Promise<Dimension> {
  const f = FACTORIES[id];
  if (!f) {
    throw new GenbenchError(
      'E_NOT_IMPLEMENTED',
      `VBench dimension "${id}" is not implemented yet`,
      `implemented: ${implementedVbenchDimensions().join(', ')}`,
    );
  }
  return f();
}
