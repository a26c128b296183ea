// AssemblyScript source of src/media/resize/resample.wasm (built by `npm run build:wasm`).
//
// torch 1.13's non-antialiased bilinear / bicubic interpolation (F.interpolate, align_corners=False)
// with exactly the float32 arithmetic of src/media/resize/torch-interpolate.ts `interpolateDirect`,
// which is the reference: every output value is bit-identical to it (tests/media/resample-wasm.test.ts).
//
// Why the two are the same:
//  - a "fused" step fround(a·b + c) is computed here as it is there: the product of two float32
//    values (or of a byte and a float32) exactly in float64, the sum rounded to float64, then to
//    float32;
//  - a single float32 operation on float32 operands (t·w rounded, x/255, x − m, x / s, x·2) gives
//    the same bits whether computed in float32 or in float64 and then rounded (float64 has more
//    than 2·24 + 2 bits), so those run as f32x4 lanes.
//
// Memory is managed by the caller (src/media/resize/wasm-resample.ts): every pointer is a byte
// offset into this module's memory.


/** Source element type. */
const SRC_U8: i32 = 0;
const SRC_F32: i32 = 1;

/** What happens to each interpolated value before it is stored. */
const POST_NONE: i32 = 0;
/** (v / 255 − mean[c]) / std[c]: torchvision's ToTensor-like /255 and Normalize. */
const POST_NORMALIZE: i32 = 1;
/** v / 255. */
const POST_DIV255: i32 = 2;
/** (v / 255 − 0.5) · 2: VBench imaging_quality's /255 followed by MUSIQ's input scaling. */
const POST_DIV255_SIGNED: i32 = 3;

/** Bytes per window column in the scratch `table` of horizontalRgb8. */
export const COLUMN_BYTES: usize = 80;

@inline function r32(x: f64): f64 {
  return <f64><f32>x;
}

@inline function lo(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

@inline function hi(v: v128): v128 {
  return f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 1));
}

/** Two f32x4 demotions (low pair, high pair) joined into one f32x4. */
@inline function join(l: v128, h: v128): v128 {
  return i64x2.shuffle(f32x4.demote_f64x2_zero(l), f32x4.demote_f64x2_zero(h), 0, 2);
}

@inline function loadTap(kind: i32, src: usize, at: i32): f64 {
  return kind == SRC_U8 ? <f64>load<u8>(src + <usize>at) : <f64>load<f32>(src + (<usize>at << 2));
}

@inline function postScalar(v: f32, post: i32, m: f32, s: f32): f32 {
  if (post == POST_NORMALIZE) return (v / 255 - m) / s;
  if (post == POST_DIV255) return v / 255;
  if (post == POST_DIV255_SIGNED) return (v / 255 - 0.5) * 2;
  return v;
}

@inline function postVector(v: v128, post: i32, m: v128, s: v128): v128 {
  const k255 = f32x4.splat(255);
  if (post == POST_NORMALIZE) return f32x4.div(f32x4.sub(f32x4.div(v, k255), m), s);
  if (post == POST_DIV255) return f32x4.div(v, k255);
  if (post == POST_DIV255_SIGNED) return f32x4.mul(f32x4.sub(f32x4.div(v, k255), f32x4.splat(0.5)), f32x4.splat(2));
  return v;
}

/**
 * Interpolate `channels` planes of the source into `out` (planar float32, channels × outH × outW),
 * for the output window starting at (top, left).
 *
 * The source element of channel c, row y, column x is at `src + base + c·chStride + y·rowStride
 * + x·colStride` (elements; `base` lets a negative chStride read BGR bytes as RGB).
 * Row taps: `ny` (2 or 4) indices (i32) and weights (f32) per output row at iy / wy, the same for
 * columns at ix / wx. Source rows r0 … r0 + rows − 1 are the ones the window reads; `sums` holds
 * channels × rows × outW float32 values of scratch. `mean` / `std`: `channels` float32 values each (POST_NORMALIZE); `table`: outW · COLUMN_BYTES
 * bytes of scratch.
 */
