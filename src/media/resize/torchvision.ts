/**
 * torchvision 0.14 transforms as the official evaluation code uses them: `Resize` (tensor and
 * PIL paths), `CenterCrop`, `ToTensor`, `Normalize`. Sizes follow torchvision's own rules
 * (short side to `s`, long side truncated; half-to-even crop offsets); the arithmetic is float32
 * like torch's.
 */
import { roundHalfEven } from '../../core/pycompat/round.ts';
import { planarTensor, rgbImage, type PlanarTensor, type RgbImage } from '../image.ts';
import { pilResize, type PilFilter } from './pil-resample.ts';
import { torchInterpolate, type TorchMode } from './torch-interpolate.ts';

const f32 = Math.fround;

export { roundHalfEven };

/** `_compute_resized_output_size` for `Resize(size: int)`: [height, width]. */
export function shortSideSize(height: number, width: number, size: number): [number, number] {
  const [short, long] = width <= height ? [width, height] : [height, width];
  const newLong = Math.trunc((size * long) / short);
  return width <= height ? [newLong, size] : [size, newLong];
}

/** `F.center_crop` offsets [top, left] for a crop of `cropH`×`cropW` (no padding: the crop must fit). */
export function centerCropOffsets(height: number, width: number, cropH: number, cropW: number): [number, number] {
  if (cropH > height || cropW > width) {
    throw new RangeError(`center crop ${cropH}×${cropW} is larger than the image ${height}×${width}`);
  }
  return [Math.trunc(roundHalfEven((height - cropH) / 2)), Math.trunc(roundHalfEven((width - cropW) / 2))];
}

export function centerCropTensor(x: PlanarTensor, cropH: number, cropW = cropH): PlanarTensor {
  const [top, left] = centerCropOffsets(x.height, x.width, cropH, cropW);
  const out = planarTensor(x.channels, cropH, cropW);
  for (let c = 0; c < x.channels; c++) {
    for (let y = 0; y < cropH; y++) {
      const src = c * x.height * x.width + (top + y) * x.width + left;
      out.data.set(x.data.subarray(src, src + cropW), c * cropH * cropW + y * cropW);
    }
  }
  return out;
}

export function centerCropImage(img: RgbImage, cropH: number, cropW = cropH): RgbImage {
  const [top, left] = centerCropOffsets(img.height, img.width, cropH, cropW);
  const out = rgbImage(cropW, cropH);
  for (let y = 0; y < cropH; y++) {
    const src = ((top + y) * img.width + left) * 3;
    out.data.set(img.data.subarray(src, src + cropW * 3), y * cropW * 3);
  }
  return out;
}

export interface TensorResizeOptions {
  mode: TorchMode;
  antialias?: boolean;
  /**
   * The dtype the tensor had: 'uint8' clamps bicubic output to 0..255, rounds half-to-even and
   * keeps the result as integers (in float32 storage); 'float32' keeps every value, overshoot included.
   */
  dtype?: 'uint8' | 'float32';
}

/** `transforms.Resize(size, interpolation, antialias)` on a C×H×W tensor; `size` is the short side or [h, w]. */
export function resizeTensor(x: PlanarTensor, size: number | [number, number], opts: TensorResizeOptions): PlanarTensor {
  const [h, w] = typeof size === 'number' ? shortSideSize(x.height, x.width, size) : size;
  if (h === x.height && w === x.width) return x;
  const out = torchInterpolate(x, h, w, opts.mode, { antialias: opts.antialias ?? false });
  if (opts.dtype === 'uint8') {
    const d = out.data;
    for (let i = 0; i < d.length; i++) {
      let v = d[i]!;
      if (opts.mode === 'bicubic') v = v < 0 ? 0 : v > 255 ? 255 : v;
      d[i] = roundHalfEven(v);
    }
  }
  return out;
}

/** `transforms.Resize(size, interpolation)` on a PIL RGB image (Pillow always antialiases). */
export function resizeImage(img: RgbImage, size: number | [number, number], filter: PilFilter): RgbImage {
  const [h, w] = typeof size === 'number' ? shortSideSize(img.height, img.width, size) : size;
  return pilResize(img, w, h, filter);
}

/** `ToTensor()` on an RGB image: C×H×W float32 in [0, 1] (`x.float().div(255)`). */
export function toTensor(img: RgbImage): PlanarTensor {
  const { width, height, data } = img;
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  for (let p = 0, s = 0; p < plane; p++, s += 3) {
    out[p] = f32(data[s]! / 255);
    out[plane + p] = f32(data[s + 1]! / 255);
    out[2 * plane + p] = f32(data[s + 2]! / 255);
  }
  return { channels: 3, height, width, data: out };
}

/** `x.float().div(255)` on a tensor holding 0..255 values (in place on a copy). */
export function divide255(x: PlanarTensor): PlanarTensor {
  const d = new Float32Array(x.data.length);
  for (let i = 0; i < d.length; i++) d[i] = f32(x.data[i]! / 255);
  return { ...x, data: d };
}

/** `Normalize(mean, std)`: (x − mean[c]) / std[c] with float32 constants and float32 arithmetic, in place. */
export function normalizeInPlace(x: PlanarTensor, mean: readonly number[], std: readonly number[]): PlanarTensor {
  if (mean.length !== x.channels || std.length !== x.channels) {
    throw new RangeError(`normalize needs ${x.channels} means and stds, got ${mean.length} and ${std.length}`);
  }
  const plane = x.height * x.width;
  for (let c = 0; c < x.channels; c++) {
    const m = f32(mean[c]!);
    const s = f32(std[c]!);
    const d = x.data.subarray(c * plane, (c + 1) * plane);
    for (let i = 0; i < d.length; i++) d[i] = f32(f32(d[i]! - m) / s);
  }
  return x;
}

export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
