/**
 * FROZEN — do not edit. The settings object GenEval task dimensions had before their
 * number-changing parameters and their descriptions were split (core/define-dimension.ts), for
 * given option values, class-name list and colour settings: records and run.json files written
 * then were keyed by exactly this object (stable JSON, prose included), so they are found under it.
 * tests/core/define-dimension.test.ts checks it against the objects genbench 341c381 built
 * (tests/fixtures/runs/pre-define-dimension/settings.json).
 */
import type { GenevalOptionParams } from './task-checks.ts';

export function genevalTaskBefore(p: Readonly<GenevalOptionParams>, classNamesSha256: string, color: Record<string, unknown> | undefined): Record<string, unknown> {
  return {
    options: {
      threshold: p.threshold,
      counting_threshold: p.counting_threshold,
      max_objects: p.max_objects,
      max_overlap: p.max_overlap,
      position_threshold: p.position_threshold,
    },
    detector: 'mmdet 2.x test pipeline (imrescale 1333×800 cv2 bilinear, pad /32 with 128, imnormalize) → Mask2Former → instance post-processing',
    ...(color ? { color } : {}),
    aggregate: 'correct images / images of the task (summary_scores.py)',
    official: 'djghosh13/geneval evaluation/evaluate_images.py @af4902f24d3ca90ebbb446dd9891a59e0f82725f',
    classNamesSha256,
  };
}
