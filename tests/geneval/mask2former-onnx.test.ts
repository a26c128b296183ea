/**
 * GenEval's detector network through ONNX Runtime: the tiny Mask2Former fixture
 * (tests/fixtures/models/mask2former-tiny.onnx, tools/export/mask2former_net.py config `tiny`:
 * Swin + MSDeformAttn pixel decoder + masked-attention decoder with seeded random weights, 100
 * queries, 81 logits) on the project's test photos (tools/fixtures/test-images.ts, made again here)
 * preprocessed by our detector input, against the torch
 * network's outputs and mmdet's instance post-processing computed in Python
 * (tests/golden/mask2former-tiny.json, tools/parity/mask2former_golden.py).
 *
 * Mask areas and boxes: a mask logit within 1e-3 of 0 (the golden counts them per instance) may
 * fall on either side of `> 0` in another runtime; a mask area may differ by at most that count
 * and each box coordinate must lie between the boxes of `logit > 1e-3` and `logit > -1e-3`
 * (equal boxes, i.e. an exact requirement, for nearly all instances), and a score may move by
 * what flipping those pixels does to the mask score.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import ort from 'onnxruntime-node';
import { readRgbImage } from '../../src/media/image-io.ts';
import { rgbToBgr } from '../../src/media/image.ts';
import { getModelSpec } from '../../src/runtime/registry.ts';
import '../../src/metrics/catalog.ts'; // registers the built-in models (the metric families' tables)
import { checkSignature, createSession, inspectSignature, releaseSessions } from '../../src/runtime/session.ts';
import { detectorInput } from '../../src/metrics/mask2former/processor.ts';
import { mask2formerInstances } from '../../src/metrics/mask2former/postprocess.ts';
import { testImagePath } from '../../tools/fixtures/test-images.ts';

const golden = JSON.parse(readFileSync(join(import.meta.dirname, '../golden/mask2former-tiny.json'), 'utf8'));
const MODEL = join(import.meta.dirname, '../fixtures/models/mask2former-tiny.onnx');
const TOL = 1e-4;

interface GoldenInstance {
  query: number;
  label: number;
  prob: number;
  score: number;
  mask_score: number;
  box: number[];
  mask_area: number;
  near_zero: number;
  box_strict: number[];
  box_loose: number[];
}

after(() => releaseSessions());

test('the fixture is the file the golden was made with', () => {
  const bytes = readFileSync(MODEL);
  assert.equal(bytes.length, golden.model.bytes);
  assert.equal(createHash('sha256').update(bytes).digest('hex'), golden.model.sha256);
});

test('the fixture has the signature of the registry contract mask2former-swin-s-coco', async () => {
  const spec = getModelSpec('mask2former-swin-s-coco');
  const actual = inspectSignature(await createSession(MODEL));
  checkSignature(actual, { inputs: spec.inputs, outputs: spec.outputs }, { subject: 'mask2former-tiny.onnx' });
  assert.deepEqual(actual.inputs[0]!.shape.slice(0, 2), [1, 3]);
  assert.deepEqual(actual.outputs.find((o) => o.name === 'cls_logits')!.shape, [1, 100, 81]);
});

/** max |Δ| over the golden's samples: every `sample_stride`-th value from index 0. */
function maxSampleDiff(data: Float32Array, g: { sample_stride: number; sample: number[] }): number {
  assert.equal(g.sample.length, Math.ceil(data.length / g.sample_stride));
  let worst = 0;
  g.sample.forEach((v, j) => (worst = Math.max(worst, Math.abs(data[j * g.sample_stride]! - v))));
  return worst;
}

function sums(data: Float32Array): { sum: number; absSum: number } {
  let sum = 0;
  let absSum = 0;
  for (const v of data) {
    sum += v;
    absSum += Math.abs(v);
  }
  return { sum, absSum };
}

