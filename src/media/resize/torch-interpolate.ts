/**
 * PyTorch 1.13 CPU `F.interpolate(x, size, mode='bilinear'|'bicubic', align_corners=False,
 * antialias=False|True)` on float32 N×C×H×W data, reproduced in float32 arithmetic.
 *
 * Without antialias, each output value is the weighted sum over rows of weighted sums over
 * columns (PyTorch's generic N-d interpolation loop), with weights computed once per axis.
 * Bicubic uses A = −0.75, clamps source indices to the border and does not clamp values.
 * With antialias, the kernel is PIL-like (bicubic A = −0.5; support widened by the
 * down-scale factor) and the resampling is separable: columns first into a float32 buffer,
 * then rows; an axis whose size is unchanged is skipped.
 */
import { planarTensor, type PlanarTensor, type RgbImage } from '../image.ts';
import { wasmResampler, type OutputWindow, type ResamplePost, type SourceView, type TorchAxisTaps } from './wasm-resample.ts';

export type { OutputWindow, ResamplePost, SourceView, TorchAxisTaps } from './wasm-resample.ts';

const f32 = Math.fround;

export type TorchMode = 'bilinear' | 'bicubic';

/** `area_pixel_compute_scale` with align_corners=False: 1/scale_factor when given, else in/out, in float32. */
export function torchAxisScale(inSize: number, outSize: number, scaleFactor?: number): number {
  return scaleFactor !== undefined && scaleFactor > 0 ? f32(1 / scaleFactor) : f32(inSize / outSize);
}

/** Linear taps (upsample_bilinear2d): source = max(0, scale·(i+½)−½), lambdas in float32. */
export function linearTaps(inSize: number, outSize: number, scaleFactor?: number): TorchAxisTaps {
  const index = new Int32Array(outSize * 2);
  const weight = new Float32Array(outSize * 2);
  const count = new Int32Array(outSize).fill(2);
  const scale = torchAxisScale(inSize, outSize, scaleFactor);
  for (let i = 0; i < outSize; i++) {
    let i0: number;
    let i1: number;
    let l0: number;
    let l1: number;
    if (inSize === outSize) {
      i0 = i;
      i1 = i;
      l0 = 1;
      l1 = 0;
    } else {
      // The source coordinate stays in float64 (torch's CPU accumulate type); only the lambdas are float32.
      let src = scale * (i + 0.5) - 0.5;
      if (src < 0) src = 0;
      i0 = Math.trunc(src);
      i1 = i0 < inSize - 1 ? i0 + 1 : i0;
      l1 = f32(src - i0);
      l0 = f32(1 - l1);
    }
    index[2 * i] = i0;
    index[2 * i + 1] = i1;
    weight[2 * i] = l0;
    weight[2 * i + 1] = l1;
  }
  return { taps: 2, count, index, weight };
}

const CUBIC_A = -0.75;

/**
 * The cubic convolution weights as torch 1.13's AVX2 build computes them in float32 (found by
 * probing it with impulse inputs): the first multiply-add of each polynomial is fused, as is the
 * second of the far one; the rest rounds after every operation. A float32 fused multiply-add is
 * `fround(a·b + c)` in float64, the product being exact.
 */
function cubicNear(x: number): number {
  // ((A + 2)·x − (A + 3))·x·x + 1
  const p = f32((CUBIC_A + 2) * x - (CUBIC_A + 3));
  return f32(f32(f32(p * x) * x) + 1);
}

function cubicFar(x: number): number {
  // ((A·x − 5A)·x + 8A)·x − 4A
  const p = f32(CUBIC_A * x - 5 * CUBIC_A);
  const q = f32(p * x + 8 * CUBIC_A);
  return f32(f32(q * x) - 4 * CUBIC_A);
}

/** Cubic taps (upsample_bicubic2d, A = −0.75): four neighbours, indices clamped, no clamp of the source coordinate. */
export function cubicTaps(inSize: number, outSize: number, scaleFactor?: number): TorchAxisTaps {
  const index = new Int32Array(outSize * 4);
  const weight = new Float32Array(outSize * 4);
  const count = new Int32Array(outSize).fill(4);
  const scale = torchAxisScale(inSize, outSize, scaleFactor);
  const last = inSize - 1;
  for (let i = 0; i < outSize; i++) {
    const src = scale * (i + 0.5) - 0.5;
    // torch 1.13 floors the coordinate as a float32 (floorf of the float source index) but the
    // fraction it weighs with is what remains of the unrounded coordinate: both as here.
    const i0 = Math.floor(f32(src));
    const t = f32(src - i0);
    const t2 = f32(1 - t);
    const w = [cubicFar(f32(t + 1)), cubicNear(t), cubicNear(t2), cubicFar(f32(t2 + 1))];
    for (let j = 0; j < 4; j++) {
      const k = i0 - 1 + j;
      index[4 * i + j] = k < 0 ? 0 : k > last ? last : k;
      weight[4 * i + j] = w[j]!;
    }
  }
  return { taps: 4, count, index, weight };
}

