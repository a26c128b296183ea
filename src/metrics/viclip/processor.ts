/**
 * ViCLIP's video preprocessing, as the video tower's table declares it: clip_transform(224) applied
 * by VBench to the torch.uint8 frames read_frames_decord_by_fps returns. On uint8 input torchvision
 * 0.14's tensor Resize interpolates in float32, clamps the bicubic result to 0..255 and rounds it
 * half to even back to uint8 — unlike the quality dimensions' clip_transform, which sees float
 * frames — then CenterCrop(224), /255 and the CLIP mean/std follow in float32.
 * Output: the tower's `pixel_values` for one video, [T, 3, 224, 224] row-major.
 */
import type { RgbImage } from '../../media/image.ts';
import { rgbToPlanarFloat } from '../../media/image.ts';
import { centerCropOffsets, centerCropTensor, roundHalfEven, shortSideSize } from '../../media/resize/torchvision.ts';
import { torchInterpolateRgb } from '../../media/resize/torch-interpolate.ts';
import { VICLIP_L14_VIDEO } from './spec.ts';

const f32 = Math.fround;

/** The transform the video tower declares (plain data). */
export const VICLIP_TRANSFORM = VICLIP_L14_VIDEO.preprocess;
const SIZE = VICLIP_TRANSFORM.centerCrop;
const PLANE = 3 * SIZE * SIZE;

/** clip_transform(224) of one uint8 frame, written into `out` (3·224·224 values). */
export function viclipFrameTransform(frame: RgbImage, out: Float32Array): void {
  if (out.length !== PLANE) throw new RangeError(`a transformed frame has ${PLANE} values, the target holds ${out.length}`);
  const [h, w] = shortSideSize(frame.height, frame.width, VICLIP_TRANSFORM.resize.size);
  let values: Float32Array;
  if (h === frame.height && w === frame.width) {
    values = centerCropTensor(rgbToPlanarFloat(frame), SIZE).data;
  } else {
    const [top, left] = centerCropOffsets(h, w, SIZE, SIZE);
    values = torchInterpolateRgb(frame, h, w, VICLIP_TRANSFORM.resize.interpolation, { top, left, height: SIZE, width: SIZE }).data;
    // back to uint8 as torchvision does for a uint8 tensor: clamp (bicubic overshoots), round half to even
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      values[i] = roundHalfEven(v < 0 ? 0 : v > 255 ? 255 : v);
    }
  }
  const { mean, std } = VICLIP_TRANSFORM.normalize;
  const plane = SIZE * SIZE;
  for (let c = 0; c < 3; c++) {
    const m = f32(mean[c]!);
    const s = f32(std[c]!);
    for (let i = c * plane; i < (c + 1) * plane; i++) out[i] = f32(f32(f32(values[i]! / 255) - m) / s);
  }
}

/**
 * `pixel_values` of one video from its sampled frames (readMiddleFrames: a repeated frame is the
 * same object, transformed once): [frames.length, 3, 224, 224].
 */
export function viclipPixelValues(frames: readonly RgbImage[]): Float32Array {
  const out = new Float32Array(frames.length * PLANE);
  const done = new Map<RgbImage, number>();
  frames.forEach((frame, t) => {
    const slot = out.subarray(t * PLANE, (t + 1) * PLANE);
    const earlier = done.get(frame);
    if (earlier !== undefined) slot.set(out.subarray(earlier * PLANE, (earlier + 1) * PLANE));
    else {
      viclipFrameTransform(frame, slot);
      done.set(frame, t);
    }
  });
  return out;
}
