import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { openSafetensors } from '../../src/generate/nova/safetensors.ts';
import { WeightBinder } from '../../src/generate/nova/graph/weights.ts';
import { buildDiffusionHeadGraph } from '../../src/generate/nova/networks/diffusion-head.ts';
import { buildMixerGraph, buildSpatialStepGraph, buildTemporalStepGraph, buildTextConditionGraph, temporalKvNames } from '../../src/generate/nova/networks/transformer.ts';
import { videoTimeSinCos } from '../../src/generate/nova/networks/sincos.ts';
import { loadTransformerConfig } from '../../src/generate/nova/config.ts';
import { type GoldenTensor, NOVA_TINY_DIR, agreement, novaGolden, session, tensor } from '../helpers/nova-tiny.ts';

const TOL = 1e-4;
const weights = () => new WeightBinder(openSafetensors(join(NOVA_TINY_DIR, 'transformer')));

test('DiffusionMLP head matches the official module on the selected tokens; others are the patchified input', async () => {
  const g = novaGolden.diffusion_head;
  const [B, C, H, W] = g.x.shape as number[];
  const p = 2;
  const N = (H / p) * (W / p);
  const D = g.z.shape[2];
  const ids: number[][] = g.pred_ids;
  const K = ids[0].length;
  // Patchify the canvas ([py][px][c] per patch) and gather the selected tokens and condition rows.
  const patch = (b: number, n: number): number[] => {
    const gy = Math.floor(n / (W / p)), gx = n % (W / p);
    const out: number[] = [];
    for (let py = 0; py < p; py++) for (let px = 0; px < p; px++) for (let c = 0; c < C; c++) out.push(g.x.data[((b * C + c) * H + gy * p + py) * W + gx * p + px]);
    return out;
  };
  const xTok = new Float32Array(B * K * p * p * C);
  const zTok = new Float32Array(B * K * D);
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < K; k++) {
      xTok.set(patch(b, ids[b][k]), (b * K + k) * p * p * C);
      zTok.set(g.z.data.slice((b * N + ids[b][k]) * D, (b * N + ids[b][k] + 1) * D), (b * K + k) * D);
    }
  }
  const bytes = buildDiffusionHeadGraph(weights(), { depth: 2, width: 48, condDim: D, patchSize: p, imageDim: C });
  const s = await session(bytes);
  const out = await s.run({
    x: new ort.Tensor('float32', xTok, [B, K, p * p * C]),
    timestep: new ort.Tensor('float32', Float32Array.from(g.timestep), [B]),
    z: new ort.Tensor('float32', zTok, [B, K, D]),
  });
  const pred = out.pred.data as Float32Array;
  const expected: number[] = [];
  const unselected: [number[], number[]] = [[], []];
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < K; k++) expected.push(...g.out.data.slice((b * N + ids[b][k]) * 16, (b * N + ids[b][k] + 1) * 16));
    for (let n = 0; n < N; n++) {
      if (ids[b].includes(n)) continue;
      unselected[0].push(...g.out.data.slice((b * N + n) * 16, (b * N + n + 1) * 16));
      unselected[1].push(...patch(b, n).map(Math.fround));
    }
  }
  const a = agreement(pred, expected);
  console.log(`diffusion head: max|Δ| ${a.maxAbs.toExponential(2)}, relative ${a.relative.toExponential(2)}`);
  assert.ok(a.relative <= TOL, `relative ${a.relative}`);
  // The official output keeps the patchified input at tokens it did not predict: our patchify order agrees.
  assert.deepEqual(unselected[0], unselected[1]);
});

const tinyConfig = () => loadTransformerConfig(join(NOVA_TINY_DIR, 'transformer', 'config.json'));

function repeatBatch(t: GoldenTensor, times: number): ort.Tensor {
  const data = new Float32Array(t.data.length * times);
  for (let i = 0; i < times; i++) data.set(t.data, i * t.data.length);
  return new ort.Tensor('float32', data, [t.shape[0] * times, ...t.shape.slice(1)]);
}

function lastTokens(t: ort.Tensor, count: number): { data: Float32Array; dims: number[] } {
  const [B, L, D] = t.dims as number[];
  const src = t.data as Float32Array;
  const out = new Float32Array(B * count * D);
  for (let b = 0; b < B; b++) out.set(src.subarray((b * L + L - count) * D, (b * L + L) * D), b * count * D);
  return { data: out, dims: [B, count, D] };
}

test('text condition (TextEmbed proj+LN, MotionEmbed flow/fps tokens) matches the official preprocess', async () => {
  const g = novaGolden.temporal;
  const s = await session(buildTextConditionGraph(weights(), tinyConfig()));
  const out = await s.run({ text: tensor(g.text_buffer), flow: new ort.Tensor('float32', Float32Array.of(g.motion_flow, g.motion_flow), [2]), fps: new ort.Tensor('float32', Float32Array.of(g.fps, g.fps), [2]) });
  assert.deepEqual(out.cond.dims, g.text_cond.shape);
  const a = agreement(out.cond.data as Float32Array, g.text_cond.data);
  console.log(`text condition: max|Δ| ${a.maxAbs.toExponential(2)}, relative ${a.relative.toExponential(2)}`);
  assert.ok(a.relative <= TOL, `relative ${a.relative}`);
});

