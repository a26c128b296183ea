/**
 * The tiny DINO ONNX fixture (tests/fixtures/models/dino-subject-tiny.onnx) against the official
 * DINO VisionTransformer forward run in torch (tests/golden/vbench-subject-consistency.json
 * `model_checks`, made by tools/parity/subject_consistency_golden.py). Checks the model contract
 * (`pixel_values` [1,3,H,W] with dynamic H and W → `features` [1,D]) and that the pos-embed
 * interpolation written into the graph (ONNX Resize, cubic) follows the runtime size exactly as
 * the official bicubic `scale_factor` interpolation does, including the sizes where the official
 * code keeps the pos-embed unchanged (224x224) and where it interpolates a 14x14 grid (224x231).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';

const root = fileURLToPath(new URL('../../', import.meta.url));
const MODEL = `${root}tests/fixtures/models/dino-subject-tiny.onnx`;
const TOLERANCE = 1e-4;

interface ModelCheck {
  h: number;
  w: number;
  features: number[];
}
interface Golden {
  model: { sha256: string; config: { embed_dim: number } };
  model_checks: ModelCheck[];
}
const golden = JSON.parse(readFileSync(`${root}tests/golden/vbench-subject-consistency.json`, 'utf8')) as Golden;

/** The deterministic check input: ((i*7919) % 1000)/1000 - 0.5 at flat index i, rounded to float32. */
function checkInput(h: number, w: number): Float32Array {
  const n = 3 * h * w;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * 7919) % 1000) / 1000 - 0.5;
  return out;
}

test('the ONNX fixture is the one the golden was made with', () => {
  const sha = createHash('sha256').update(readFileSync(MODEL)).digest('hex');
  assert.equal(sha, golden.model.sha256);
});

test('DINO fixture: onnxruntime-node matches the official torch forward within 1e-4', async () => {
  const session = await ort.InferenceSession.create(MODEL);
  try {
    assert.deepEqual([...session.inputNames], ['pixel_values']);
    assert.deepEqual([...session.outputNames], ['features']);
    assert.ok(golden.model_checks.length >= 3);
    let worst = 0;
    for (const c of golden.model_checks) {
      const input = new ort.Tensor('float32', checkInput(c.h, c.w), [1, 3, c.h, c.w]);
      const result = await session.run({ pixel_values: input });
      const features = result.features!;
      assert.deepEqual(features.dims, [1, golden.model.config.embed_dim], `${c.h}x${c.w} dims`);
      const data = features.data as Float32Array;
      let maxAbs = 0;
      for (let i = 0; i < c.features.length; i++) maxAbs = Math.max(maxAbs, Math.abs(data[i]! - c.features[i]!));
      assert.ok(maxAbs <= TOLERANCE, `${c.h}x${c.w}: max |Δ| ${maxAbs} > ${TOLERANCE}`);
      worst = Math.max(worst, maxAbs);
    }
    process.stdout.write(`# DINO fixture max |Δ| over ${golden.model_checks.length} sizes: ${worst.toExponential(3)}\n`);
  } finally {
    await session.release();
  }
});
