/**
 * VBench's `get_frame_indices(num_frames, vlen, sample='middle')`: split [0, vlen) into
 * min(num_frames, vlen) equal intervals (edges truncated to integers), take each interval's
 * integer midpoint, and pad with the last index up to num_frames.
 */
export function middleFrameIndices(numFrames: number, videoLength: number): number[] {
  const acc = Math.min(numFrames, videoLength);
  const edges: number[] = [];
  // numpy.linspace(0, vlen, acc+1): i * (vlen/acc) in float64, the last edge set to vlen exactly;
  // then .astype(int) truncates toward zero.
  const step = acc === 0 ? 0 : videoLength / acc;
  for (let i = 0; i <= acc; i++) edges.push(i === acc ? videoLength : Math.trunc(i * step));
  const out: number[] = [];
  for (let i = 0; i < acc; i++) {
    const a = edges[i]!;
    const b = edges[i + 1]! - 1;
    out.push(Math.floor((a + b) / 2));
  }
  while (out.length < numFrames && out.length > 0) out.push(out[out.length - 1]!);
  return out;
}