test('temporal encoder steps with an explicit KV cache + mixer reproduce generate_video over 3 frames', async () => {
  const cfg = tinyConfig();
  const g = novaGolden.temporal;
  const w = weights();
  const step = await session(buildTemporalStepGraph(w, cfg));
  const mixer = await session(buildMixerGraph(w, cfg));
  const T = g.frames.length;
  const sincos = videoTimeSinCos(T, cfg.videoBaseSize[0]);
  const { heads, headDim, width: D, depth } = cfg.temporal;
  const M = cfg.videoGrid[0] * cfg.videoGrid[1];
  const B2 = 2;
  const past: Record<string, ort.Tensor> = {};
  for (let i = 0; i < depth; i++) {
    const n = temporalKvNames(i);
    past[n.pastKey] = new ort.Tensor('float32', new Float32Array(0), [B2, heads, 0, headDim]);
    past[n.pastValue] = new ort.Tensor('float32', new Float32Array(0), [B2, heads, 0, headDim]);
  }
  let anchor: ort.Tensor | undefined;
  let pastLen = 0;
  for (let t = 0; t < T; t++) {
    const frame = t === 0 ? new ort.Tensor('float32', new Float32Array(B2 * 4 * 8 * 8), [B2, 4, 8, 8]) : repeatBatch(g.frames[t - 1], 2);
    const prefix = t === 0 ? tensor(g.text_cond) : new ort.Tensor('float32', new Float32Array(0), [B2, 0, D]);
    const out = await step.run({ frame, bos: new ort.Tensor('float32', Float32Array.of(t === 0 ? 1 : 0), []), time_sincos: new ort.Tensor('float32', sincos.slice(t * 256, (t + 1) * 256), [1, 256]), prefix, ...past });
    const o = lastTokens(out.hidden, M);
    const current = new ort.Tensor('float32', o.data, o.dims);
    let condition: Float32Array;
    if (t === 0) {
      anchor = current;
      condition = o.data;
    } else {
      condition = (await mixer.run({ anchor: anchor!, current })).condition.data as Float32Array;
    }
    const a = agreement(condition, g.conditions[t].data);
    console.log(`temporal step t=${t} (+mixer): max|Δ| ${a.maxAbs.toExponential(2)}, relative ${a.relative.toExponential(2)}`);
    assert.ok(a.relative <= TOL, `t=${t}: relative ${a.relative}`);
    pastLen += (t === 0 ? g.text_cond.shape[1] : 0) + M;
    for (let i = 0; i < depth; i++) {
      const n = temporalKvNames(i);
      past[n.pastKey] = out[n.presentKey];
      past[n.pastValue] = out[n.presentValue];
      assert.deepEqual(out[n.presentKey].dims, [B2, heads, pastLen, headDim]);
    }
  }
});

test('spatial encoder step (key-masked first half) matches generate_frame at every set-by-set step', async () => {
  const cfg = tinyConfig();
  const g = novaGolden.spatial;
  const s = await session(buildSpatialStepGraph(weights(), cfg));
  const N = cfg.imageGrid[0] * cfg.imageGrid[1];
  const order: number[] = g.order[0];
  let done = 0;
  for (let i = 0; i < g.steps.length; i++) {
    const st = g.steps[i];
    const mask = new Float32Array(2 * N).fill(1);
    for (let b = 0; b < 2; b++) for (const id of order.slice(0, done)) mask[b * N + id] = 0;
    const out = await s.run({ canvas: repeatBatch(st.canvas, 2), mask: new ort.Tensor('float32', mask, [2, N]), condition: tensor(novaGolden.temporal.conditions[g.condition_index]) });
    const a = agreement(out.z.data as Float32Array, st.z.data);
    console.log(`spatial step ${i} (${done} known tokens): max|Δ| ${a.maxAbs.toExponential(2)}, relative ${a.relative.toExponential(2)}`);
    assert.ok(a.relative <= TOL, `step ${i}: relative ${a.relative}`);
    assert.deepEqual(st.pred_ids[0], order.slice(done, done + g.num_preds[i]));
    done += g.num_preds[i];
  }
});

test('weights whose shapes disagree with config.json are refused before any graph is built', () => {
  const cfg = tinyConfig();
  const wrong = { ...cfg, head: { depth: 2, width: 64 } };
  assert.throws(() => buildDiffusionHeadGraph(weights(), { depth: wrong.head.depth, width: wrong.head.width, condDim: 32, patchSize: 2, imageDim: 4 }), /image_decoder\.patch_embed\.proj\.weight has shape \[48,4,2,2\], the config implies \[64,4,2,2\]/);
  assert.throws(() => buildTemporalStepGraph(weights(), { ...cfg, temporal: { ...cfg.temporal, depth: 3 } }), /tensor video_encoder\.blocks\.2\.attn\.qkv\.weight is missing/);
});

test('text condition without motion tokens (image checkpoints): the 256-slot projection alone', async () => {
  const g = novaGolden.temporal;
  const cfg = { ...tinyConfig(), motion: false };
  const s = await session(buildTextConditionGraph(weights(), cfg));
  assert.deepEqual(s.inputNames, ['text']);
  const out = await s.run({ text: tensor(g.text_buffer) });
  const [P, L, D] = g.text_cond.shape;
  const expected: number[] = [];
  for (let p = 0; p < P; p++) expected.push(...g.text_cond.data.slice(p * L * D, (p * L + 8) * D));
  assert.deepEqual(out.cond.dims, [P, 8, D]);
  assert.ok(agreement(out.cond.data as Float32Array, expected).relative <= TOL);
});
