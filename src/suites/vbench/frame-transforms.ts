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
import { clipResizeCropNormalize } from './clip-transform-kernel.ts';

export function dinoTransform(frame: RgbImage, size = 224): PlanarTensor {
  const [h, w] = shortSideSize(frame.height, frame.width, size);
  const resized = h === frame.height && w === frame.width ? rgbToPlanarFloat(frame) : torchInterpolateRgb(frame, h, w, 'bilinear');
  return normalizeInPlace(divide255(resized), IMAGENET_MEAN, IMAGENET_STD);
}

export function clipTransform(frame: RgbImage, size = 224): PlanarTensor {
  const [h, w] = shortSideSize(frame.height, frame.width, size);
  const [top, left] = centerCropOffsets(h, w, size, size);
  if (h === frame.height && w === frame.width) return normalizeInPlace(divide255(centerCropTensor(rgbToPlanarFloat(frame), size)), CLIP_MEAN, CLIP_STD);
  // The fused kernel performs the same float32 operations as clipTransformGeneric, in the same order.
  return clipResizeCropNormalize(frame, h, w, top, left, size, CLIP_MEAN, CLIP_STD);
}

/** clip_transform composed from the generic resize, /255 and Normalize (the reference for the fused kernel). */
export function clipTransformGeneric(frame: RgbImage, size = 224): PlanarTensor {
  const [h, w] = shortSideSize(frame.height, frame.width, size);
  const [top, left] = centerCropOffsets(h, w, size, size);
  const cropped =
    h === frame.height && w === frame.width
      ? centerCropTensor(rgbToPlanarFloat(frame), size)
      : torchInterpolateRgb(frame, h, w, 'bicubic', { top, left, height: size, width: size });
  return normalizeInPlace(divide255(cropped), CLIP_MEAN, CLIP_STD);
}
