/**
 * The WebAssembly interpolation kernel (wasm/resample.ts → src/media/resize/resample.wasm) against
 * the JavaScript kernel it replaces (whose outputs the torch goldens of resize.test.ts pin): the
 * same bits on every value, for random sources, sizes, windows, tap counts and post-operations;
 * and the committed binary is what its source builds to.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { planarTensor } from '../../src/media/image.ts';
import {
  applyPost,
  cubicTaps,
  interpolateDirectJs,
  linearTaps,
  torchInterpolate,
  torchInterpolateRgb,
  type ResamplePost,
  type SourceView,
} from '../../src/media/resize/torch-interpolate.ts';
import { wasmResampler } from '../../src/media/resize/wasm-resample.ts';
import { WASM_BUILD_ARGS } from '../../tools/wasm/build-args.ts';

const ROOT = join(import.meta.dirname, '../..');

/** xorshift32: deterministic test data. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

function firstDifference(a: Float32Array, b: Float32Array): string | null {
  if (a.length !== b.length) return `length ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return `value ${i}: ${a[i]} vs ${b[i]}`;
  return null;
}

const POSTS: ResamplePost[] = [
  { kind: 'none' },
  { kind: 'div255' },
  { kind: 'div255Signed' },
  { kind: 'normalize', mean: [0.48145466, 0.4578275, 0.40821073], std: [0.26862954, 0.26130258, 0.27577711] },
];

describe('WebAssembly interpolation kernel', () => {
  test('it loads on this Node.js (WebAssembly SIMD)', () => {
    assert.ok(wasmResampler(), 'resample.wasm did not load: the JavaScript path would be used');
  });

  test('bit-identical to the JavaScript kernel on 400 random cases (8-bit RGB and float planes, windows, 2 and 4 taps, every post step)', () => {
    const r = rng(20261207);
    const wasm = wasmResampler()!;
    for (let n = 0; n < 400; n++) {
      const inH = 1 + Math.floor(r() * 90);
      const inW = 1 + Math.floor(r() * 90);
      const outH = 1 + Math.floor(r() * 70);
      const outW = 1 + Math.floor(r() * 70);
      const mode = r() < 0.5 ? 'bilinear' : 'bicubic';
      const taps = mode === 'bilinear' ? linearTaps : cubicTaps;
      const interleaved = r() < 0.5;
      const bgr = interleaved && r() < 0.5;
      const channels = interleaved ? 3 : 1 + Math.floor(r() * 3);
      const data = interleaved ? new Uint8Array(inH * inW * 3) : new Float32Array(channels * inH * inW);
      // Float sources: values of either sign and very different magnitudes (mask logits, normalised pixels).
      const scale = 10 ** Math.floor(r() * 6 - 3);
      for (let i = 0; i < data.length; i++) data[i] = interleaved ? Math.floor(r() * 256) : (r() * 2 - 1) * scale;
      const view: SourceView = interleaved
        ? { data, base: bgr ? 2 : 0, channels, height: inH, channelStride: bgr ? -1 : 1, rowStride: inW * 3, colStride: 3 }
        : { data, channels, height: inH, channelStride: inH * inW, rowStride: inW, colStride: 1 };
      const top = Math.floor(r() * outH);
      const left = Math.floor(r() * outW);
      const win = { top, left, height: 1 + Math.floor(r() * (outH - top)), width: 1 + Math.floor(r() * (outW - left)) };
      const post = POSTS[Math.floor(r() * POSTS.length)]!;
      if (post.kind === 'normalize' && channels !== 3) continue;
      const ty = taps(inH, outH);
      const tx = taps(inW, outW);
      const expected = applyPost(interpolateDirectJs(view, ty, tx, win), post);
      let r0 = inH;
      let r1 = -1;
      for (let k = win.top * ty.taps; k < (win.top + win.height) * ty.taps; k++) {
        r0 = Math.min(r0, ty.index[k]!);
        r1 = Math.max(r1, ty.index[k]!);
      }
      const got = new Float32Array(channels * win.height * win.width);
      wasm.interpolate({ ...view, base: view.base ?? 0 }, ty, tx, win, r0, r1 - r0 + 1, post, got);
      const d = firstDifference(expected.data, got);
      assert.equal(d, null, `case ${n}: ${mode} ${interleaved ? (bgr ? 'bgr8' : 'rgb8') : `f32×${channels}`} ${inH}×${inW} → ${outH}×${outW} window ${JSON.stringify(win)} post ${post.kind}: ${d}`);
    }
  });

  test('the public functions give the JavaScript results with GENBENCH_WASM unset (frame-sized inputs)', () => {
    const r = rng(7);
    const img = { width: 640, height: 480, data: new Uint8Array(640 * 480 * 3) };
    for (let i = 0; i < img.data.length; i++) img.data[i] = Math.floor(r() * 256);
    const view: SourceView = { data: img.data, channels: 3, height: 480, channelStride: 1, rowStride: 640 * 3, colStride: 3 };
    const win = { top: 0, left: 37, height: 224, width: 224 };
    const post = POSTS[3]!;
    const expected = applyPost(interpolateDirectJs(view, cubicTaps(480, 224), cubicTaps(640, 298), win), post);
    assert.equal(firstDifference(expected.data, torchInterpolateRgb(img, 224, 298, 'bicubic', win, post).data), null);
    const x = planarTensor(3, 384, 512);
    for (let i = 0; i < x.data.length; i++) x.data[i] = r() * 2 - 1;
    const planar: SourceView = { data: x.data, channels: 3, height: 384, channelStride: 384 * 512, rowStride: 512, colStride: 1 };
    const full = { top: 0, left: 0, height: 288, width: 384 };
    assert.equal(firstDifference(interpolateDirectJs(planar, cubicTaps(384, 288), cubicTaps(512, 384), full).data, torchInterpolate(x, 288, 384, 'bicubic').data), null);
  });

  test('the committed resample.wasm is what wasm/resample.ts builds to (npm run build:wasm)', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'gb-wasm-')), 'resample.wasm');
    const asc = join(ROOT, 'node_modules/assemblyscript/bin/asc.js');
    execFileSync(process.execPath, [asc, ...WASM_BUILD_ARGS.map((a) => (a === '{out}' ? out : a))], { cwd: ROOT, stdio: 'pipe' });
    assert.deepEqual(readFileSync(out), readFileSync(join(ROOT, 'src/media/resize/resample.wasm')), 'rebuild with `npm run build:wasm` and commit the result');
  });
});
