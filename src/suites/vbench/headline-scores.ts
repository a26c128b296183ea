import { VBENCH_DIMENSIONS, VBENCH_GROUP_ORDER, VBENCH_GROUP_WEIGHTS, type VbenchGroup } from './constants.ts';

export interface HeadlineScore {
  /** null when a dimension of the group is missing and partial scores are not allowed. */
  value: number | null;
  /** Dimensions of the group without a score. */
  missing: string[];
  /** True when computed with missing dimensions given a raw score of 0, as the official script does. */
  partial: boolean;
}

export interface VbenchHeadline {
  quality: HeadlineScore;
  semantic: HeadlineScore;
  total: HeadlineScore;
  normalized: Record<string, number>;
}

/** VBench's normalization of one dimension score: (score − min)/(max − min) · weight. */
export function normalizeDimension(id: string, score: number): number {
  const info = VBENCH_DIMENSIONS.find((d) => d.id === id);
  if (!info) throw new Error(`unknown VBench dimension ${id}`);
  return ((score - info.min) / (info.max - info.min)) * info.weight;
}

function groupScore(group: VbenchGroup, scores: Record<string, number>, allowPartial: boolean): HeadlineScore {
  // Summed in the official list order so the floating-point result is the official one.
  const dims = VBENCH_GROUP_ORDER[group].map((id) => VBENCH_DIMENSIONS.find((d) => d.id === id)!);
  const missing = dims.filter((d) => !(d.id in scores)).map((d) => d.id);
  if (missing.length === dims.length || (missing.length > 0 && !allowPartial)) {
    return { value: null, missing, partial: missing.length > 0 };
  }
  let sum = 0;
  let weights = 0;
  for (const d of dims) {
    weights += d.weight;
    // The official script fills a missing dimension with a raw score of 0 before normalizing.
    sum += normalizeDimension(d.id, scores[d.id] ?? 0);
  }
  return { value: sum / weights, missing, partial: missing.length > 0 };
}

/**
 * Quality, Semantic and Total from dimension scores (0..1 scale). A group with a missing dimension
 * has no score unless `allowPartial`, and then it is computed as the official script does
 * (a missing dimension's raw score is 0, which normalizes below 0 where Min > 0) and marked partial.
 */
export function vbenchHeadline(scores: Record<string, number>, allowPartial = false): VbenchHeadline {
  const quality = groupScore('quality', scores, allowPartial);
  const semantic = groupScore('semantic', scores, allowPartial);
  let total: HeadlineScore;
  const missing = [...quality.missing, ...semantic.missing];
  if (quality.value === null || semantic.value === null) {
    total = { value: null, missing, partial: missing.length > 0 };
  } else {
    const w = VBENCH_GROUP_WEIGHTS;
    total = {
      value: (w.quality * quality.value + w.semantic * semantic.value) / (w.quality + w.semantic),
      missing,
      partial: missing.length > 0,
    };
  }
  const normalized: Record<string, number> = {};
  for (const [id, v] of Object.entries(scores)) {
    if (VBENCH_DIMENSIONS.some((d) => d.id === id)) normalized[id] = normalizeDimension(id, v);
  }
  return { quality, semantic, total, normalized };
}

/** Dimensions a VBench headline is computed from: its group's for Quality and Semantic, every dimension for Total. */
export function vbenchHeadlineMembers(headline: string): readonly string[] | null {
  return headline === 'quality' || headline === 'semantic' ? VBENCH_GROUP_ORDER[headline] : null;
}
