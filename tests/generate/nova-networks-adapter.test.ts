import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { linear } from '../../src/generate/nova/graph/layers.ts';
import { GraphBuilder } from '../../src/runtime/onnx-builder.ts';
import { WeightBinder } from '../../src/generate/nova/graph/weights.ts';
import { openSafetensors } from '../../src/generate/nova/safetensors.ts';
import { OrtNovaNetworks } from '../../src/generate/nova/networks/ort-networks.ts';
import { writeTransformerGraphs } from '../../src/generate/nova/networks/transformer-graphs.ts';
import { NOVA_TINY_DIR, agreement, novaGolden } from '../helpers/nova-tiny.ts';

const TOL = 1e-4;

for (const delivery of ['external', 'converted'] as const) {
  test(`NovaNetworks over ORT (${delivery} weights): text condition, temporal steps + mixer, spatial step at query tokens`, async () => {
    const dir = mkdtempSync(join(tmpdir(), `gb-nova-${delivery}-`));
    cpSync(join(NOVA_TINY_DIR, 'transformer'), dir, { recursive: true });
    const graphs = writeTransformerGraphs(dir, { delivery, outDir: join(dir, 'graphs') });
    if (delivery === 'external') assert.ok(existsSync(join(dir, 'genbench.temporal_step.onnx')), 'external graphs sit next to the safetensors');
    else {
      assert.ok(readdirSync(join(dir, 'graphs')).includes('genbench.spatial_step.data'));
      // Re-opening an unchanged checkpoint reuses the converted files (no rewrite).
      const data = join(dir, 'graphs', 'genbench.spatial_step.data');
      const before = statSync(data).mtimeMs;
      await new Promise((r) => setTimeout(r, 20));
      writeTransformerGraphs(dir, { delivery, outDir: join(dir, 'graphs') });
      assert.equal(statSync(data).mtimeMs, before);
    }
    const net = await OrtNovaNetworks.open(graphs);
    const g = novaGolden.temporal;
    assert.deepEqual(net.geometry, { latentChannels: 4, latentHeight: 8, latentWidth: 8, patchSize: 2, tokens: 16, temporalTokens: 4, width: 32, conditionTokens: 10, mixer: true });

    // Text condition from features: cond row = features (5 tokens) + null rows; uncond row = null (the empty prompt).
    const text = await net.textCondition({ rows: [{ features: Float32Array.from(g.text_features.data), length: 5, truncated: false }, null], motionFlow: g.motion_flow, fps: g.fps });
    assert.ok(agreement(text, g.text_cond.data).relative <= TOL);

    let cache = null;
    let anchor: Float32Array | null = null;
    let previous: Float32Array | null = null;
    for (let t = 0; t < 3; t++) {
      const step = await net.temporalStep({ frame: t, numFrames: 3, rows: 2, previous, text: t === 0 ? text : null, cache });
      cache = step.cache;
      const condition = t === 0 ? step.output : await net.mixer({ rows: 2, anchor: anchor!, current: step.output });
      if (t === 0) anchor = step.output;
      const a = agreement(condition, g.conditions[t].data);
      assert.ok(a.relative <= TOL, `t=${t}: ${a.relative}`);
      const f = Float32Array.from(g.frames[t].data);
      previous = new Float32Array(2 * f.length);
      previous.set(f, 0);
      previous.set(f, f.length);
    }
    assert.equal(cache!.length, 10 + 3 * 4);
    net.releaseCache(cache!);

    // Spatial step 1 of the golden: 3 known tokens; query = this step's 5 tokens.
    const sp = novaGolden.spatial;
    const st = sp.steps[1];
    const order: number[] = sp.order[0];
    const unknown = new Uint8Array(32).fill(1);
    for (const id of order.slice(0, 3)) unknown[id] = unknown[16 + id] = 0;
    const canvas = new Float32Array(2 * 256);
    canvas.set(st.canvas.data, 0);
    canvas.set(st.canvas.data, 256);
    const query = Int32Array.from([...st.pred_ids[0], ...st.pred_ids[1]]);
    const z = await net.spatialStep({ rows: 2, canvas, unknown, condition: Float32Array.from(g.conditions[1].data), query, count: 5 });
    const expected: number[] = [];
    for (let r = 0; r < 2; r++) for (const id of st.pred_ids[r]) expected.push(...st.z.data.slice((r * 16 + id) * 32, (r * 16 + id + 1) * 32));
    assert.ok(agreement(z, expected).relative <= TOL);

    await assert.rejects(net.encodeText(['a cat']), /no text encoder/);
  });
}

test('external weights in F32, F16 and BF16 are read in place (Cast for the half types) and give the exact values', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-ext-'));
  // weight (2 out, 3 in) = [[1, -2, 0.5], [3, 0.25, -1]], bias [0.5, -1.5]: exact in every dtype.
  const w = [1, -2, 0.5, 3, 0.25, -1];
  const bias = [0.5, -1.5];
  const enc: Record<string, (v: number[]) => Buffer> = {
    F32: (v) => Buffer.from(Float32Array.from(v).buffer),
    BF16: (v) => Buffer.from(Uint16Array.from(new Uint32Array(Float32Array.from(v).buffer), (u) => u >>> 16).buffer),
    F16: (v) => Buffer.from(Uint16Array.from(v, (x) => ({ 1: 0x3c00, [-2]: 0xc000, 0.5: 0x3800, 3: 0x4200, 0.25: 0x3400, [-1]: 0xbc00, [-1.5]: 0xbe00 })[x as 1]!).buffer),
  };
  for (const dtype of ['F32', 'F16', 'BF16']) {
    const wb = enc[dtype](w), bb = enc[dtype](bias);
    const json = Buffer.from(JSON.stringify({ 'fc.weight': { dtype, shape: [2, 3], data_offsets: [0, wb.length] }, 'fc.bias': { dtype, shape: [2], data_offsets: [wb.length, wb.length + bb.length] } }));
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    const st = join(dir, `${dtype}.safetensors`);
    writeFileSync(st, Buffer.concat([len, json, wb, bb]));
    const b = new GraphBuilder({ name: 't' });
    const x = b.input('x', 'float32', [1, 3]);
    b.outputAs(linear({ b, w: new WeightBinder(openSafetensors(st), { kind: 'external', modelDir: dir }) }, x, 'fc', 3, 2), 'y', 'float32', [1, 2]);
    const path = join(dir, `${dtype}.onnx`);
    writeFileSync(path, b.toBytes());
    const s = await ort.InferenceSession.create(path);
    const y = (await s.run({ x: new ort.Tensor('float32', Float32Array.of(1, 2, 4), [1, 3]) })).y.data as Float32Array;
    assert.deepEqual([...y], [1 - 4 + 2 + 0.5, 3 + 0.5 - 4 - 1.5], dtype);
  }
});
