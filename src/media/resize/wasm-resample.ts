/**
 * The WebAssembly build of the non-antialiased torch interpolation (resample.wasm, built from
 * wasm/resample.ts by `npm run build:wasm`): the same float32 operations as the JavaScript
 * `interpolateDirect` in the same order, so the same bits (tests/media/resample-wasm.test.ts),
 * 2–4× faster (SIMD vertical pass and post-operation, no bounds checks).
 *
 * One instance per thread (each worker that imports this module gets its own), made on first use.
 * Its memory is an arena reused call after call: inputs are copied in, the result copied out.
 * Set GENBENCH_WASM=0 to use the JavaScript path instead (a Node.js without WebAssembly SIMD
 * falls back to it by itself).
 */
import { readFileSync } from 'node:fs';

/** Per-axis taps: output i reads `taps` source indices `index[i*taps + j]` with weights `weight[i*taps + j]`. */
export interface TorchAxisTaps {
  taps: number;
  /** For antialias taps: how many of the `taps` slots output i uses (the rest are zero). */
  count: Int32Array;
  index: Int32Array;
  weight: Float32Array;
}

/** A window of the output to compute (the rest is never needed, e.g. before a center crop). */
export interface OutputWindow {
  top: number;
  left: number;
  height: number;
  width: number;
}

/** Where a source's values live: planar float32 (C×H×W) or interleaved 8-bit RGB (H×W×3, read as floats). */
export interface SourceView {
  data: Float32Array | Uint8Array;
  /** Offset of element (0, 0, 0) (lets a negative channelStride read BGR bytes as RGB). */
  base?: number;
  channels: number;
  height: number;
  channelStride: number;
  rowStride: number;
  colStride: number;
}

/** What the kernel does to each interpolated value before storing it (see wasm/resample.ts). */
export type ResamplePost =
  | { kind: 'none' }
  /** (v / 255 − mean[c]) / std[c] */
  | { kind: 'normalize'; mean: readonly number[]; std: readonly number[] }
  /** v / 255 */
  | { kind: 'div255' }
  /** (v / 255 − 0.5) · 2 */
  | { kind: 'div255Signed' };

const POST_CODES = { none: 0, normalize: 1, div255: 2, div255Signed: 3 } as const;

type InterpolateExport = (
  kind: number, src: number, base: number, channels: number, chStride: number, rowStride: number, colStride: number,
  iy: number, wy: number, ny: number, ix: number, wx: number, nx: number,
  top: number, left: number, outH: number, outW: number, r0: number, rows: number,
  sums: number, out: number, post: number, mean: number, std: number, table: number,
) => void;

/** Scratch bytes per window column (wasm/resample.ts COLUMN_BYTES). */
const COLUMN_BYTES = 80;

const WASM_URL = new URL('./resample.wasm', import.meta.url);

export class WasmResampler {
  private readonly memory: WebAssembly.Memory;
  private readonly kernel: InterpolateExport;

  constructor(module: WebAssembly.Module) {
    const instance = new WebAssembly.Instance(module, {});
    this.memory = instance.exports['memory'] as WebAssembly.Memory;
    this.kernel = instance.exports['interpolate'] as InterpolateExport;
  }

  /** Grow the memory to at least `bytes`. */
  private reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / 65536));
  }

  /**
   * Interpolate the window `win` of the outH×outW result of `src` with taps `ty` (rows) and `tx`
   * (columns), 2 or 4 taps each; `into` receives channels × win.height × win.width values.
   */
  interpolate(src: SourceView, ty: TorchAxisTaps, tx: TorchAxisTaps, win: OutputWindow, r0: number, rows: number, post: ResamplePost, into: Float32Array): void {
    const { channels } = src;
    const outBytes = channels * win.height * win.width * 4;
    if (into.length * 4 !== outBytes) throw new RangeError(`output needs ${outBytes / 4} values, got ${into.length}`);
    // Layout: [taps y][taps x][mean, std][source][sums][out], each 16-byte aligned.
    const align = (n: number) => (n + 15) & ~15;
    let at = 16;
    const place = (bytes: number) => {
      const p = at;
      at = align(at + bytes);
      return p;
    };
    const iy = place(ty.index.byteLength);
    const wy = place(ty.weight.byteLength);
    const ix = place(tx.index.byteLength);
    const wx = place(tx.weight.byteLength);
    const mean = place(channels * 4);
    const std = place(channels * 4);
    const srcAt = place(src.data.byteLength);
    const sums = place(channels * rows * win.width * 4);
    const out = place(outBytes);
    const table = place(win.width * COLUMN_BYTES);
    this.reserve(at);
    const buf = this.memory.buffer;
    new Int32Array(buf, iy, ty.index.length).set(ty.index);
    new Float32Array(buf, wy, ty.weight.length).set(ty.weight);
    new Int32Array(buf, ix, tx.index.length).set(tx.index);
    new Float32Array(buf, wx, tx.weight.length).set(tx.weight);
    if (post.kind === 'normalize') {
      if (post.mean.length !== channels || post.std.length !== channels) {
        throw new RangeError(`normalize needs ${channels} means and stds, got ${post.mean.length} and ${post.std.length}`);
      }
      new Float32Array(buf, mean, channels).set(post.mean);
      new Float32Array(buf, std, channels).set(post.std);
    }
    new Uint8Array(buf, srcAt, src.data.byteLength).set(new Uint8Array(src.data.buffer, src.data.byteOffset, src.data.byteLength));
    const kind = src.data instanceof Uint8Array ? 0 : 1;
    this.kernel(
      kind, srcAt, src.base ?? 0, channels, src.channelStride, src.rowStride, src.colStride,
      iy, wy, ty.taps, ix, wx, tx.taps,
      win.top, win.left, win.height, win.width, r0, rows,
      sums, out, POST_CODES[post.kind], mean, std, table,
    );
    into.set(new Float32Array(buf, out, outBytes / 4));
  }
}

let cached: WasmResampler | null | undefined;

/** This thread's resampler, or null when WebAssembly SIMD is unavailable or GENBENCH_WASM=0. */
export function wasmResampler(): WasmResampler | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (process.env['GENBENCH_WASM'] === '0') return cached;
  try {
    const bytes = readFileSync(WASM_URL);
    if (WebAssembly.validate(bytes)) cached = new WasmResampler(new WebAssembly.Module(bytes));
  } catch {
    cached = null;
  }
  return cached;
}
