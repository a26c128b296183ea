/**
 * DINO's frame preprocessing: vbench/utils.py dino_transform(224) — Resize(224, bilinear,
 * antialias=False) → /255 → ImageNet mean/std, no crop — as the table declares it.
 */
import type { PlanarTensor, RgbImage } from '../../media/image.ts';
import { imageTransform } from '../common/image-transform.ts';
import { DINO_VITB16 } from './spec.ts';

/** The transform the DINO table declares (plain data, read by the transform workers too). */
export const DINO_TRANSFORM = DINO_VITB16.preprocess;

/** dino_transform on one frame; `into`: where to write the result instead of a new tensor. */
export function dinoTransform(frame: RgbImage, into?: Float32Array): PlanarTensor {
  return imageTransform(frame, DINO_TRANSFORM, into);
}
