/**
 * VBench overall_consistency (vbench/overall_consistency.py @45e79ec, spec §11): the same procedure
 * as temporal_style (ViCLIP video–text cosine, numpy mean over videos) on overall_consistency's own
 * prompts; see temporal-style.ts.
 */
import { viclipSimilarityDimension } from './temporal-style.ts';

export const overallConsistency = viclipSimilarityDimension('overall_consistency', 'vbench/overall_consistency.py');
