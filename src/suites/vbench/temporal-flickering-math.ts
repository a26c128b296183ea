/**
 * The arithmetic of VBench temporal_flickering (vbench/temporal_flickering.py @45e79ec), with
 * numpy's rounding:
 *  - pair MAE: `np.mean(cv2.absdiff(float32(F_i), float32(F_i+1)))` — a float32. numpy sums a
 *    float32 array in buffers of 8192 elements, each summed pairwise in float32, and adds each
 *    buffer's sum to a float32 running total; the mean is that total / count, rounded to float32.
 *    With uint8 frames every value is an integer 0..255, so a buffer's sum (≤ 8192·255 < 2^24) is
 *    exact in float32 and an integer loop gives it; only the running total rounds.
 *  - video score: `(255 − np.mean(pair MAEs as a float32 array).item()) / 255` in float64
 *    (NaN for a video with one frame, as the official code returns).
 *  - dimension score: `np.mean(list of video scores)`, float64 pairwise.
 */
import { numpyMeanF32 } from '../../core/numpy-float32.ts';
import { numpyMean } from '../../core/numpy-mean.ts';

/** numpy's reduction buffer size, in elements (np.getbufsize()). */
export const NUMPY_BUFFER_ELEMENTS = 8192;

/** Sum of |a[i] − b[i]| over [start, end): exact (an integer below 2^53). */
function absDiffSum(a: Uint8Array, b: Uint8Array, start: number, end: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = start;
  for (const end2 = end - 1; i < end2; i += 2) {
    const d0 = a[i]! - b[i]!;
    const d1 = a[i + 1]! - b[i + 1]!;
    s0 += d0 < 0 ? -d0 : d0;
    s1 += d1 < 0 ? -d1 : d1;
  }
  if (i < end) {
    const d = a[i]! - b[i]!;
    s0 += d < 0 ? -d : d;
  }
  return s0 + s1;
}

/**
 * Mean absolute difference of two uint8 frames of the same size over all pixels and channels,
 * exactly as numpy computes it in float32 (returned as the float32 value).
 */
export function pairMeanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  const n = a.length;
  if (n !== b.length) throw new RangeError(`frames differ in size: ${a.length} vs ${b.length} bytes`);
  if (n === 0) return Number.NaN;
  let total = 0;
  for (let s = 0; s < n; s += NUMPY_BUFFER_ELEMENTS) {
    total = Math.fround(total + absDiffSum(a, b, s, Math.min(s + NUMPY_BUFFER_ELEMENTS, n)));
  }
  return Math.fround(total / n);
}

/** Per-video score from the pair MAEs (float32 values, in frame order). NaN when there are none. */
export function videoScoreFromPairMaes(pairMaes: ArrayLike<number>): number {
  return (255 - numpyMeanF32(pairMaes)) / 255;
}

/** Dimension score: the mean of the per-video scores in their order (NaN for none, as numpy). */
export function aggregateVideoScores(scores: ArrayLike<number>): number {
  return numpyMean(scores);
}

/**
 * Streaming per-video accumulation: feed frames in order, keep only the previous one (the caller
 * must not overwrite a frame's buffer before the next frame has been added).
 */
export class FlickerAccumulator {
  private prev: Uint8Array | undefined;
  private readonly maes: number[] = [];
  frames = 0;

  add(frame: Uint8Array): void {
    if (this.prev) this.maes.push(pairMeanAbsDiff(this.prev, frame));
    this.prev = frame;
    this.frames += 1;
  }

  get pairMaes(): readonly number[] {
    return this.maes;
  }

  /** The official per-video score (NaN with fewer than two frames). */
  score(): number {
    return videoScoreFromPairMaes(this.maes);
  }
}
