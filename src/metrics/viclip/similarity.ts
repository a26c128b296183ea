/**
 * VBench's ViCLIP video–text score (get_vid_features / get_text_features and `clip_feat @ text_feat.T`
 * in vbench/temporal_style.py and overall_consistency.py): each feature divided by its L2 norm in
 * float32, then their dot product as a float32 value — the cosine, with no logit scale.
 */
const f32 = Math.fround;

/** `x / x.norm(dim=-1, keepdim=True)` in float32. */
export function l2NormalizeF32(x: Float32Array): Float32Array {
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += x[i]! * x[i]!;
  const n = f32(Math.sqrt(ss));
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f32(x[i]! / n);
  return out;
}

/** The cosine of a video and a text feature (raw tower outputs of the same width), as a float32 value. */
export function videoTextSimilarity(video: Float32Array, text: Float32Array): number {
  if (video.length !== text.length) throw new RangeError(`video features have ${video.length} values, text features ${text.length}`);
  const v = l2NormalizeF32(video);
  const t = l2NormalizeF32(text);
  let dot = 0;
  for (let i = 0; i < v.length; i++) dot += v[i]! * t[i]!;
  return f32(dot);
}
