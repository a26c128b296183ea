/**
 * VBench's frame transforms (vbench/utils.py @45e79ec) on frames as `load_video` hands them on:
 * float32 tensors holding the integer values 0..255, so resizes are never clamped or rounded.
 *  - dino_transform(224): Resize(224, bilinear, antialias=False) → /255 → ImageNet mean/std. No crop.
 *  - clip_transform(224): Resize(224, bicubic, antialias=False) → CenterCrop(224) → /255 → CLIP mean/std.
 */
import { rgbToPlanarFloat, type PlanarTensor, type RgbImage } from '../../media/image.ts';
import {
  CLIP_MEAN,
  CLIP_STD,
  IMAGENET_MEAN,
  IMAGENET_STD,
  centerCropOffsets,
  centerCropTensor,
  divide255,
  normalizeInPlace,
  shortSideSize,
} from '../../media/resize/torchvision.ts';
import { torchInterpolateRgb } from '../../media/resize/torch-interpolate.ts';

// The resize reads the 8-bit frame directly and applies /255 and Normalize as its post step: the
// same float32 operations, in the same order, as the separate steps (see clipTransformGeneric).

/** The C×H×W size dino_transform / clip_transform give a frame of this size. */
export function transformedSize(kind: 'clip' | 'dino', height: number, width: number, size = 224): [number, number, number] {
  if (kind === 'clip') return [3, size, size];
  const [h, w] = shortSideSize(height, width, size);
  return [3, h, w];
}

/** `into`: where to write the result (transformedSize values) instead of a new tensor. */
export function dinoTransform(frame: RgbImage, size = 224, into?: Float32Array): PlanarTensor {
  const [h, w] = shortSideSize(frame.height, frame.width, size);
  if (h === frame.height && w === frame.width) return copyInto(normalizeInPlace(divide255(rgbToPlanarFloat(frame)), IMAGENET_MEAN, IMAGENET_STD), into);
  return torchInterpolateRgb(frame, h, w, 'bilinear', undefined, { kind: 'normalize', mean: IMAGENET_MEAN, std: IMAGENET_STD }, into);
}

/** `into`: where to write the result (3·size·size values) instead of a new tensor. */
export function clipTransform(frame: RgbImage, size = 224, into?: Float32Array): PlanarTensor {
  const [h, w] = shortSideSize(frame.height, frame.width, size);
  const [top, left] = centerCropOffsets(h, w, size, size);
  if (h === frame.height && w === frame.width) return copyInto(normalizeInPlace(divide255(centerCropTensor(rgbToPlanarFloat(frame), size)), CLIP_MEAN, CLIP_STD), into);
  // Only the center-cropped window of the resized frame is computed.
  return torchInterpolateRgb(frame, h, w, 'bicubic', { top, left, height: size, width: size }, { kind: 'normalize', mean: CLIP_MEAN, std: CLIP_STD }, into);
}

function copyInto(t: PlanarTensor, into: Float32Array | undefined): PlanarTensor {
  if (!into) return t;
  if (into.length !== t.data.length) throw new RangeError(`the transform gives ${t.data.length} values, the target holds ${into.length}`);
  into.set(t.data);
  return { ...t, data: into };
}

/** clip_transform composed from the resize, /255 and Normalize as separate steps (the reference for the fused one). */
export function clipTransformGeneric(frame: RgbImage, size = 224): PlanarTensor {
  const [h, w] = shortSideSize(frame.height, frame.width, size);
  const [top, left] = centerCropOffsets(h, w, size, size);
  const cropped =
    h === frame.height && w === frame.width
      ? centerCropTensor(rgbToPlanarFloat(frame), size)
      : torchInterpolateRgb(frame, h, w, 'bicubic', { top, left, height: size, width: size });
  return normalizeInPlace(divide255(cropped), CLIP_MEAN, CLIP_STD);
}
