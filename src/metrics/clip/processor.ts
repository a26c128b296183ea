/**
 * CLIP's image preprocessing, as the image towers' tables declare it (Resize 224 bicubic on the
 * shorter edge → CenterCrop 224 → /255 → CLIP mean/std), in the two implementations the official
 * code uses:
 *  - `clipTransform`: vbench/utils.py clip_transform(224) on decoded video frames (torchvision
 *    tensor Resize, antialias=False, on float 0..255 values);
 *  - `clipPilTransform`: open_clip's eval transform on a PIL image (GenEval's crops: Pillow's
 *    bicubic resize, ToTensor).
 * The text side is clip-tokenizer.ts.
 */
import type { PlanarTensor, RgbImage } from '../../media/image.ts';
import { centerCropImage, normalizeInPlace, resizeImage, toTensor } from '../../media/resize/torchvision.ts';
import { imageTransform, imageTransformGeneric } from '../common/image-transform.ts';
import { CLIP_VIT_B32_IMAGE, CLIP_VIT_L14_IMAGE } from './spec.ts';

/** The B/32 image tower's table, PIL path (its `impl` note is about the tensor path). */
const PIL_T = CLIP_VIT_B32_IMAGE.preprocess;
/** The side of the square clipTransformImage gives. */
export const CLIP_PIL_SIZE = PIL_T.centerCrop;

/** vbench/utils.py clip_transform_Image(224) on one decoded frame (appearance_style): PIL bicubic resize, center crop, ToTensor, Normalize. */
export function clipTransformImage(frame: RgbImage): PlanarTensor {
  const resized = resizeImage(frame, PIL_T.resize.size, PIL_T.resize.interpolation);
  return normalizeInPlace(toTensor(centerCropImage(resized, CLIP_PIL_SIZE)), PIL_T.normalize.mean, PIL_T.normalize.std);
}

/** The transform both image towers declare (they share it; plain data, read by the transform workers too). */
export const CLIP_TRANSFORM = CLIP_VIT_B32_IMAGE.preprocess;

/** The side of the square the image towers take. */
export const CLIP_IMAGE_SIZE = CLIP_TRANSFORM.centerCrop;

/** clip_transform on one video frame; `into`: where to write the result (3·224·224 values) instead of a new tensor. */
export function clipTransform(frame: RgbImage, into?: Float32Array): PlanarTensor {
  return imageTransform(frame, CLIP_TRANSFORM, into);
}

/** clip_transform composed from the resize, /255 and Normalize as separate steps (the reference for the fused one). */
export function clipTransformGeneric(frame: RgbImage): PlanarTensor {
  return imageTransformGeneric(frame, CLIP_TRANSFORM);
}

/** open_clip's eval transform on a PIL image: Resize(224, bicubic) → CenterCrop(224) → ToTensor → Normalize(CLIP). */
export function clipPilTransform(img: RgbImage, t = CLIP_VIT_L14_IMAGE.preprocess): PlanarTensor {
  const resized = resizeImage(img, t.resize.size, t.resize.interpolation);
  return normalizeInPlace(toTensor(centerCropImage(resized, t.centerCrop)), t.normalize.mean, t.normalize.std);
}
