/**
 * The one list of VBench dimensions built so far: their definitions (core/define-dimension.ts),
 * from which the dimensions are created and `--options` are read (dimension-options.ts). The other
 * dimensions of VBENCH_DIMENSION_IDS are planned (semantic ones later).
 */
import { GenbenchError } from '../../core/errors.ts';
import type { Dimension } from '../../core/contracts.ts';
import type { DimensionDefinition } from '../../core/define-dimension.ts';
import { VBENCH_CUSTOM_MODE_EXCLUDED, VBENCH_DIMENSION_IDS } from './constants.ts';
import { aestheticQuality } from './aesthetic-quality.ts';
import { appearanceStyle } from './appearance-style.ts';
import { backgroundConsistency } from './background-consistency.ts';
import { dynamicDegree } from './dynamic-degree.ts';
import { humanAction } from './human-action.ts';
import { imagingQuality } from './imaging-quality.ts';
import { motionSmoothness } from './motion-smoothness.ts';
import { overallConsistency } from './overall-consistency.ts';
import { subjectConsistency } from './subject-consistency.ts';
import { temporalFlickering } from './temporal-flickering.ts';
import { temporalStyle } from './temporal-style.ts';

const DEFINITIONS: readonly DimensionDefinition[] = [
  subjectConsistency,
  backgroundConsistency,
  temporalFlickering,
  motionSmoothness,
  imagingQuality,
  dynamicDegree,
  aestheticQuality,
  appearanceStyle,
  humanAction,
  temporalStyle,
  overallConsistency,
];

const BY_ID: ReadonlyMap<string, DimensionDefinition> = new Map(DEFINITIONS.map((d) => [d.id, d]));

/** Ids of the dimensions built so far, in VBench's order. */
export function implementedVbenchDimensions(): string[] {
  return VBENCH_DIMENSION_IDS.filter((id) => BY_ID.has(id));
}

/** Definitions of the dimensions built so far, in VBench's order. */
export function vbenchDefinitions(): DimensionDefinition[] {
  return implementedVbenchDimensions().map((id) => BY_ID.get(id)!);
}

/** Dimensions a mode allows, split into those we can score and those not built yet. */
export function defaultVbenchDimensions(mode: 'custom' | 'standard'): { available: string[]; notImplemented: string[] } {
  const allowed = VBENCH_DIMENSION_IDS.filter((id) => mode === 'standard' || !VBENCH_CUSTOM_MODE_EXCLUDED.includes(id));
  return {
    available: allowed.filter((id) => BY_ID.has(id)),
    notImplemented: allowed.filter((id) => !BY_ID.has(id)),
  };
}

/** The definition of a dimension built so far; E_NOT_IMPLEMENTED for the others. */
export function vbenchDefinition(id: string): DimensionDefinition {
  const d = BY_ID.get(id);
  if (!d) {
    throw new GenbenchError(
      'E_NOT_IMPLEMENTED',
      `VBench dimension "${id}" is not implemented yet`,
      `implemented: ${implementedVbenchDimensions().join(', ')}`,
    );
  }
  return d;
}

/** A VBench dimension with its parameters' defaults. */
export async function createVbenchDimension(id: string): Promise<Dimension> {
  return vbenchDefinition(id).create();
}