function aaLinear(x: number): number {
  if (x < 0) x = -x;
  return x < 1 ? f32(1 - x) : 0;
}

function aaCubic(x: number): number {
  const a = -0.5;
  if (x < 0) x = -x;
  if (x < 1) return f32(((a + 2) * x - (a + 3)) * x * x + 1);
  if (x < 2) return f32(f32(f32(f32(f32(f32(x - 5) * x) + 8) * x) - 4) * a);
  return 0;
}

/** Antialiased taps (`_upsample_*_aa`): PIL-like support scaled by the down-scale factor, float32 weights normalised to sum 1. */
export function antialiasTaps(inSize: number, outSize: number, mode: TorchMode): TorchAxisTaps {
  const interp = mode === 'bilinear' ? 2 : 4;
  const filter = mode === 'bilinear' ? aaLinear : aaCubic;
  const scale = torchAxisScale(inSize, outSize);
  const support = f32(scale >= 1 ? interp * 0.5 * scale : interp * 0.5);
  const taps = Math.ceil(support) * 2 + 1;
  const invScale = scale >= 1 ? f32(1 / scale) : 1;
  const index = new Int32Array(outSize * taps);
  const weight = new Float32Array(outSize * taps);
  const count = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) {
    const center = f32(scale * (i + 0.5));
    const xmin = Math.max(Math.trunc(f32(center - support) + 0.5), 0);
    const xsize = Math.min(Math.trunc(f32(center + support) + 0.5), inSize) - xmin;
    let total = 0;
    for (let j = 0; j < xsize; j++) {
      const w = filter(f32((f32(j + xmin - center) + 0.5) * invScale));
      weight[i * taps + j] = w;
      total = f32(total + w);
      index[i * taps + j] = xmin + j;
    }
    if (total !== 0) for (let j = 0; j < xsize; j++) weight[i * taps + j] = f32(weight[i * taps + j]! / total);
    count[i] = xsize;
  }
  return { taps, count, index, weight };
}

/** The whole output, or the given window after checking it lies inside. */
function checkedWindow(outH: number, outW: number, win?: OutputWindow): OutputWindow {
  if (!win) return { top: 0, left: 0, height: outH, width: outW };
  if (win.top < 0 || win.left < 0 || win.top + win.height > outH || win.left + win.width > outW || win.height < 1 || win.width < 1) {
    throw new RangeError(`window ${win.height}×${win.width} at (${win.top}, ${win.left}) is outside the ${outH}×${outW} output`);
  }
  return win;
}

function checkSize(h: number, w: number): void {
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    throw new RangeError(`interpolate target must be positive integers, got ${h}×${w}`);
  }
}

/**
 * Non-antialiased interpolation. torch evaluates each output as the weighted sum over rows of
 * that row's column sum, each column sum rounded to float32; a column sum depends only on the
 * source row and the output column, so computing them once per source row (a separable pass
 * into a float32 buffer) gives the same values. Two-tap sums are `v0·w0 + v1·w1` as torch's AVX2
 * build evaluates them: v1·w1 rounded, then one fused multiply-add (exact in float64, since a
 * product of two float32 values is).
 */

/** Source rows [r0, r0 + rows) that the window's output rows read. */
function windowRows(ty: TorchAxisTaps, height: number, win: OutputWindow): [number, number] {
  let r0 = height;
  let r1 = -1;
  for (let k = win.top * ty.taps; k < (win.top + win.height) * ty.taps; k++) {
    r0 = Math.min(r0, ty.index[k]!);
    r1 = Math.max(r1, ty.index[k]!);
  }
  return [r0, r1 - r0 + 1];
}

/** `post` applied in place, as the separate float32 steps (/255, Normalize, MUSIQ's (x − 0.5)·2) compute it. */
export function applyPost(out: PlanarTensor, post: ResamplePost): PlanarTensor {
  const d = out.data;
  const plane = out.height * out.width;
  switch (post.kind) {
    case 'none':
      return out;
    case 'div255':
      for (let i = 0; i < d.length; i++) d[i] = f32(d[i]! / 255);
      return out;
    case 'div255Signed':
      for (let i = 0; i < d.length; i++) d[i] = f32(f32(f32(d[i]! / 255) - 0.5) * 2);
      return out;
    case 'normalize':
      if (post.mean.length !== out.channels || post.std.length !== out.channels) {
        throw new RangeError(`normalize needs ${out.channels} means and stds, got ${post.mean.length} and ${post.std.length}`);
      }
      for (let c = 0; c < out.channels; c++) {
        const m = f32(post.mean[c]!);
        const s = f32(post.std[c]!);
        for (let i = c * plane; i < (c + 1) * plane; i++) d[i] = f32(f32(f32(d[i]! / 255) - m) / s);
      }
      return out;
  }
}

