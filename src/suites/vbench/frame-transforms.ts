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
  centerCropTensor,
  divide255,
  normalizeInPlace,
  resizeTensor,
} from '../../media/resize/torchvision.ts';

export function dinoTransform(frame: RgbImage, size = 224): PlanarTensor {
  const resized = resizeTensor(rgbToPlanarFloat(frame), size, { mode: 'bilinear', antialias: false, dtype: 'float32' });
  return normalizeInPlace(divide255(resized), IMAGENET_MEAN, IMAGENET_STD);
}

export function clipTransform(frame: RgbImage, size = 224): PlanarTensor {
  const resized = resizeTensor(rgbToPlanarFloat(frame), size, { mode: 'bicubic', antialias: false, dtype: 'float32' });
  return normalizeInPlace(divide255(centerCropTensor(resized, size)), CLIP_MEAN, CLIP_STD);
}
