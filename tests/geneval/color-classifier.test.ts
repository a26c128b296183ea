/**
 * GenEval's CLIP colour classification against the OFFICIAL code (tests/golden/geneval-color.json,
 * tools/parity/geneval_color_golden.py: GenEval's ImageCrops + color_classification with clip_benchmark 1.4.0
 * and open_clip 2.20.0, a tiny CLIP whose image tower is tests/fixtures/models/clip-l14-tiny.onnx and whose
 * text tower is tests/fixtures/models/clip-l14-text-tiny.onnx; CPU, so amp off and fp32 logits), on the
 * project's test photos (tools/fixtures/test-images.ts, made again here) and tests/fixtures/images.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { isGenbenchError } from '../../src/core/errors.ts';
import { rgbImage } from '../../src/media/image.ts';
import { loadClipTokenizer } from '../../src/metrics/clip/clip-tokenizer.ts';
import {
  argmaxFirst,
  colorLogits,
  colorPromptTexts,
  GenevalColorClassifier,
  maskedObjectCrop,
  readGenevalImage,
} from '../../src/suites/geneval/color-classifier.ts';
import type { InstanceDetection } from '../../src/metrics/mask2former/postprocess.ts';
import { evaluateDetections, GENEVAL_COLORS } from '../../src/suites/geneval/task-checks.ts';
import { roundToFloat16 } from '../../src/core/pycompat/float16.ts';
import { clipPilTransform as clipPilPreprocess } from '../../src/metrics/clip/processor.ts';
import { testImagePath } from '../../tools/fixtures/test-images.ts';
import { genevalClassNames } from '../helpers/upstream-text.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const FIXTURES = here('../fixtures/');

interface GoldenCase {
  case: string;
  image: string;
  imageSha256: string;
  imagePixelSha256: string;
  size: [number, number];
  class: number;
  objects: { kind: string; box: number[]; maskRle: number[] }[];
  colors: string[];
  logits: number[][];
  imageEmbeds: number[][];
  pixelSha256: string[];
}
interface Golden {
  colors: string[];
  classifiers: Record<string, number[][]>;
  cases: GoldenCase[];
  textTower: { texts: string[]; inputIds: number[][]; textEmbeds: number[][] };
  colorHistogram: Record<string, number>;
}
const golden = JSON.parse(readFileSync(here('../golden/geneval-color.json'), 'utf8')) as Golden;
const classNames = genevalClassNames();

async function session(file: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(`${FIXTURES}models/${file}`, { intraOpNumThreads: 1, interOpNumThreads: 1 });
}
const models = async () => ({
  textTower: { session: await session('clip-l14-text-tiny.onnx') },
  imageTower: { session: await session('clip-l14-tiny.onnx') },
  tokenizer: loadClipTokenizer(`${FIXTURES}clip-tokenizer-reduced.json`),
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function decodeRle(runs: number[], n: number): Uint8Array {
  const m = new Uint8Array(n);
  let p = 0;
  runs.forEach((r, i) => {
    if (i % 2 === 1) m.fill(1, p, p + r);
    p += r;
  });
  assert.equal(p, n);
  return m;
}

async function imagePath(c: GoldenCase): Promise<string> {
  const [kind, name] = c.image.split(':') as [string, string];
  if (kind === 'generated') return testImagePath(name);
  assert.equal(kind, 'fixture', c.image);
  return `${FIXTURES}images/${name}`;
}

test('golden is non-degenerate: the tiny CLIP predicts several colours', () => {
  assert.ok(Object.keys(golden.colorHistogram).length >= 4, JSON.stringify(golden.colorHistogram));
  assert.deepEqual(golden.colors, [...GENEVAL_COLORS]);
});

test('text tower ONNX equals the torch encode_text (≤ 1e-4); the tokenizer gives the official input ids', async () => {
  const s = await session('clip-l14-text-tiny.onnx');
  const ids = golden.textTower.inputIds;
  const tokenizer = loadClipTokenizer(`${FIXTURES}clip-tokenizer-reduced.json`);
  assert.deepEqual(Array.from(tokenizer.tokenizeBatch(golden.textTower.texts), Number), ids.flat());
  const out = await s.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.flat(), BigInt), [ids.length, 77]) });
  const got = out['text_embeds']!;
  assert.deepEqual(got.dims, [ids.length, golden.textTower.textEmbeds[0]!.length]);
  assert.ok(maxAbsDiff(got.data as Float32Array, golden.textTower.textEmbeds.flat()) <= 1e-4);
});

test('colour classification of crafted objects on the test photos equals the official (pixels bit-exact, colours, logits)', async () => {
  const clf = new GenevalColorClassifier(await models(), { logits: 'fp32' });
  let worstLogit = 0;
  let worstEmbed = 0;
  let worstW = 0;
  let worstMath = 0;
  for (const c of golden.cases) {
    const path = await imagePath(c);
    const image = await readGenevalImage(path);
    assert.equal(createHash('sha256').update(image.data).digest('hex'), c.imagePixelSha256, `${c.case}: decoded pixels differ from the golden's (${path})`);
    assert.deepEqual([image.width, image.height], c.size, `${c.case}: size after EXIF transpose`);
    const className = classNames[c.class]!;
    const objects: InstanceDetection[] = c.objects.map((o, q) => ({
      box: [o.box[0]!, o.box[1]!, o.box[2]!, o.box[3]!, 0.99],
      mask: decodeRle(o.maskRle, image.width * image.height),
      query: q,
    }));
    const { w, dim } = await clf.textClassifier(className);
    const goldW = golden.classifiers[String(c.class)];
    if (goldW) worstW = Math.max(worstW, maxAbsDiff(w, goldW.flat()));
    // the crops after open_clip's transform: bit-identical float32 tensors
    objects.forEach((o, i) => {
      const px = clipPilPreprocess(maskedObjectCrop(image, o.box, o.mask)).data;
      assert.equal(createHash('sha256').update(new Uint8Array(px.buffer, px.byteOffset, px.byteLength)).digest('hex'), c.pixelSha256[i], `${c.case} object ${i} pixels`);
    });
    const emb = await clf.imageEmbeddings(image, objects);
    worstEmbed = Math.max(worstEmbed, maxAbsDiff(emb.data, c.imageEmbeds.flat()));
    const preds = await clf.classify(image, className, objects);
    assert.deepEqual(preds.map((p) => p.color), c.colors, c.case);
    preds.forEach((p, i) => (worstLogit = Math.max(worstLogit, maxAbsDiff(p.logits, c.logits[i]!))));
    // our W, normalisation and matmul on the official (torch) image embeddings
    const fromTorch = colorLogits(Float32Array.from(c.imageEmbeds.flat()), dim, w, 'fp32');
    worstMath = Math.max(worstMath, maxAbsDiff(fromTorch, c.logits.flat()));
  }
  assert.ok(worstW <= 1e-5, `classifier W |Δ| ${worstW}`);
  assert.ok(worstEmbed <= 1e-4, `image embeddings |Δ| ${worstEmbed}`);
  assert.ok(worstMath <= 1e-4, `logits from the torch image embeddings |Δ| ${worstMath}`);
  // End to end the image tower runs in onnxruntime: its float32 embeddings differ from torch's by ~2e-6
  // relative on these random weights (the crops' pixels are bit-identical, checked above), and the ×100
  // logit scale turns that into up to ~1.6e-4.
  assert.ok(worstLogit <= 2e-4, `logits |Δ| ${worstLogit}`);
});

test("plugs into the task checks as their ColorClassifier (the image's colours decide the clause)", async () => {
  const clf = new GenevalColorClassifier(await models(), { logits: 'fp32' });
  const c = golden.cases.find((x) => new Set(x.colors).size >= 2 && x.objects.length <= 5)!;
  const image = await readGenevalImage(await imagePath(c));
  const dets: InstanceDetection[] = c.objects.map((o, q) => ({
    box: [o.box[0]!, o.box[1]!, o.box[2]!, o.box[3]!, 0.9],
    mask: decodeRle(o.maskRle, image.width * image.height),
    query: q,
  }));
  const cls = classNames[c.class]!;
  const detected = new Map([[cls, dets.map((d) => ({ ...d, score: d.box[4], box: [d.box[0], d.box[1], d.box[2], d.box[3]] as const }))]]);
  const want = c.colors[0]!;
  const r = await evaluateDetections({ tag: 'colors', include: [{ class: cls, count: 1, color: want }] }, detected, clf.forImage(image));
  assert.deepEqual(r, { correct: true, reason: '' });
  const other = GENEVAL_COLORS.find((x) => !c.colors.slice(0, 2).includes(x))!;
  const r2 = await evaluateDetections({ tag: 'colors', include: [{ class: cls, count: 2, color: other }] }, detected, clf.forImage(image));
  assert.equal(r2.correct, false);
  assert.match(r2.reason, new RegExp(`^expected ${other} ${cls}>=2, found 0 ${other}; and `));
});

test('fp16 logits: operands and result rounded to binary16, as the autocast matmul (hand-computed)', () => {
  // f = (3, 4)/5 → 100·f = (60, 80); W [2 × 2] row-major: columns (0.123, 0.456) and (0.3, −0.7)
  const w = Float32Array.from([0.123, 0.3, 0.456, -0.7]);
  const emb = Float32Array.from([3, 4]);
  const fp16 = colorLogits(emb, 2, w, 'fp16');
  // 60·fp16(0.123) + 80·fp16(0.456) = 60·0.12298583984375 + 80·0.4560546875 = 43.863525390625 → fp16 (step 1/32) 43.875
  // 60·fp16(0.3) + 80·fp16(−0.7) = 60·0.300048828125 − 80·0.7001953125 = −38.0126953125 → fp16 −38
  assert.deepEqual(Array.from(fp16), [43.875, -38]);
  const fp32 = colorLogits(emb, 2, w, 'fp32');
  assert.ok(Math.abs(fp32[0]! - 43.86) < 1e-5 && Math.abs(fp32[1]! + 38) < 1e-5, String(fp32));
  assert.equal(argmaxFirst([1, 3, 3, 2]), 1); // ties: the lowest index
  assert.equal(argmaxFirst([0, 5, 9, 9, 1], 2, 3), 0);
});

test('fp16 setting on the golden cases stays within fp16 resolution of the fp32 logits', async () => {
  const m = await models();
  const f16 = new GenevalColorClassifier(m, { logits: 'fp16' });
  const c = golden.cases[0]!;
  const image = await readGenevalImage(await imagePath(c));
  const objs = c.objects.map((o) => ({ box: o.box, mask: decodeRle(o.maskRle, image.width * image.height) }));
  const preds = await f16.classify(image, classNames[c.class]!, objs);
  preds.forEach((p, i) => {
    for (let k = 0; k < 10; k++) {
      assert.equal(p.logits[k], roundToFloat16(p.logits[k]!));
      assert.ok(Math.abs(p.logits[k]! - c.logits[i]![k]!) <= 0.07, `${p.logits[k]} vs ${c.logits[i]![k]}`);
    }
  });
});

test('masked crop: original inside the mask, #999 outside, PIL box rounding, black outside the image', () => {
  // 4×3 image, pixel value = 10·index
  const img = rgbImage(4, 3, Uint8Array.from({ length: 36 }, (_, i) => Math.floor(i / 3) * 10));
  const mask = Uint8Array.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  // box (0.5, 0, 2.5, 2): x rounds half-to-even to 0 and 2 → 2×2 crop of columns 0–1, rows 0–1
  const crop = maskedObjectCrop(img, [0.5, 0, 2.5, 2], mask);
  assert.deepEqual([crop.width, crop.height], [2, 2]);
  assert.deepEqual(Array.from(crop.data), [153, 153, 153, 10, 10, 10, 153, 153, 153, 50, 50, 50]);
  // a box reaching past the right edge: those pixels are black (PIL crop), not grey
  const edge = maskedObjectCrop(img, [3, 0, 5, 1], null);
  assert.deepEqual(Array.from(edge.data), [30, 30, 30, 0, 0, 0]);
  assert.throws(() => maskedObjectCrop(img, [0, 0, 2, 2], new Uint8Array(5)), (e) => isGenbenchError(e, 'E_INPUT'));
  assert.throws(() => maskedObjectCrop(img, [1, 1, 1, 3], mask), (e) => isGenbenchError(e, 'E_INPUT'));
  assert.throws(() => maskedObjectCrop(img, [2, 0, 1, 1], mask), (e) => isGenbenchError(e, 'E_INPUT'));
});

test('classifier texts: 10 colours × the 3 official templates, colour-major', () => {
  const t = colorPromptTexts('fire hydrant');
  assert.equal(t.length, 30);
  assert.deepEqual(t.slice(3, 6), ['a photo of a orange fire hydrant', 'a photo of a orange-colored fire hydrant', 'a photo of a orange object']);
});

test('towers with the wrong contract or mismatched embedding sizes are refused with E_SIGNATURE', async () => {
  const m = await models();
  assert.throws(() => new GenevalColorClassifier({ ...m, textTower: m.imageTower }), (e) => isGenbenchError(e, 'E_SIGNATURE'));
  assert.throws(() => new GenevalColorClassifier(m, { logits: 'fp8' as never }), (e) => isGenbenchError(e, 'E_USAGE'));
  // clip-b32-tiny gives 32-value embeddings, the text tower 24
  const clf = new GenevalColorClassifier({ ...m, imageTower: { session: await session('clip-b32-tiny.onnx') } });
  const image = rgbImage(8, 8, new Uint8Array(192).fill(90));
  await assert.rejects(clf.classify(image, 'car', [{ box: [0, 0, 8, 8] }]), (e) => isGenbenchError(e, 'E_SIGNATURE'));
});
