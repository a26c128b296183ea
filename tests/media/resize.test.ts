/**
 * Resize / crop / normalize kernels against (a) answers worked out by hand and (b) the goldens
 * of tools/parity/resize_golden.py, which ran Debian's Pillow 9.4 and torchvision 0.14.1 /
 * torch 1.13.1 (CPU, AVX2) on the project's test photos (tools/fixtures/test-images.ts: procedural JPEGs
 * 4:2:0/4:4:4 and grey/RGBA/palette PNGs, square, odd, tiny and very wide; made again here, same bytes).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { planarTensor, rgbImage } from '../../src/media/image.ts';
import { readRgbImage } from '../../src/media/image-io.ts';
import { testImagePath } from '../../tools/fixtures/test-images.ts';
import { pilAxisCoefficients, pilResize } from '../../src/media/resize/pil-resample.ts';
import { torchInterpolate } from '../../src/media/resize/torch-interpolate.ts';
import {
  centerCropOffsets,
  normalizeInPlace,
  resizeTensor,
  roundHalfEven,
  shortSideSize,
  toTensor,
} from '../../src/media/resize/torchvision.ts';
import { resizeCases, type CaseOutput } from './resize-cases.ts';

const golden = JSON.parse(readFileSync(join(import.meta.dirname, '../golden/resize.json'), 'utf8')) as {
  images: Record<string, Record<string, { shape: number[]; sha256: string; sample_index: number[]; sample: number[]; sum: number }>>;
};

describe('hand-computed answers', () => {
  test("Python's round is half to even", () => {
    assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, 2.6].map(roundHalfEven), [0, 2, 2, -0, -2, -2, 2, 3]);
  });

  test('Resize(224) sizes: short side 224, long side truncated (examples of the VBench spec)', () => {
    assert.deepEqual(shortSideSize(512, 512, 224), [224, 224]);
    assert.deepEqual(shortSideSize(320, 512, 224), [224, 358]);
    assert.deepEqual(shortSideSize(576, 1024, 224), [224, 398]);
    assert.deepEqual(shortSideSize(720, 1280, 224), [224, 398]);
    assert.deepEqual(shortSideSize(1280, 720, 224), [398, 224]);
  });

  test('CenterCrop offsets round half to even', () => {
    assert.deepEqual(centerCropOffsets(225, 224, 224, 224), [0, 0]); // 0.5 → 0
    assert.deepEqual(centerCropOffsets(227, 358, 224, 224), [2, 67]); // 1.5 → 2, 67 exactly
    assert.throws(() => centerCropOffsets(200, 300, 224, 224), /larger than the image/);
  });

  test('torch bilinear 1×2 → 1×4 of [0, 255] gives 0, 63.75, 191.25, 255', () => {
    const x = planarTensor(1, 1, 2, Float32Array.from([0, 255]));
    assert.deepEqual([...torchInterpolate(x, 1, 4, 'bilinear').data], [0, 63.75, 191.25, 255]);
  });

  test('torch bicubic keeps overshoot on float input and clamps/rounds for uint8', () => {
    // A step 0,0,255,255 upsampled ×2 rings below 0 and above 255 with A = −0.75.
    const x = planarTensor(1, 1, 4, Float32Array.from([0, 0, 255, 255]));
    const out = torchInterpolate(x, 1, 8, 'bicubic').data;
    assert.ok(Math.min(...out) < 0 && Math.max(...out) > 255);
    // Output 2: source 0.75 between taps -1..2 → weights c2(1.75), c1(0.75), c1(0.25), c2(1.25) on 0,0,0,255.
    const A = -0.75;
    const c2 = (t: number) => ((A * t - 5 * A) * t + 8 * A) * t - 4 * A;
    assert.ok(Math.abs(out[2]! - 255 * c2(1.25)) < 1e-4);
    const u8 = resizeTensor(x, [1, 8], { mode: 'bicubic', dtype: 'uint8' }).data;
    assert.ok(u8.every((v) => Number.isInteger(v) && v >= 0 && v <= 255));
  });

  test('Pillow fixed-point weights of one output sum to 2^22 (within rounding of each tap)', () => {
    const c = pilAxisCoefficients(512, 224, 'bicubic');
    for (let i = 0; i < 224; i++) {
      let s = 0;
      for (let k = 0; k < c.count[i]!; k++) s += c.weights[i * c.kernelSize + k]!;
      assert.ok(Math.abs(s - (1 << 22)) <= c.count[i]!, `output ${i}: ${s}`);
    }
  });

  test('Pillow resize of a constant image stays constant; same size returns a copy', () => {
    const img = rgbImage(7, 5, new Uint8Array(7 * 5 * 3).fill(200));
    assert.ok(pilResize(img, 3, 11, 'bicubic').data.every((v) => v === 200));
    const same = pilResize(img, 7, 5, 'bilinear');
    assert.notEqual(same.data, img.data);
    assert.deepEqual(same.data, img.data);
  });

  test('ToTensor and Normalize follow float32 arithmetic', () => {
    const t = toTensor(rgbImage(1, 1, Uint8Array.from([255, 0, 128])));
    assert.deepEqual([...t.data], [1, 0, Math.fround(128 / 255)]);
    normalizeInPlace(t, [0.5, 0.5, 0.5], [0.25, 0.5, 1]);
    assert.deepEqual([...t.data], [2, -1, Math.fround(Math.fround(128 / 255) - 0.5)]);
  });
});

function bytesOf(out: CaseOutput): Buffer {
  return Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength);
}

/**
 * Cases that match bit for bit, and the measured bound for the others. Non-antialiased bilinear and
 * bicubic are bit-identical on every photo (bicubic since its source index is floored as the
 * float32 torch computes: before that, coordinates within ~1e-6 below an integer picked the
 * neighbour one to the left and 7 of these cases differed); the antialiased kernels are within a
 * few float32 ulps (values 0..255; normalised values are ~1/60 of that).
 */