/** Non-antialiased interpolation of the window, then `post`: WebAssembly when available, else JavaScript (same bits). */
function interpolateDirect(src: SourceView, ty: TorchAxisTaps, tx: TorchAxisTaps, win: OutputWindow, post: ResamplePost = { kind: 'none' }, into?: Float32Array): PlanarTensor {
  const wasm = (ty.taps === 2 || ty.taps === 4) && (tx.taps === 2 || tx.taps === 4) ? wasmResampler() : null;
  if (!wasm) {
    const out = applyPost(interpolateDirectJs(src, ty, tx, win), post);
    if (!into) return out;
    into.set(out.data);
    return planarTensor(out.channels, out.height, out.width, into);
  }
  const [r0, rows] = windowRows(ty, src.height, win);
  const out = planarTensor(src.channels, win.height, win.width, into);
  wasm.interpolate(src, ty, tx, win, r0, rows, post, out.data);
  return out;
}

/** The JavaScript kernel (the reference the WebAssembly one is tested against). */
export function interpolateDirectJs(src: SourceView, ty: TorchAxisTaps, tx: TorchAxisTaps, win: OutputWindow): PlanarTensor {
  const { channels, height, data, channelStride, rowStride, colStride } = src;
  const base = src.base ?? 0;
  const { top, left, height: outH, width: outW } = win;
  const out = planarTensor(channels, outH, outW);
  const o = out.data;
  const nx = tx.taps;
  const ny = ty.taps;
  const ix = colStride === 1 ? tx.index : tx.index.map((i) => i * colStride);
  const wx = tx.weight;
  const iy = ty.index;
  const wy = ty.weight;
  const [r0, rows] = windowRows(ty, height, win);
  const colSums = new Float32Array(rows * outW);
  for (let c = 0; c < channels; c++) {
    const plane = base + c * channelStride;
    for (let r = 0; r < rows; r++) {
      const row = plane + (r0 + r) * rowStride;
      const dst = r * outW;
      if (nx === 2) {
        for (let xx = 0, k = left * 2; xx < outW; xx++, k += 2) {
          colSums[dst + xx] = data[row + ix[k]!]! * wx[k]! + f32(data[row + ix[k + 1]!]! * wx[k + 1]!);
        }
      } else {
        for (let xx = 0, k = left * 4; xx < outW; xx++, k += 4) {
          // t0·w0 + t1·w1 + t2·w2 + t3·w3 as the AVX2 build evaluates it: fma(t0, w0, t1·w1), then
          // fma(t2, w2, ·), then fma(t3, w3, ·)
          let acc = f32(data[row + ix[k]!]! * wx[k]! + f32(data[row + ix[k + 1]!]! * wx[k + 1]!));
          acc = f32(data[row + ix[k + 2]!]! * wx[k + 2]! + acc);
          colSums[dst + xx] = data[row + ix[k + 3]!]! * wx[k + 3]! + acc;
        }
      }
    }
    const outPlane = c * outH * outW;
    for (let yy = 0; yy < outH; yy++) {
      const k = (top + yy) * ny;
      const dst = outPlane + yy * outW;
      if (ny === 2) {
        const a = (iy[k]! - r0) * outW;
        const b = (iy[k + 1]! - r0) * outW;
        const w0 = wy[k]!;
        const w1 = wy[k + 1]!;
        for (let xx = 0; xx < outW; xx++) o[dst + xx] = colSums[a + xx]! * w0 + f32(colSums[b + xx]! * w1);
      } else {
        const a = (iy[k]! - r0) * outW;
        const b = (iy[k + 1]! - r0) * outW;
        const cc = (iy[k + 2]! - r0) * outW;
        const d = (iy[k + 3]! - r0) * outW;
        const w0 = wy[k]!;
        const w1 = wy[k + 1]!;
        const w2 = wy[k + 2]!;
        const w3 = wy[k + 3]!;
        for (let xx = 0; xx < outW; xx++) {
          let acc = f32(colSums[a + xx]! * w0 + f32(colSums[b + xx]! * w1));
          acc = f32(colSums[cc + xx]! * w2 + acc);
          o[dst + xx] = colSums[d + xx]! * w3 + acc;
        }
      }
    }
  }
  return out;
}

