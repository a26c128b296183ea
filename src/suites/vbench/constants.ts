/**
 * VBench's normalization of dimension scores (scripts/constant.py at the pinned commit):
 * normalized = (score − min) / (max − min) · weight; Quality averages the seven quality
 * dimensions by their weights, Semantic the nine semantic ones, Total = (4·Q + 1·S) / 5.
 */
export type VbenchGroup = 'quality' | 'semantic';

export interface VbenchDimensionInfo {
  id: string;
  /** Name as VBench's score script and the papers write it. */
  label: string;
  min: number;
  max: number;
  weight: number;
  group: VbenchGroup;
  /**
   * Per-sample values (records, the official per-video `video_results`) are this many times the
   * dimension score's unit; absent means 1. imaging_quality: MUSIQ's MOS is 0–100 per video and the
   * official score divides the mean by 100.
   */
  perSampleScale?: number;
}

export const VBENCH_DIMENSIONS: readonly VbenchDimensionInfo[] = [
  { id: 'subject_consistency', label: 'subject consistency', min: 0.1462, max: 1.0, weight: 1, group: 'quality' },
  { id: 'background_consistency', label: 'background consistency', min: 0.2615, max: 1.0, weight: 1, group: 'quality' },
  { id: 'temporal_flickering', label: 'temporal flickering', min: 0.6293, max: 1.0, weight: 1, group: 'quality' },
  { id: 'motion_smoothness', label: 'motion smoothness', min: 0.706, max: 0.9975, weight: 1, group: 'quality' },
  { id: 'dynamic_degree', label: 'dynamic degree', min: 0.0, max: 1.0, weight: 0.5, group: 'quality' },
  { id: 'aesthetic_quality', label: 'aesthetic quality', min: 0.0, max: 1.0, weight: 1, group: 'quality' },
  { id: 'imaging_quality', label: 'imaging quality', min: 0.0, max: 1.0, weight: 1, group: 'quality', perSampleScale: 100 },
  { id: 'object_class', label: 'object class', min: 0.0, max: 1.0, weight: 1, group: 'semantic' },
  { id: 'multiple_objects', label: 'multiple objects', min: 0.0, max: 1.0, weight: 1, group: 'semantic' },
  { id: 'human_action', label: 'human action', min: 0.0, max: 1.0, weight: 1, group: 'semantic' },
  { id: 'color', label: 'color', min: 0.0, max: 1.0, weight: 1, group: 'semantic' },
  { id: 'spatial_relationship', label: 'spatial relationship', min: 0.0, max: 1.0, weight: 1, group: 'semantic' },
  { id: 'scene', label: 'scene', min: 0.0, max: 0.8222, weight: 1, group: 'semantic' },
  { id: 'appearance_style', label: 'appearance style', min: 0.0009, max: 0.2855, weight: 1, group: 'semantic' },
  { id: 'temporal_style', label: 'temporal style', min: 0.0, max: 0.364, weight: 1, group: 'semantic' },
  { id: 'overall_consistency', label: 'overall consistency', min: 0.0, max: 0.364, weight: 1, group: 'semantic' },
];

export const VBENCH_DIMENSION_IDS: readonly string[] = VBENCH_DIMENSIONS.map((d) => d.id);

/** Relative weights of the two groups in the Total score. */
export const VBENCH_GROUP_WEIGHTS = { quality: 4, semantic: 1 } as const;

/** Dimensions VBench's custom_input mode refuses (they need per-prompt auxiliary info). */
export const VBENCH_CUSTOM_MODE_EXCLUDED: readonly string[] = [
  'object_class',
  'multiple_objects',
  'scene',
  'appearance_style',
  'color',
  'spatial_relationship',
];

export function vbenchDimensionInfo(id: string): VbenchDimensionInfo | undefined {
  return VBENCH_DIMENSIONS.find((d) => d.id === id);
}

/** Per-sample value ÷ this = the value on the dimension score's scale (1 for every dimension but imaging_quality). */
export function vbenchPerSampleScale(id: string): number {
  return vbenchDimensionInfo(id)?.perSampleScale ?? 1;
}

/** Order in which the official score script sums each group (it decides float rounding). */
export const VBENCH_GROUP_ORDER: Readonly<Record<VbenchGroup, readonly string[]>> = {
  quality: [
    'subject_consistency',
    'background_consistency',
    'temporal_flickering',
    'motion_smoothness',
    'aesthetic_quality',
    'imaging_quality',
    'dynamic_degree',
  ],
  semantic: [
    'object_class',
    'multiple_objects',
    'human_action',
    'color',
    'spatial_relationship',
    'scene',
    'appearance_style',
    'temporal_style',
    'overall_consistency',
  ],
};
