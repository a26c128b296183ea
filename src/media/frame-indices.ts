/**
 * VBench's `get_frame_indices(num_frames, vlen, sample='middle')` (vbench/utils.py):
 * split [0, vlen) into acc = min(num_frames, vlen) intervals whose edges are numpy's
 * `linspace(0, vlen, acc + 1)` truncated to integers, take each interval's integer midpoint
 * ⌊(start + end − 1)/2⌋, and pad with the last index up to num_frames.
 *
 * numpy's linspace computes edge i as i × (vlen/acc) in float64 (the quotient rounded first) and
 * sets the last edge to vlen exactly; the same operations in JavaScript give the same doubles.
 */
import { GenbenchError } from '../core/errors.ts';

function linspaceEdges(vlen: number, intervals: number): number[] {
  if (intervals === 0) return [0];
  const step = vlen / intervals;
  const edges: number[] = [];
  for (let i = 0; i < intervals; i++) edges.push(Math.trunc(i * step));
  edges.push(vlen);
  return edges;
}

/** Indices VBench samples with `sample='middle'`; `numFrames` long, non-decreasing. */
export function middleFrameIndices(numFrames: number, vlen: number): number[] {
  for (const [name, v] of [['numFrames', numFrames], ['vlen', vlen]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
  }
  const acc = Math.min(numFrames, vlen);
  const edges = linspaceEdges(vlen, acc);
  const out: number[] = [];
  for (let i = 0; i < acc; i++) out.push(Math.floor((edges[i]! + edges[i + 1]! - 1) / 2));
  if (out.length < numFrames) {
    // The official code pads with frame_indices[-1]; with no frame at all that raises IndexError.
    if (out.length === 0) throw new GenbenchError('E_INPUT', `cannot sample ${numFrames} frame(s) from a video with no frames`);
    const lastIndex = out[out.length - 1]!;
    while (out.length < numFrames) out.push(lastIndex);
  }
  return out;
}