export function interpolate(
  kind: i32,
  src: usize,
  base: i32,
  channels: i32,
  chStride: i32,
  rowStride: i32,
  colStride: i32,
  iy: usize,
  wy: usize,
  ny: i32,
  ix: usize,
  wx: usize,
  nx: i32,
  top: i32,
  left: i32,
  outH: i32,
  outW: i32,
  r0: i32,
  rows: i32,
  sums: usize,
  out: usize,
  post: i32,
  mean: usize,
  std: usize,
  table: usize,
): void {
  // 8-bit pixels with three interleaved channels: one pass over the rows for all of them.
  const packed = kind == SRC_U8 && channels == 3 && (colStride == 3 || colStride == -3) && (chStride == 1 || chStride == -1);
  if (packed) horizontalRgb8(src, base, chStride, rowStride, colStride, ix, wx, nx, left, outW, r0, rows, sums, table);
  for (let c = 0; c < channels; c++) {
    const plane = base + c * chStride;
    // Horizontal pass: each source row's column sums for the window's columns, rounded to float32.
    if (!packed) horizontalPlane(kind, src, plane, rowStride, colStride, ix, wx, nx, left, outW, r0, rows, sums + (<usize>(c * rows * outW) << 2));
    const csums = sums + (<usize>(c * rows * outW) << 2);
    // Vertical pass over the column sums, then the post-operation; 4 outputs per step.
    const m: f32 = post == POST_NORMALIZE ? load<f32>(mean + (<usize>c << 2)) : 0;
    const s: f32 = post == POST_NORMALIZE ? load<f32>(std + (<usize>c << 2)) : 1;
    const mv = f32x4.splat(m);
    const sv = f32x4.splat(s);
    const outPlane = out + (<usize>(c * outH * outW) << 2);
    for (let yy = 0; yy < outH; yy++) {
      const k = <usize>((top + yy) * ny) << 2;
      const o = outPlane + (<usize>(yy * outW) << 2);
      const a = csums + (<usize>((load<i32>(iy + k) - r0) * outW) << 2);
      const b = csums + (<usize>((load<i32>(iy + k + 4) - r0) * outW) << 2);
      const w0 = load<f32>(wy + k);
      const w1 = load<f32>(wy + k + 4);
      const w0d = f64x2.splat(<f64>w0);
      const w1v = f32x4.splat(w1);
      let xx = 0;
      if (ny == 4) {
        const cc = csums + (<usize>((load<i32>(iy + k + 8) - r0) * outW) << 2);
        const d = csums + (<usize>((load<i32>(iy + k + 12) - r0) * outW) << 2);
        const w2 = load<f32>(wy + k + 8);
        const w3 = load<f32>(wy + k + 12);
        const w2d = f64x2.splat(<f64>w2);
        const w3d = f64x2.splat(<f64>w3);
        for (; xx + 4 <= outW; xx += 4) {
          const off = <usize>xx << 2;
          const A = v128.load(a + off);
          const P = f32x4.mul(v128.load(b + off), w1v); // t1·w1, rounded
          const C = v128.load(cc + off);
          const D = v128.load(d + off);
          let accL = f64x2.add(f64x2.mul(lo(A), w0d), lo(P));
          let accH = f64x2.add(f64x2.mul(hi(A), w0d), hi(P));
          let acc = join(accL, accH);
          accL = f64x2.add(f64x2.mul(lo(C), w2d), lo(acc));
          accH = f64x2.add(f64x2.mul(hi(C), w2d), hi(acc));
          acc = join(accL, accH);
          accL = f64x2.add(f64x2.mul(lo(D), w3d), lo(acc));
          accH = f64x2.add(f64x2.mul(hi(D), w3d), hi(acc));
          v128.store(o + off, postVector(join(accL, accH), post, mv, sv));
        }
        for (; xx < outW; xx++) {
          const off = <usize>xx << 2;
          let acc = r32(<f64>load<f32>(a + off) * <f64>w0 + r32(<f64>load<f32>(b + off) * <f64>w1));
          acc = r32(<f64>load<f32>(cc + off) * <f64>w2 + acc);
          store<f32>(o + off, postScalar(<f32>(<f64>load<f32>(d + off) * <f64>w3 + acc), post, m, s));
        }
      } else {
        for (; xx + 4 <= outW; xx += 4) {
          const off = <usize>xx << 2;
          const A = v128.load(a + off);
          const P = f32x4.mul(v128.load(b + off), w1v);
          const accL = f64x2.add(f64x2.mul(lo(A), w0d), lo(P));
          const accH = f64x2.add(f64x2.mul(hi(A), w0d), hi(P));
          v128.store(o + off, postVector(join(accL, accH), post, mv, sv));
        }
        for (; xx < outW; xx++) {
          const off = <usize>xx << 2;
          store<f32>(o + off, postScalar(<f32>(<f64>load<f32>(a + off) * <f64>w0 + r32(<f64>load<f32>(b + off) * <f64>w1)), post, m, s));
        }
      }
    }
  }
}

