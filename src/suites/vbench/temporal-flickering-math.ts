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
import { numpyMeanF32 } from '../../core/pycompat/numpy-float32.ts';
import { numpyMean } from '../../core/pycompat/numpy-mean.ts';
import { absDiffSumJs, SimdAbsDiff } from './abs-diff-kernel.ts';

/** numpy's reduction buffer size, in elements (np.getbufsize()). */
export const NUMPY_BUFFER_ELEMENTS = 8192;

/**
 * numpy's float32 mean of n absolute differences, given exact sums over index ranges: buffer
 * sums (exact integers) added to a float32 running total, then total / n rounded to float32.
 */
function float32MeanFromSums(n: number, sum: (start: number, end: number) => number): number {
  if (n === 0) return Number.NaN;
  let total = 0;
  for (let s = 0; s < n; s += NUMPY_BUFFER_ELEMENTS) total = Math.fround(total + sum(s, Math.min(s + NUMPY_BUFFER_ELEMENTS, n)));
  return Math.fround(total / n);
}

/**
 * Mean absolute difference of two uint8 frames of the same size over all pixels and channels,
 * exactly as numpy computes it in float32 (returned as the float32 value).
 */
export function pairMeanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new RangeError(`frames differ in size: ${a.length} vs ${b.length} bytes`);
  return float32MeanFromSums(a.length, (s, e) => absDiffSumJs(a, b, s, e));
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
 * Streaming per-video accumulation: feed frames in order; only the previous frame is kept (copied
 * into WebAssembly memory when SIMD is available, so the caller may reuse its buffer at once;
 * otherwise referenced, so the caller must leave it intact until the next frame is added).
 */
export class FlickerAccumulator {
  private readonly simd: SimdAbsDiff | null;
  /** The previous frame (plain path only; the SIMD path holds its copy in WebAssembly memory). */
  private prev: Uint8Array | undefined;
  private frameBytes = -1;
  private readonly maes: number[] = [];
  frames = 0;

  constructor(opts: { simd?: boolean } = {}) {
    this.simd = opts.simd === false ? null : SimdAbsDiff.create();
  }

  /** Whether the WebAssembly SIMD kernel is in use. */
  get usesSimd(): boolean {
    return this.simd !== null;
  }

  add(frame: Uint8Array): void {
    if (this.frames > 0 && frame.length !== this.frameBytes) {
      throw new RangeError(`frame ${this.frames} has ${frame.length} bytes, the one before ${this.frameBytes}`);
    }
    this.frameBytes = frame.length;
    if (this.simd) {
      const simd = this.simd;
      simd.load((this.frames % 2) as 0 | 1, frame);
      if (this.frames > 0) this.maes.push(float32MeanFromSums(frame.length, (s, e) => simd.sum(s, e)));
    } else {
      if (this.prev) this.maes.push(pairMeanAbsDiff(this.prev, frame));
      this.prev = frame;
    }
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