function resampleAxisAA(x: PlanarTensor, outSize: number, taps: TorchAxisTaps, axis: 'width' | 'height'): PlanarTensor {
  const { channels, height, width, data } = x;
  const outH = axis === 'height' ? outSize : height;
  const outW = axis === 'width' ? outSize : width;
  const out = planarTensor(channels, outH, outW);
  const o = out.data;
  const n = taps.taps;
  for (let c = 0; c < channels; c++) {
    const plane = c * height * width;
    const outPlane = c * outH * outW;
    for (let y = 0; y < outH; y++) {
      for (let xx = 0; xx < outW; xx++) {
        const i = axis === 'width' ? xx : y;
        const cnt = taps.count[i]!;
        let acc = 0;
        for (let j = 0; j < cnt; j++) {
          const s = taps.index[i * n + j]!;
          const v = axis === 'width' ? data[plane + y * width + s]! : data[plane + s * width + xx]!;
          // output = t0·w0, then output += tj·wj, each a fused multiply-add in the AVX2 build
          acc = j === 0 ? f32(v * taps.weight[i * n + j]!) : f32(v * taps.weight[i * n + j]! + acc);
        }
        o[outPlane + y * outW + xx] = acc;
      }
    }
  }
  return out;
}

export interface InterpolateOptions {
  antialias?: boolean;
  /** Compute only this window of the (outH × outW) result, e.g. a center crop (not with antialias). */
  window?: OutputWindow;
  /** Per-axis scale factors [h, w] instead of in/out (only without antialias), as `scale_factor=` does. */
  scaleFactor?: [number, number];
  /** A float32 step applied to every output value (only without antialias); default none. */
  post?: ResamplePost;
}

/** `F.interpolate(x[None], size=(outH, outW), mode, align_corners=False, antialias)` on a C×H×W float32 tensor. */
export function torchInterpolate(x: PlanarTensor, outH: number, outW: number, mode: TorchMode, opts: InterpolateOptions = {}): PlanarTensor {
  checkSize(outH, outW);
  if (opts.antialias) {
    if (opts.scaleFactor || opts.window || opts.post) throw new RangeError('antialiased interpolation takes a size, and no scale factor, window or post step');
    let cur = x;
    if (outW !== x.width) cur = resampleAxisAA(cur, outW, antialiasTaps(x.width, outW, mode), 'width');
    if (outH !== x.height) cur = resampleAxisAA(cur, outH, antialiasTaps(x.height, outH, mode), 'height');
    return cur === x ? planarTensor(x.channels, x.height, x.width, x.data.slice()) : cur;
  }
  const win = checkedWindow(outH, outW, opts.window);
  const view: SourceView = { data: x.data, channels: x.channels, height: x.height, channelStride: x.height * x.width, rowStride: x.width, colStride: 1 };
  const [sh, sw] = opts.scaleFactor ?? [undefined, undefined];
  return interpolateDirect(view, cachedTaps(mode, x.height, outH, sh), cachedTaps(mode, x.width, outW, sw), win, opts.post);
}

/**
 * The same as `torchInterpolate(rgbToPlanarFloat(img), …)` without antialias, reading the 8-bit
 * interleaved pixels directly (their float values are exact), so no float copy of the frame is made.
 */
export function torchInterpolateRgb(
  img: RgbImage,
  outH: number,
  outW: number,
  mode: TorchMode,
  window?: OutputWindow,
  post?: ResamplePost,
  /** Where to write the result (3 × window values), instead of a new tensor. */
  into?: Float32Array,
): PlanarTensor {
  checkSize(outH, outW);
  const win = checkedWindow(outH, outW, window);
  const view: SourceView = { data: img.data, channels: 3, height: img.height, channelStride: 1, rowStride: img.width * 3, colStride: 3 };
  return interpolateDirect(view, cachedTaps(mode, img.height, outH), cachedTaps(mode, img.width, outW), win, post, into);
}

const tapCache = new Map<string, TorchAxisTaps>();

/** Taps of the sizes a run sees again and again, frame after frame (they are never modified). */
function cachedTaps(mode: TorchMode, inSize: number, outSize: number, scaleFactor?: number): TorchAxisTaps {
  const key = `${mode}|${inSize}|${outSize}|${scaleFactor ?? ''}`;
  let t = tapCache.get(key);
  if (!t) {
    if (tapCache.size > 256) tapCache.clear();
    tapCache.set(key, (t = (mode === 'bilinear' ? linearTaps : cubicTaps)(inSize, outSize, scaleFactor)));
  }
  return t;
}