/** Column sums of one plane's source rows r0 … r0 + rows − 1 into `dst` (rows × outW float32). */
function horizontalPlane(
  kind: i32, src: usize, plane: i32, rowStride: i32, colStride: i32, ix: usize, wx: usize, nx: i32,
  left: i32, outW: i32, r0: i32, rows: i32, sums: usize,
): void {
  for (let r = 0; r < rows; r++) {
    const row = plane + (r0 + r) * rowStride;
    const dst = sums + (<usize>(r * outW) << 2);
    if (nx == 4) {
      for (let xx = 0; xx < outW; xx++) {
        const k = <usize>((left + xx) * 4) << 2;
        const t0 = loadTap(kind, src, row + load<i32>(ix + k) * colStride);
        const t1 = loadTap(kind, src, row + load<i32>(ix + k + 4) * colStride);
        const t2 = loadTap(kind, src, row + load<i32>(ix + k + 8) * colStride);
        const t3 = loadTap(kind, src, row + load<i32>(ix + k + 12) * colStride);
        // fma(t0, w0, t1·w1), then fma(t2, w2, ·), then fma(t3, w3, ·)
        let acc = r32(t0 * <f64>load<f32>(wx + k) + r32(t1 * <f64>load<f32>(wx + k + 4)));
        acc = r32(t2 * <f64>load<f32>(wx + k + 8) + acc);
        store<f32>(dst + (<usize>xx << 2), <f32>(t3 * <f64>load<f32>(wx + k + 12) + acc));
      }
    } else {
      for (let xx = 0; xx < outW; xx++) {
        const k = <usize>((left + xx) * 2) << 2;
        const t0 = loadTap(kind, src, row + load<i32>(ix + k) * colStride);
        const t1 = loadTap(kind, src, row + load<i32>(ix + k + 4) * colStride);
        // fma(t0, w0, t1·w1)
        store<f32>(dst + (<usize>xx << 2), <f32>(t0 * <f64>load<f32>(wx + k) + r32(t1 * <f64>load<f32>(wx + k + 4))));
      }
    }
  }
}

/** Four 8-bit values at p (three channels and the byte after them) as float32 lanes. */
@inline function bytes4(p: usize): v128 {
  return f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(p))));
}

/**
 * Column sums of three interleaved 8-bit channels at once (lanes = the pixel's bytes), into the
 * three planes of `sums` (each rows × outW float32): the same operations as horizontalPlane.
 */