for (const [name, g] of Object.entries<any>(golden.images)) {
  test(`${name}: ONNX Runtime matches torch, and our post-processing matches mmdet's`, async (t) => {
    // cv2.imread, as the golden read it, turns an EXIF-rotated photo upright
    const rgb = await readRgbImage(await testImagePath(name), { exifTranspose: true });
    const input = detectorInput({ width: rgb.width, height: rgb.height, channels: 3, data: rgbToBgr(rgb) });
    const inputSha = createHash('sha256').update(Buffer.from(input.data.buffer, input.data.byteOffset, input.data.byteLength)).digest('hex');
    assert.equal(inputSha, g.input_sha256, 'detector input differs from the golden (see detector-input.test.ts)');
    assert.deepEqual(input.geometry, g.geometry);
    const { padH, padW } = input.geometry;

    const session = await createSession(MODEL);
    const out = await session.run({ pixel_values: new ort.Tensor('float32', input.data, [1, 3, padH, padW]) });
    const cls = out.cls_logits!;
    const mask = out.mask_logits!;
    assert.deepEqual(cls.dims, g.cls_logits.shape);
    assert.deepEqual(mask.dims, g.mask_logits.shape);
    const clsData = cls.data as Float32Array;
    const maskData = mask.data as Float32Array;

    // raw outputs: sampled values within 1e-4, sums within 1e-4 per value on average
    const dc = maxSampleDiff(clsData, g.cls_logits);
    const dm = maxSampleDiff(maskData, g.mask_logits);
    assert.ok(dc <= TOL, `cls_logits max |Δ| ${dc}`);
    assert.ok(dm <= TOL, `mask_logits max |Δ| ${dm} over ${g.mask_logits.sample.length} samples`);
    for (const [data, ref] of [[clsData, g.cls_logits], [maskData, g.mask_logits]] as const) {
      const s = sums(data);
      assert.ok(Math.abs(s.sum - ref.sum) <= 1e-6 * ref.abs_sum + 1e-3, `sum ${s.sum} vs ${ref.sum}`);
      assert.ok(Math.abs(s.absSum - ref.abs_sum) <= 1e-6 * ref.abs_sum + 1e-3, `|sum| ${s.absSum} vs ${ref.abs_sum}`);
    }

    // instances: same (query, label) pairs, scores within 1e-4, boxes and areas within the golden's bounds
    const [, , maskH, maskW] = mask.dims as number[];
    const perClass = mask2formerInstances({ queries: 100, clsLogits: clsData, maskLogits: maskData, maskH: maskH!, maskW: maskW! }, input.geometry);
    const ours = new Map<string, { score: number; box: number[]; area: number }>();
    perClass.forEach((list, label) => {
      for (const d of list) {
        let area = 0;
        for (const v of d.mask) area += v;
        ours.set(`${d.query}/${label}`, { score: d.box[4], box: d.box.slice(0, 4), area });
      }
    });
    const rows: GoldenInstance[] = g.instances;
    // the fixture is not degenerate: several classes, non-empty masks with real boxes
    assert.ok(new Set(rows.map((r) => r.label)).size >= 10 && rows.filter((r) => r.mask_area > 0).length >= 10);
    assert.equal(ours.size, rows.length);
    let exactBoxes = 0;
    for (const r of rows) {
      const key = `${r.query}/${r.label}`;
      const o = ours.get(key);
      assert.ok(o, `instance query ${r.query} label ${r.label} missing from ours`);
      // k near-zero logits on the other side of 0 move the mask score (a mean of sigmoids over
      // the mask) by about k·|0.5 − mask score| / (area − k)
      const flipSlack = r.near_zero === 0 ? 0 : (1.01 * r.prob * r.near_zero * Math.abs(0.5 - r.mask_score)) / Math.max(r.mask_area - r.near_zero, 1);
      assert.ok(Math.abs(o.score - r.score) <= TOL + flipSlack, `${key}: score ${o.score} vs ${r.score}`);
      assert.ok(Math.abs(o.area - r.mask_area) <= r.near_zero, `${key}: mask area ${o.area} vs ${r.mask_area} (${r.near_zero} near-zero logits)`);
      if (r.near_zero === 0) assert.equal(o.area, r.mask_area, `${key}: mask area`);
      if (JSON.stringify(r.box_strict) === JSON.stringify(r.box_loose)) {
        assert.deepEqual(o.box, r.box, `${key}: box`);
        exactBoxes++;
      } else {
        // the loose mask contains ours, which contains the strict one (when that is not empty)
        const inside = (a: number[], b: number[]) => a[0]! >= b[0]! && a[1]! >= b[1]! && a[2]! <= b[2]! && a[3]! <= b[3]!;
        const empty = (b: number[]) => b.every((v) => v === 0);
        const ok = empty(o.box) ? empty(r.box_strict) : inside(o.box, r.box_loose) && (empty(r.box_strict) || inside(r.box_strict, o.box));
        assert.ok(ok, `${key}: box ${o.box} not between [${r.box_strict}] and [${r.box_loose}]`);
      }
    }
    t.diagnostic(`max |Δ| cls ${dc.toExponential(2)}, mask ${dm.toExponential(2)}; ${exactBoxes}/${rows.length} boxes exactly determined`);
    assert.ok(exactBoxes >= rows.length - 5, `only ${exactBoxes} of ${rows.length} boxes were exactly determined`);
  });
}
