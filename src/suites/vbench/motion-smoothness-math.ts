/**
 * The arithmetic of VBench motion_smoothness (vbench/motion_smoothness.py and
 * vbench/third_party/amt/utils/utils.py @45e79ec, spec §4), without the model:
 *  - frames: the even-indexed frames F0, F2, … are the AMT inputs; the prediction for the pair
 *    (F2k, F2k+2) is compared with the odd frame F2k+1 (`extract_frame(…, start_from=1)` of both
 *    lists); with an even frame count the last odd frame is never used. Fewer than 3 frames (one
 *    even frame) fail the official `assert len(inputs) > 1`.
 *  - AMT's input (`img2tensor`, `InputPadder(shape, 16)`: the scale-1 case every official run ends
 *    up in, §4.2) and its output to uint8 (`tensor2img`; a NaN, which the official model produces
 *    for padded sizes under 128, see motion-smoothness.ts, becomes 0) are the AMT family's:
 *    src/metrics/amt/processor.ts.
 *  - unpadding: rows [top, top + H), columns [left, left + W) of the padded prediction.
 *  - per pair: `np.mean(cv2.absdiff(F2k+1, P_k))` over H·W·3 uint8 values — an exact integer sum
 *    divided by the count in float64.
 *  - per video: vfi = `np.mean` of the pair values (float64, numpy's pairwise sum);
 *    `video_results = (255.0 − vfi) / 255.0`.
 *  - dimension score: `np.mean` of the per-video values, in order.
 */
import { numpyMean } from '../../core/pycompat/numpy-mean.ts';
import { toUint8, type Padding } from '../../metrics/amt/processor.ts';

/** Frame indices the official code uses: inputs (even) and the odd frame each prediction is compared with. */
export function frameRoles(frameCount: number): { inputs: number[]; pairs: { a: number; b: number; compare: number }[] } {
  const inputs: number[] = [];
  for (let i = 0; i < frameCount; i += 2) inputs.push(i);
  const pairs = inputs.slice(0, -1).map((a) => ({ a, b: a + 2, compare: a + 1 }));
  return { inputs, pairs };
}

/**
 * Sum over the unpadded region of |original − tensor2img(prediction)|: `pred` is the model output
 * for one batch item, planar [3, Hp, Wp]; `rgb` the original odd frame, H × W × 3 bytes.
 */
export function absDiffSumUnpadded(rgb: Uint8Array, width: number, height: number, pred: ArrayLike<number>, pad: Padding): number {
  const Wp = pad.width;
  const plane = pad.height * Wp;
  if (pred.length < 3 * plane) throw new RangeError(`prediction has ${pred.length} values, expected at least 3x${pad.height}x${Wp}`);
  let sum = 0;
  for (let y = 0; y < height; y++) {
    const rowIn = y * width * 3;
    const rowP = (y + pad.top) * Wp + pad.left;
    for (let x = 0; x < width; x++) {
      const i = rowIn + x * 3;
      const p = rowP + x;
      sum += Math.abs(rgb[i]! - toUint8(pred[p]!));
      sum += Math.abs(rgb[i + 1]! - toUint8(pred[plane + p]!));
      sum += Math.abs(rgb[i + 2]! - toUint8(pred[2 * plane + p]!));
    }
  }
  return sum;
}

/** `np.mean(cv2.absdiff(original, prediction))` for one pair (float64). */
export function pairMeanAbsDiff(rgb: Uint8Array, width: number, height: number, pred: ArrayLike<number>, pad: Padding): number {
  return absDiffSumUnpadded(rgb, width, height, pred, pad) / (width * height * 3);
}

/** `(255.0 − np.mean(pair values)) / 255.0` (NaN without pairs). */
export function videoScoreFromPairMeans(pairMeans: ArrayLike<number>): number {
  return (255 - numpyMean(pairMeans)) / 255;
}

/** Dimension score: `np.mean` of the per-video values in their order (NaN for none). */
export function aggregateVideoScores(scores: ArrayLike<number>): number {
  return numpyMean(scores);
}