function horizontalRgb8(
  src: usize, base: i32, chStride: i32, rowStride: i32, colStride: i32, ix: usize, wx: usize, nx: i32,
  left: i32, outW: i32, r0: i32, rows: i32, sums: usize, table: usize,
): void {
  // Byte `lane` of a pixel holds channel (lane − base) / chStride: with BGR bytes read as RGB
  // (base 2, chStride −1), byte 0 is channel 2.
  const planeBytes = <usize>(rows * outW) << 2;
  const lowest = chStride > 0 ? base : base - 2; // the pixel's first byte, relative to channel 0's
  const p0 = sums + <usize>((0 + lowest - base) * chStride) * planeBytes;
  const p1 = sums + <usize>((1 + lowest - base) * chStride) * planeBytes;
  const p2 = sums + <usize>((2 + lowest - base) * chStride) * planeBytes;
  const start = src + <usize>lowest;
  // Per window column, once: the taps' byte offsets, w1 as f32 lanes, w0 / w2 / w3 as f64 lanes.
  for (let xx = 0; xx < outW; xx++) {
    const k = <usize>((left + xx) * nx) << 2;
    const t = table + <usize>xx * COLUMN_BYTES;
    for (let j = 0; j < nx; j++) store<i32>(t + (<usize>j << 2), load<i32>(ix + k + (<usize>j << 2)) * colStride);
    v128.store(t + 16, f32x4.splat(load<f32>(wx + k + 4)));
    v128.store(t + 32, f64x2.splat(<f64>load<f32>(wx + k)));
    if (nx == 4) {
      v128.store(t + 48, f64x2.splat(<f64>load<f32>(wx + k + 8)));
      v128.store(t + 64, f64x2.splat(<f64>load<f32>(wx + k + 12)));
    }
  }
  for (let r = 0; r < rows; r++) {
    const row = start + <usize>((r0 + r) * rowStride);
    const rowOut = <usize>(r * outW) << 2;
    let t = table;
    if (nx == 4) {
      for (let xx = 0; xx < outW; xx++, t += COLUMN_BYTES) {
        const t0 = bytes4(row + <usize>load<i32>(t));
        const t1 = bytes4(row + <usize>load<i32>(t, 4));
        const t2 = bytes4(row + <usize>load<i32>(t, 8));
        const t3 = bytes4(row + <usize>load<i32>(t, 12));
        const P = f32x4.mul(t1, v128.load(t, 16)); // t1·w1, rounded
        const w0 = v128.load(t, 32);
        const w2 = v128.load(t, 48);
        const w3 = v128.load(t, 64);
        let acc = join(f64x2.add(f64x2.mul(lo(t0), w0), lo(P)), f64x2.add(f64x2.mul(hi(t0), w0), hi(P)));
        acc = join(f64x2.add(f64x2.mul(lo(t2), w2), lo(acc)), f64x2.add(f64x2.mul(hi(t2), w2), hi(acc)));
        const v = join(f64x2.add(f64x2.mul(lo(t3), w3), lo(acc)), f64x2.add(f64x2.mul(hi(t3), w3), hi(acc)));
        const o = rowOut + (<usize>xx << 2);
        store<f32>(p0 + o, f32x4.extract_lane(v, 0));
        store<f32>(p1 + o, f32x4.extract_lane(v, 1));
        store<f32>(p2 + o, f32x4.extract_lane(v, 2));
      }
    } else {
      for (let xx = 0; xx < outW; xx++, t += COLUMN_BYTES) {
        const t0 = bytes4(row + <usize>load<i32>(t));
        const t1 = bytes4(row + <usize>load<i32>(t, 4));
        const P = f32x4.mul(t1, v128.load(t, 16));
        const w0 = v128.load(t, 32);
        const v = join(f64x2.add(f64x2.mul(lo(t0), w0), lo(P)), f64x2.add(f64x2.mul(hi(t0), w0), hi(P)));
        const o = rowOut + (<usize>xx << 2);
        store<f32>(p0 + o, f32x4.extract_lane(v, 0));
        store<f32>(p1 + o, f32x4.extract_lane(v, 1));
        store<f32>(p2 + o, f32x4.extract_lane(v, 2));
      }
    }
  }
}
