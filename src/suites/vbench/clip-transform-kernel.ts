/**
 * clip_transform(224) on an 8-bit RGB frame in one fused kernel: torch's bicubic resize
 * (A = −0.75, antialias=False, computed only inside the center crop), /255 and CLIP's Normalize.
 *
 * It performs exactly the float32 operations of the generic path
 * (torchInterpolateRgb → divide255 → normalizeInPlace, see torch-interpolate.ts for why they are
 * torch 1.13's), in the same order, so the result is bit-identical (tested on random frames
 * against that path); it is faster because it reads the interleaved bytes once for all three
 * channels, touches only 8-bit and float32 arrays of one type each (monomorphic loads), and
 * writes each output value once instead of in three passes.
 */
import { planarTensor, type PlanarTensor, type RgbImage } from '../../media/image.ts';
import { cubicTaps } from '../../media/resize/torch-interpolate.ts';

const f32 = Math.fround;

/**
 * Bicubic-resize `frame` to outH×outW (torch semantics), keep the window [top, top+size) ×
 * [left, left+size), then (x/255 − mean[c]) / std[c], all in float32.
 */
export function clipResizeCropNormalize(
  frame: RgbImage,
  outH: number,
  outW: number,
  top: number,
  left: number,
  size: number,
  mean: readonly number[],
  std: readonly number[],
): PlanarTensor {
  const { width, height } = frame;
  const src = frame.data as Uint8Array;
  const ty = cubicTaps(height, outH);
  const tx = cubicTaps(width, outW);
  // Source rows the window reads.
  let r0 = height;
  let r1 = -1;
  for (let k = top * 4; k < (top + size) * 4; k++) {
    r0 = Math.min(r0, ty.index[k]!);
    r1 = Math.max(r1, ty.index[k]!);
  }
  const rows = r1 - r0 + 1;
  // Column offsets (bytes) and weights of the window's columns.
  const ix = new Int32Array(size * 4);
  const wx = new Float32Array(size * 4);
  for (let j = 0; j < size * 4; j++) {
    ix[j] = tx.index[left * 4 + j]! * 3;
    wx[j] = tx.weight[left * 4 + j]!;
  }
  // Horizontal pass: per channel, rows × size column sums (float32), as torch rounds them.
  const plane = rows * size;
  const sums = new Float32Array(3 * plane);
  for (let r = 0; r < rows; r++) {
    const row = (r0 + r) * width * 3;
    const dst = r * size;
    for (let xx = 0, k = 0; xx < size; xx++, k += 4) {
      const a = row + ix[k]!;
      const b = row + ix[k + 1]!;
      const c = row + ix[k + 2]!;
      const d = row + ix[k + 3]!;
      const w0 = wx[k]!;
      const w1 = wx[k + 1]!;
      const w2 = wx[k + 2]!;
      const w3 = wx[k + 3]!;
      for (let ch = 0; ch < 3; ch++) {
        // fma(t0, w0, t1·w1), then fma(t2, w2, ·), then fma(t3, w3, ·), each rounded to float32
        let acc = f32(src[a + ch]! * w0 + f32(src[b + ch]! * w1));
        acc = f32(src[c + ch]! * w2 + acc);
        sums[ch * plane + dst + xx] = src[d + ch]! * w3 + acc;
      }
    }
  }
  // Vertical pass, then /255 and Normalize, written once.
  const out = planarTensor(3, size, size);
  const o = out.data;
  for (let ch = 0; ch < 3; ch++) {
    const m = f32(mean[ch]!);
    const s = f32(std[ch]!);
    const base = ch * plane;
    const outPlane = ch * size * size;
    for (let yy = 0; yy < size; yy++) {
      const k = (top + yy) * 4;
      const a = base + (ty.index[k]! - r0) * size;
      const b = base + (ty.index[k + 1]! - r0) * size;
      const c = base + (ty.index[k + 2]! - r0) * size;
      const d = base + (ty.index[k + 3]! - r0) * size;
      const w0 = ty.weight[k]!;
      const w1 = ty.weight[k + 1]!;
      const w2 = ty.weight[k + 2]!;
      const w3 = ty.weight[k + 3]!;
      const dst = outPlane + yy * size;
      for (let xx = 0; xx < size; xx++) {
        let acc = f32(sums[a + xx]! * w0 + f32(sums[b + xx]! * w1));
        acc = f32(sums[c + xx]! * w2 + acc);
        const v = f32(sums[d + xx]! * w3 + acc);
        o[dst + xx] = f32(f32(f32(v / 255) - m) / s);
      }
    }
  }
  return out;
}