const EXACT = /^(pil_|clip_image|dino_image|t_bilinear_(short224|up|odd|uint8_short224)$|t_bilinear_aa_up$|dino_tensor_float$|t_bicubic_(short224|up|odd|uint8_short224)$|clip_tensor_)/;
const EXACT_EXCEPT_ON: Record<string, RegExp> = {};
const BOUND: Record<string, number> = { float: 2.5e-4, normalized: 2e-6, uint8: 0 };

describe('parity with Pillow 9.4 / torchvision 0.14.1 on the test photos', () => {
  for (const [name, cases] of Object.entries(golden.images)) {
    test(name, async () => {
      const img = await readRgbImage(await testImagePath(name));
      assert.equal(createHash('sha256').update(img.data).digest('hex'), cases.decoded!.sha256, 'decoded pixels differ from PIL (a changed tools/fixtures/test-images.ts or sharp: regenerate the golden)');
      const ours = resizeCases(img);
      for (const [key, expected] of Object.entries(cases)) {
        if (key === 'decoded') continue;
        const make = ours[key];
        assert.ok(make, `no implementation for case ${key}`);
        const out = make();
        assert.equal(out.data.length, expected.shape.reduce((a, b) => a * b, 1), `${key}: size`);
        const sha = createHash('sha256').update(bytesOf(out)).digest('hex');
        if (EXACT.test(key) || (EXACT_EXCEPT_ON[key] && !EXACT_EXCEPT_ON[key]!.test(name))) {
          assert.equal(sha, expected.sha256, `${key}: not bit-identical`);
          continue;
        }
        const bound = out.kind === 'uint8' ? BOUND.uint8! : key.startsWith('clip_') ? BOUND.normalized! : BOUND.float!;
        expected.sample_index.forEach((ix, j) => {
          const d = Math.abs(out.data[ix]! - expected.sample[j]!);
          assert.ok(d <= bound, `${key}[${ix}]: ours ${out.data[ix]} torch ${expected.sample[j]} (|Δ| ${d} > ${bound})`);
        });
        let sum = 0;
        for (const v of out.data) sum += v;
        // uint8: values torch puts within an ulp of .5 may round the other way, each moving the
        // sum by 1; measured at most 1.05e-4 per value (bicubic), so allow 2e-4.
        const sumBound = out.kind === 'uint8' ? out.data.length * 2e-4 : out.data.length * bound;
        assert.ok(Math.abs(sum - expected.sum) <= sumBound, `${key}: sum ${sum} vs ${expected.sum}`);
      }
    });
  }
});
