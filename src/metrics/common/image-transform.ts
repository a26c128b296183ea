/**
 * The torchvision frame transform of the image-embedding models, driven by the model table's
 * `preprocess` data (dino_transform / clip_transform of vbench/utils.py @45e79ec): on frames as
 * `load_video` hands them on — float32 tensors holding the integer values 0..255, so resizes are
 * never clamped or rounded —
 *   Resize(size, shorter edge, interpolation, antialias=False) → [CenterCrop(crop)] → /255 → Normalize(mean, std).
 * The resize reads the 8-bit frame directly and applies /255 and Normalize as its post step: the
 * same float32 operations, in the same order, as the separate steps (see imageTransformGeneric).
 */
import { rgbToPlanarFloat, type PlanarTensor, type RgbImage } from '../../media/image.ts';
import { centerCropOffsets, centerCropTensor, divide255, normalizeInPlace, shortSideSize } from '../../media/resize/torchvision.ts';
import { torchInterpolateRgb } from '../../media/resize/torch-interpolate.ts';

/** An image-embedding model's frame preprocessing, as its table declares it (plain data: it travels to worker threads). */
export interface ImageTransformSpec {
  /** torchvision 0.14 tensor `Resize(size)`: the shorter edge to `size`, the longer one truncated. */
  readonly resize: { readonly size: number; readonly edge: 'shorter'; readonly interpolation: 'bilinear' | 'bicubic'; readonly antialias: false; readonly impl?: string };
  /** `CenterCrop(centerCrop)` after the resize; absent: no crop. */
  readonly centerCrop?: number;
  /** Pixel values are divided by 255 before Normalize. */
  readonly scale: '1/255';
  readonly normalize: { readonly mean: readonly number[]; readonly std: readonly number[] };
}

/** The C×H×W size the transform gives a frame of this size. */
export function transformedSize(t: ImageTransformSpec, height: number, width: number): [number, number, number] {
  if (t.centerCrop !== undefined) return [3, t.centerCrop, t.centerCrop];
  const [h, w] = shortSideSize(height, width, t.resize.size);
  return [3, h, w];
}

/** The transform of one frame; `into`: where to write the result (transformedSize values) instead of a new tensor. */
export function imageTransform(frame: RgbImage, t: ImageTransformSpec, into?: Float32Array): PlanarTensor {
  const [h, w] = shortSideSize(frame.height, frame.width, t.resize.size);
  const { mean, std } = t.normalize;
  if (h === frame.height && w === frame.width) {
    const x = rgbToPlanarFloat(frame);
    return copyInto(normalizeInPlace(divide255(t.centerCrop === undefined ? x : centerCropTensor(x, t.centerCrop)), mean, std), into);
  }
  // Only the center-cropped window of the resized frame is computed.
  const crop = t.centerCrop;
  const window = crop === undefined ? undefined : (([top, left]) => ({ top, left, height: crop, width: crop }))(centerCropOffsets(h, w, crop, crop));
  return torchInterpolateRgb(frame, h, w, t.resize.interpolation, window, { kind: 'normalize', mean, std }, into);
}

function copyInto(t: PlanarTensor, into: Float32Array | undefined): PlanarTensor {
  if (!into) return t;
  if (into.length !== t.data.length) throw new RangeError(`the transform gives ${t.data.length} values, the target holds ${into.length}`);
  into.set(t.data);
  return { ...t, data: into };
}

/** The transform composed from the resize, crop, /255 and Normalize as separate steps (the reference for the fused one). */
export function imageTransformGeneric(frame: RgbImage, t: ImageTransformSpec): PlanarTensor {
  const [h, w] = shortSideSize(frame.height, frame.width, t.resize.size);
  const crop = t.centerCrop;
  let x: PlanarTensor;
  if (h === frame.height && w === frame.width) {
    x = rgbToPlanarFloat(frame);
    if (crop !== undefined) x = centerCropTensor(x, crop);
  } else {
    const window = crop === undefined ? undefined : (([top, left]) => ({ top, left, height: crop, width: crop }))(centerCropOffsets(h, w, crop, crop));
    x = torchInterpolateRgb(frame, h, w, t.resize.interpolation, window);
  }
  return normalizeInPlace(divide255(x), t.normalize.mean, t.normalize.std);
}
