import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { alignScalarOperands } from '../../src/runtime/onnx-scalar-align.ts';
import { OnnxGraphBuilder } from '../../tools/fixtures/onnx-builder.ts';

const FIXTURES = new URL('../fixtures/models/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES));

/** RAFT's bilinear_sampler normalisation: split coordinates [n,7,7,2] on the last axis, 2·x/(W−1) − 1. */
function samplerGraph(): Uint8Array {
  const g = new OnnxGraphBuilder({ name: 'sampler' });
  const x = g.input('x', 'float32', ['n', 7, 7, 2]);
  const [a, b] = g.node('Split', [x, g.ints([1, 1])], { outputs: ['a', 'b'], attributes: { axis: { int: -1 } } });
  // W − 1 as a computed 0-d value: Shape → Gather(scalar index) → Cast → Sub.
  const w = g.op('Cast', [g.op('Gather', [g.op('Shape', [x]), g.ints([1], true)])], { to: { int: 1 } });
  const wm1 = g.op('Sub', [w, g.scalar(1)]);
  const norm = g.op('Sub', [g.op('Div', [g.op('Mul', [a!, g.scalar(2)]), wm1]), g.scalar(1)]);
  g.outputAs(g.op('Concat', [norm, b!], { axis: { int: -1 } }), 'grid', 'float32', ['n', 7, 7, 2]);
  // Not a trailing axis of 1: left alone.
  g.outputAs(g.op('Mul', [x, g.scalar(3)]), 'scaled', 'float32', ['n', 7, 7, 2]);
  return g.toBytes();
}

async function outputs(model: Uint8Array, feeds: Record<string, ort.Tensor>): Promise<Record<string, Float32Array>> {
  const s = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  try {
    const out = await s.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, t.data as Float32Array]));
  } finally {
    await s.release();
  }
}

const pseudo = (n: number, mult: number, scale: number) => Float32Array.from({ length: n }, (_, i) => (((i * mult) % 1000) / 1000) * scale);

test('the 0-d operands of the coordinate normalisation become [1,1,1,1]; other scalars stay; outputs are bit-identical', async () => {
  const original = samplerGraph();
  const r = alignScalarOperands(original);
  assert.ok(r, 'the graph has nodes to align');
  assert.equal(r.nodes, 3); // Mul by 2, Div by W − 1, Sub 1 on the split half; not Sub(w, 1) (0-d) nor Mul(x, 3)
  const m = onnxProto.onnx.ModelProto.decode(r.bytes);
  const inits = new Map(m.graph!.initializer!.map((t) => [t.name!, t]));
  const producer = new Map(m.graph!.node!.flatMap((n) => n.output!.map((o) => [o, n] as const)));
  const operandDims = (opType: string, other: string) => {
    const n = m.graph!.node!.find((k) => k.opType === opType && k.input!.includes(other))!;
    const s = n.input!.find((i) => i !== other)!;
    return inits.get(s) ? inits.get(s)!.dims!.map(Number) : producer.get(s)!.opType;
  };
  assert.deepEqual(operandDims('Mul', 'a'), [1, 1, 1, 1]);
  assert.equal(operandDims('Div', m.graph!.node!.find((k) => k.opType === 'Mul' && k.input!.includes('a'))!.output![0]!), 'Unsqueeze');
  assert.deepEqual(operandDims('Mul', 'x'), []);
  for (const n of [5, 320]) {
    const x = new ort.Tensor('float32', pseudo(n * 98, 7919, 37), [n, 7, 7, 2]);
    const a = await outputs(original, { x });
    const b = await outputs(r.bytes, { x });
    for (const k of Object.keys(a)) assert.deepEqual(b[k], a[k], `${k}, n=${n}`);
  }
});

test('RAFT and AMT fixtures: the sampler normalisations are aligned and the outputs are bit-identical', async () => {
  const raft = fixture('raft-tiny.onnx');
  const ra = alignScalarOperands(raft);
  assert.equal(ra?.nodes, 480); // 20 iterations × 4 pyramid levels × (Mul, Div, Sub) × (x, y)
  const h = 128;
  const w = 160;
  const raftFeeds = {
    image1: new ort.Tensor('float32', pseudo(3 * h * w, 7919, 255), [1, 3, h, w]),
    image2: new ort.Tensor('float32', pseudo(3 * h * w, 104729, 255), [1, 3, h, w]),
  };
  const a = await outputs(raft, raftFeeds);
  const b = await outputs(ra!.bytes, raftFeeds);
  assert.deepEqual(b['flow'], a['flow']);

  const amt = fixture('amt-tiny.onnx');
  const aa = alignScalarOperands(amt);
  assert.ok(aa && aa.nodes > 0);
  const amtFeeds = {
    img0: new ort.Tensor('float32', pseudo(3 * h * w, 7919, 1), [1, 3, h, w]),
    img1: new ort.Tensor('float32', pseudo(3 * h * w, 104729, 1), [1, 3, h, w]),
    embt: new ort.Tensor('float32', Float32Array.of(0.5), [1, 1, 1, 1]),
  };
  const c = await outputs(amt, amtFeeds);
  const d = await outputs(aa!.bytes, amtFeeds);
  assert.deepEqual(d['imgt_pred'], c['imgt_pred']);
});

test('models without the pattern are left as they are (null), and so is a file that is not ONNX', () => {
  for (const f of ['clip-b32-tiny.onnx', 'musiq-tiny.onnx', 'dino-subject-tiny.onnx', 'laion-head-tiny.onnx']) {
    assert.equal(alignScalarOperands(fixture(f)), null, f);
  }
  assert.equal(alignScalarOperands(new TextEncoder().encode('not a model')), null);
});
