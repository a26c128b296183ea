/**
 * Mask2Former's input as GenEval feeds it (spec §2.2, mmdet test pipeline of the Mask2Former
 * config; sizes, pad and mean/std from the table's `preprocess`): an 8-bit
 * BGR image (as cv2.imdecode gives it) → mmcv.imrescale to (1333, 800) with OpenCV INTER_LINEAR →
 * pad bottom/right to multiples of 32 with raw value 128 → float32, BGR→RGB, (x − mean)·(1/std)
 * as OpenCV computes them (float32 subtraction of a float32 mean, float64 product with 1/std rounded
 * once) → 1×3×H_pad×W_pad.
 */
import { mmcvRescaleSize, opencvResizeLinear, type U8Image } from '../../media/resize/opencv-resize.ts';
import type { ImageGeometry } from './postprocess.ts';
import { MASK2FORMER_SWIN_S_COCO } from './spec.ts';

const f32 = Math.fround;
const { resize: RESIZE, pad: PAD, normalize: NORMALIZE } = MASK2FORMER_SWIN_S_COCO.preprocess;
export const MMDET_MEAN_RGB = NORMALIZE.mean;
export const MMDET_STD_RGB = NORMALIZE.std;
const PAD_DIVISOR = PAD.divisor;
const PAD_VALUE = PAD.value;

export interface DetectorInput {
  /** 3 × padH × padW, RGB, normalised. */
  data: Float32Array;
  geometry: ImageGeometry;
}

export function detectorInput(bgr: U8Image): DetectorInput {
  if (bgr.channels !== 3) throw new RangeError(`expected a 3-channel BGR image, got ${bgr.channels} channels`);
  const [newW, newH] = mmcvRescaleSize(bgr.width, bgr.height, [...RESIZE.scale]);
  const resized = opencvResizeLinear(bgr, newW, newH);
  const padH = Math.ceil(newH / PAD_DIVISOR) * PAD_DIVISOR;
  const padW = Math.ceil(newW / PAD_DIVISOR) * PAD_DIVISOR;
  const plane = padH * padW;
  const data = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    // cv2.subtract with a float64 scalar on a float32 image subtracts the scalar as float32;
    // cv2.multiply by the float64 1/std multiplies in float64 and rounds once (measured on OpenCV 4.6).
    const mean = f32(MMDET_MEAN_RGB[c]!);
    const inv = 1 / MMDET_STD_RGB[c]!;
    const src = 2 - c; // BGR → RGB
    const padValue = f32(f32(PAD_VALUE - mean) * inv);
    const out = data.subarray(c * plane, (c + 1) * plane);
    out.fill(padValue);
    for (let y = 0; y < newH; y++) {
      const row = y * newW * 3;
      for (let x = 0; x < newW; x++) out[y * padW + x] = f32(f32(resized.data[row + x * 3 + src]! - mean) * inv);
    }
  }
  return { data, geometry: { padH, padW, imgH: newH, imgW: newW, oriH: bgr.height, oriW: bgr.width } };
}
