/**
 * OpenCV 4.6 `cv2.resize(img, (w, h), interpolation=INTER_LINEAR)` on 8-bit interleaved images,
 * bit for bit (x86 build with SSE2 universal intrinsics, as Debian's python3-opencv):
 *  - source coordinate `(d + 0.5)·scale − 0.5` in float32, 11-bit coefficients rounded per tap;
 *  - horizontal pass in integers, taps clamped at the borders (weight 2048 on the edge pixel);
 *  - vertical pass: rows clamped, unclamped weights, every value as the SIMD code computes it,
 *    `sat_u8(((S0>>4)·b0 >> 16) + ((S1>>4)·b1 >> 16) + 2) >> 2)` (measured: also the row tails;
 *    the scalar `(S0·b0 + S1·b1 + 2^21) >> 22` would differ by one in places);
 *  - an unchanged size is a copy; an exact 2× downscale is switched to INTER_AREA (2×2 mean, rounded).
 * Channel order does not matter (every channel is treated alike). This is GenEval's detector
 * preprocessing (mmcv.imrescale with the cv2 backend).
 */
import { roundHalfEven } from '../../core/pycompat/round.ts';

const COEF_BITS = 11;
const COEF_SCALE = 1 << COEF_BITS;
const f32 = Math.fround;

export interface U8Image {
  width: number;
  height: number;
  channels: number;
  /** height × width × channels bytes. */
  data: Uint8Array;
}

function saturateShort(x: number): number {
  const r = roundHalfEven(x); // cvRound: nearest, ties to even
  return r < -32768 ? -32768 : r > 32767 ? 32767 : r;
}

interface AxisTable {
  index: Int32Array;
  w0: Int16Array;
  w1: Int16Array;
}

/** Per output position: source index and the two 11-bit weights, as OpenCV's resize computes them. */
function axisTable(inSize: number, outSize: number, clampSource: boolean): AxisTable {
  const scale = 1 / (outSize / inSize);
  const index = new Int32Array(outSize);
  const w0 = new Int16Array(outSize);
  const w1 = new Int16Array(outSize);
  for (let d = 0; d < outSize; d++) {
    let fx = f32((d + 0.5) * scale - 0.5);
    let sx = Math.floor(fx);
    fx = f32(fx - sx);
    if (clampSource) {
      if (sx < 0) {
        fx = 0;
        sx = 0;
      }
      if (sx >= inSize - 1) {
        fx = 0;
        sx = inSize - 1;
      }
    }
    index[d] = sx;
    w0[d] = saturateShort(f32(f32(1 - fx) * COEF_SCALE));
    w1[d] = saturateShort(f32(fx * COEF_SCALE));
  }
  return { index, w0, w1 };
}

function mulhi16(a: number, b: number): number {
  return (a * b) >> 16;
}

function resizeLinear(src: U8Image, outW: number, outH: number): U8Image {
  const { width: W, height: H, channels: cn, data } = src;
  const xt = axisTable(W, outW, true);
  const yt = axisTable(H, outH, false);
  const rowLen = outW * cn;
  // Horizontal pass of every source row the output reads (OpenCV caches two rows; same values).
  const hrow = (y: number, out: Int32Array) => {
    const base = y * W * cn;
    for (let dx = 0; dx < outW; dx++) {
      const sx = xt.index[dx]!;
      const a0 = xt.w0[dx]!;
      const a1 = xt.w1[dx]!;
      const p = base + sx * cn;
      const q = sx + 1 < W ? p + cn : p; // at the right edge the second weight is 0
      for (let k = 0; k < cn; k++) out[dx * cn + k] = data[p + k]! * a0 + data[q + k]! * a1;
    }
  };
  const out = new Uint8Array(outH * rowLen);
  const cache = new Map<number, Int32Array>();
  const rowOf = (y: number): Int32Array => {
    let r = cache.get(y);
    if (!r) {
      r = new Int32Array(rowLen);
      hrow(y, r);
      if (cache.size > 4) cache.delete(cache.keys().next().value!);
      cache.set(y, r);
    }
    return r;
  };
  for (let dy = 0; dy < outH; dy++) {
    const sy = yt.index[dy]!;
    const S0 = rowOf(Math.min(Math.max(sy, 0), H - 1));
    const S1 = rowOf(Math.min(Math.max(sy + 1, 0), H - 1));
    const b0 = yt.w0[dy]!;
    const b1 = yt.w1[dy]!;
    const dst = dy * rowLen;
    for (let x = 0; x < rowLen; x++) {
      const v = (mulhi16(S0[x]! >> 4, b0) + mulhi16(S1[x]! >> 4, b1) + 2) >> 2;
      out[dst + x] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return { width: outW, height: outH, channels: cn, data: out };
}

/** INTER_AREA for an exact 2× downscale: each output is the rounded mean of a 2×2 block. */
function resizeArea2x(src: U8Image, outW: number, outH: number): U8Image {
  const { width: W, channels: cn, data } = src;
  const out = new Uint8Array(outW * outH * cn);
  for (let y = 0; y < outH; y++) {
    const r0 = 2 * y * W * cn;
    const r1 = r0 + W * cn;
    for (let x = 0; x < outW; x++) {
      for (let k = 0; k < cn; k++) {
        const p = 2 * x * cn + k;
        out[(y * outW + x) * cn + k] = (data[r0 + p]! + data[r0 + p + cn]! + data[r1 + p]! + data[r1 + p + cn]! + 2) >> 2;
      }
    }
  }
  return { width: outW, height: outH, channels: cn, data: out };
}

export function opencvResizeLinear(src: U8Image, outW: number, outH: number): U8Image {
  if (!Number.isInteger(outW) || !Number.isInteger(outH) || outW < 1 || outH < 1) {
    throw new RangeError(`resize target must be positive integers, got ${outW}×${outH}`);
  }
  if (outW === src.width && outH === src.height) return { ...src, data: src.data.slice() };
  const sx = src.width / outW;
  const sy = src.height / outH;
  if (Math.abs(sx - 2) < Number.EPSILON && Math.abs(sy - 2) < Number.EPSILON) return resizeArea2x(src, outW, outH);
  return resizeLinear(src, outW, outH);
}

/** mmcv.imrescale(img, (1333, 800)) target size (keep_ratio): [newW, newH]. */
export function mmcvRescaleSize(width: number, height: number, scale: [number, number] = [1333, 800]): [number, number] {
  const long = Math.max(...scale);
  const short = Math.min(...scale);
  const factor = Math.min(long / Math.max(height, width), short / Math.min(height, width));
  return [Math.trunc(width * factor + 0.5), Math.trunc(height * factor + 0.5)];
}
