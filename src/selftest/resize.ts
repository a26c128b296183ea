/**
 * Resize kernels against torchvision, Pillow and OpenCV on the selftest's own image
 * (src/selftest/input.ts): the non-antialiased torch interpolation through both its JavaScript
 * and its WebAssembly kernel, the antialiased torch path, Pillow's resample and OpenCV's
 * INTER_LINEAR. Each must be bit-identical to the golden; the line says max |Δ| either way.
 */
import { rgbToBgr, rgbToPlanarFloat, type PlanarTensor, type RgbImage } from '../media/image.ts';
import { opencvResizeLinear } from '../media/resize/opencv-resize.ts';
import { pilResize } from '../media/resize/pil-resample.ts';
import {
  applyPost,
  cubicTaps,
  interpolateDirectJs,
  linearTaps,
  torchInterpolate,
  type OutputWindow,
  type SourceView,
  type TorchAxisTaps,
} from '../media/resize/torch-interpolate.ts';
import { wasmResampler, type ResamplePost } from '../media/resize/wasm-resample.ts';
import { blobValues, type Golden, type GoldenResizeCase } from './golden.ts';
import { selftestImage } from './input.ts';
import { failed, formatDiff, maxAbsDiff, ok, sameBits, skipped, threw, type CheckResult } from './result.ts';

type Kernel = 'JavaScript' | 'WebAssembly';

function sourceView(img: RgbImage, x: PlanarTensor, kind: 'float' | 'uint8'): SourceView {
  return kind === 'uint8'
    ? { data: img.data, channels: 3, height: img.height, channelStride: 1, rowStride: img.width * 3, colStride: 3 }
    : { data: x.data, channels: 3, height: x.height, channelStride: x.height * x.width, rowStride: x.width, colStride: 1 };
}

/** Source rows the window's output rows read (what the WebAssembly kernel is told to copy). */
function rowsRead(ty: TorchAxisTaps, win: OutputWindow): [number, number] {
  let r0 = Infinity;
  let r1 = -1;
  for (let k = win.top * ty.taps; k < (win.top + win.height) * ty.taps; k++) {
    r0 = Math.min(r0, ty.index[k]!);
    r1 = Math.max(r1, ty.index[k]!);
  }
  return [r0, r1 - r0 + 1];
}

/** One non-antialiased torch case through one kernel; null when that kernel is not available here. */
function torchDirect(c: GoldenResizeCase, img: RgbImage, x: PlanarTensor, kernel: Kernel): Float32Array | null {
  const [outH, outW] = c.size;
  const taps = c.mode === 'bilinear' ? linearTaps : cubicTaps;
  const ty = taps(x.height, outH);
  const tx = taps(x.width, outW);
  const win: OutputWindow = c.window ? { top: c.window[0], left: c.window[1], height: c.window[2], width: c.window[3] } : { top: 0, left: 0, height: outH, width: outW };
  const post: ResamplePost = c.post ? { kind: 'normalize', mean: c.post.mean, std: c.post.std } : { kind: 'none' };
  const src = sourceView(img, x, c.source ?? 'float');
  if (kernel === 'JavaScript') return applyPost(interpolateDirectJs(src, ty, tx, win), post).data;
  const wasm = wasmResampler();
  if (!wasm) return null;
  const [r0, rows] = rowsRead(ty, win);
  const out = new Float32Array(3 * win.height * win.width);
  wasm.interpolate(src, ty, tx, win, r0, rows, post, out);
  return out;
}

function compare(name: string, got: Uint8Array | Float32Array, expected: Uint8Array | Float32Array, c: GoldenResizeCase): CheckResult {
  const d = maxAbsDiff(got, expected);
  const exact = sameBits(got, expected);
  const detail = `max |Δ| ${formatDiff(d)} over ${expected.length} values vs ${c.library}, ${exact ? 'bit-identical' : c.tolerance > 0 ? `bound ${c.tolerance}` : 'must be bit-identical'}`;
  return exact || d <= c.tolerance ? ok('resize', name, detail, { maxAbsDiff: d, values: expected.length }) : failed('resize', name, detail, { maxAbsDiff: d, values: expected.length });
}

export function checkResize(golden: Golden): CheckResult[] {
  const results: CheckResult[] = [];
  const img = selftestImage(golden.image.width, golden.image.height);
  try {
    const expected = blobValues(golden.image, 'input image');
    if (!sameBits(img.data, expected)) {
      return [failed('resize', 'selftest input image', `the generated image differs from the one the goldens were made on (max |Δ| ${formatDiff(maxAbsDiff(img.data, expected))})`)];
    }
  } catch (e) {
    return [threw('resize', 'selftest input image', e)];
  }
  const x = rgbToPlanarFloat(img);
  for (const [key, c] of Object.entries(golden.resize)) {
    const kernels: Kernel[] = c.op === 'torch' && !c.antialias ? ['JavaScript', 'WebAssembly'] : ['JavaScript'];
    for (const kernel of kernels) {
      const name = `${key} (${kernel})`;
      try {
        const expected = blobValues(c, `resize case ${key}`);
        let got: Uint8Array | Float32Array | null;
        if (c.op === 'torch') {
          got = c.antialias ? torchInterpolate(x, c.size[0], c.size[1], c.mode, { antialias: true }).data : torchDirect(c, img, x, kernel);
        } else if (c.op === 'pil') {
          got = pilResize(img, c.size[1], c.size[0], c.mode).data;
        } else {
          got = opencvResizeLinear({ width: img.width, height: img.height, channels: 3, data: rgbToBgr(img) }, c.size[1], c.size[0]).data;
        }
        results.push(got === null ? skipped('resize', name, process.env['GENBENCH_WASM'] === '0' ? 'GENBENCH_WASM=0: the JavaScript kernel is used' : 'WebAssembly SIMD is not available here: the JavaScript kernel is used') : compare(name, got, expected, c));
      } catch (e) {
        results.push(threw('resize', name, e));
      }
    }
  }
  return results;
}
