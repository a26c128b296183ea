/**
 * Pillow 9.x `Image.resize(size, BILINEAR | BICUBIC)` on 8-bit RGB images, bit for bit.
 *
 * Pillow's resampler (libImaging/Resample.c) is separable with a support that widens with the
 * down-scale factor (so it antialiases), float64 weights normalised per output pixel, then
 * converted to fixed point with 22 fractional bits; each pass rounds (+half) and clips to 0..255.
 * The horizontal pass runs first, then the vertical one. A pass whose size does not change is
 * skipped, and an unchanged size returns a copy.
 */
import { rgbImage, type RgbImage } from '../image.ts';

export type PilFilter = 'bilinear' | 'bicubic';

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

interface FilterSpec {
  support: number;
  weight(x: number): number;
}

const FILTERS: Record<PilFilter, FilterSpec> = {
  bilinear: {
    support: 1,
    weight(x) {
      if (x < 0) x = -x;
      return x < 1 ? 1 - x : 0;
    },
  },
  bicubic: {
    support: 2,
    weight(x) {
      const a = -0.5;
      if (x < 0) x = -x;
      if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
      if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
      return 0;
    },
  },
};

/** Fixed-point coefficients of one axis: for output i, taps `weights[i*kernelSize .. +count[i]]` start at source `first[i]`. */
export interface AxisCoefficients {
  kernelSize: number;
  first: Int32Array;
  count: Int32Array;
  weights: Int32Array;
}

/** Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for the box [in0, in1) of an axis of `inSize`. */
export function pilAxisCoefficients(inSize: number, outSize: number, filter: PilFilter, in0 = 0, in1 = inSize): AxisCoefficients {
  const spec = FILTERS[filter];
  const scale = (in1 - in0) / outSize;
  const filterScale = scale < 1 ? 1 : scale;
  const support = spec.support * filterScale;
  const kernelSize = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * kernelSize);
  const k = new Float64Array(kernelSize);
  const ss = 1 / filterScale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = in0 + (xx + 0.5) * scale;
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const w = spec.weight((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = ww !== 0 ? k[x]! / ww : k[x]!;
      // C's (int) cast truncates toward zero after the ±0.5 offset.
      weights[xx * kernelSize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    first[xx] = xmin;
    count[xx] = xmax;
  }
  return { kernelSize, first, count, weights };
}

function clip8(v: number): number {
  if (v >= ONE << 8) return 255;
  if (v <= 0) return 0;
  return v >> PRECISION_BITS;
}

function resampleHorizontal(src: RgbImage, outWidth: number, c: AxisCoefficients): RgbImage {
  const out = rgbImage(outWidth, src.height);
  const { data } = src;
  const o = out.data;
  const rowIn = src.width * 3;
  const rowOut = outWidth * 3;
  for (let y = 0; y < src.height; y++) {
    const base = y * rowIn;
    for (let xx = 0; xx < outWidth; xx++) {
      const xmin = c.first[xx]!;
      const n = c.count[xx]!;
      const kOff = xx * c.kernelSize;
      let r = HALF;
      let g = HALF;
      let b = HALF;
      for (let x = 0, p = base + xmin * 3; x < n; x++, p += 3) {
        const w = c.weights[kOff + x]!;
        r += data[p]! * w;
        g += data[p + 1]! * w;
        b += data[p + 2]! * w;
      }
      const q = y * rowOut + xx * 3;
      o[q] = clip8(r);
      o[q + 1] = clip8(g);
      o[q + 2] = clip8(b);
    }
  }
  return out;
}

function resampleVertical(src: RgbImage, outHeight: number, c: AxisCoefficients): RgbImage {
  const out = rgbImage(src.width, outHeight);
  const { data } = src;
  const o = out.data;
  const row = src.width * 3;
  for (let yy = 0; yy < outHeight; yy++) {
    const ymin = c.first[yy]!;
    const n = c.count[yy]!;
    const kOff = yy * c.kernelSize;
    for (let i = 0; i < row; i++) {
      let s = HALF;
      for (let y = 0, p = ymin * row + i; y < n; y++, p += row) s += data[p]! * c.weights[kOff + y]!;
      o[yy * row + i] = clip8(s);
    }
  }
  return out;
}

/** `image.resize((width, height), filter)` of Pillow 9 for an RGB image (no box, no reducing_gap). */
export function pilResize(img: RgbImage, width: number, height: number, filter: PilFilter): RgbImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`resize target must be positive integers, got ${width}×${height}`);
  }
  if (width === img.width && height === img.height) return rgbImage(width, height, img.data.slice());
  let cur = img;
  if (width !== img.width) cur = resampleHorizontal(cur, width, pilAxisCoefficients(img.width, width, filter));
  if (height !== img.height) cur = resampleVertical(cur, height, pilAxisCoefficients(img.height, height, filter));
  return cur;
}
