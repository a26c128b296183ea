/**
 * VBench's ViCLIP video–text score (get_vid_features / get_text_features and `clip_feat @ text_feat.T`
 * in vbench/temporal_style.py and overall_consistency.py): each feature divided by its L2 norm in
 * float32, then their dot product as a float32 value — the cosine, with no logit scale.
 */
import { unitRowF32 } from '../common/unit-row.ts';

const f32 = Math.fround;

/** The cosine of a video and a text feature (raw tower outputs of the same width), as a float32 value. */
export function videoTextSimilarity(video: Float32Array, text: Float32Array): number {
  if (video.length !== text.length) throw new RangeError(`video features have ${video.length} values, text features ${text.length}`);
  const v = unitRowF32(video);
  const t = unitRowF32(text);
  let dot = 0;
  for (let i = 0; i < v.length; i++) dot += v[i]! * t[i]!;
  return f32(dot);
}
