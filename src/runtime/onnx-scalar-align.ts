/**
 * A load-time rewrite of ONNX graphs for ONNX Runtime's CPU provider that changes no value:
 * a binary elementwise operator (Add, Sub, Mul, Div) whose one operand is a 0-d scalar and whose
 * other operand has rank ≥ 2 and a last axis of size 1 gets the scalar as a same-rank [1, …, 1]
 * tensor instead.
 *
 * Why: ONNX Runtime 1.30 broadcasts a 0-d operand against a tensor with a trailing axis of size 1
 * (RAFT's and AMT's `bilinear_sampler`: `2·x/(W−1) − 1` on coordinates [N, 7, 7, 1]) one element
 * at a time — measured 20–500 µs per operator where the same-rank form takes 2–8 µs, about a third
 * of a RAFT-small or AMT-S run. Broadcasting [1, …, 1] gives the same output shape and the same
 * elementwise IEEE operation on the same values, so every output is bit-identical.
 *
 * Ranks are inferred statically for the operators these graphs use, and "last axis of size 1" is
 * tracked from a Split along the last axis into pieces of 1 through elementwise ops with scalars
 * (where RAFT and AMT make their coordinates). Nothing else is touched: ONNX Runtime's fusions
 * (attention scaling, GELU, layer norm) match scalar constants by shape, and changing those would
 * change MUSIQ's or CLIP's results in the last bits. Where a rank is unknown the node is left alone.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type Node = onnxProto.onnx.INodeProto;
type Tensor = onnxProto.onnx.ITensorProto;

const BROADCAST = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'Max', 'Min', 'Mod', 'Where', 'PRelu', 'BitShift']);
const SAME_RANK = new Set([
  'Relu', 'Sigmoid', 'Tanh', 'Sqrt', 'Cast', 'CastLike', 'Neg', 'Abs', 'Exp', 'Log', 'Erf', 'Floor', 'Ceil', 'Round', 'Sign', 'Reciprocal',
  'Softmax', 'LogSoftmax', 'LeakyRelu', 'Elu', 'Selu', 'HardSigmoid', 'HardSwish', 'Gelu', 'Softplus', 'Mish', 'Clip', 'Identity', 'Not',
  'IsNaN', 'IsInf', 'Sin', 'Cos', 'InstanceNormalization', 'BatchNormalization', 'LayerNormalization', 'GroupNormalization', 'Dropout',
  'LpNormalization', 'Pad', 'Slice', 'Transpose', 'Tile', 'Resize', 'Upsample', 'Conv', 'ConvTranspose', 'AveragePool', 'MaxPool',
  'LpPool', 'GridSample', 'DepthToSpace', 'SpaceToDepth', 'CumSum', 'TopK', 'Trilu', 'ReverseSequence', 'ScatterND', 'ScatterElements',
  'GatherElements',
]);
const REDUCE = /^(Reduce\w+|ArgMax|ArgMin)$/;
const ALIGNED = new Set(['Add', 'Sub', 'Mul', 'Div']);

function attr(n: Node, name: string): onnxProto.onnx.IAttributeProto | undefined {
  return n.attribute?.find((a) => a.name === name);
}

/** An int64 field as protobufjs decodes it (a number, or a Long when the `long` package is present). */
function num(v: unknown): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'object' && typeof (v as { toNumber?: unknown }).toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  return Number(v);
}

/** Rank (and, for 1-D tensors, static length) of every value whose rank follows from the graph. */
function inferRanks(
  graph: onnxProto.onnx.IGraphProto,
  opset: number,
): { rank: Map<string, number>; length: Map<string, number>; constants: Map<string, Tensor>; trailingOne: Set<string> } {
  const trailingOne = new Set<string>();
  const rank = new Map<string, number>();
  const length = new Map<string, number>();
  const constants = new Map<string, Tensor>();
  const setTensor = (name: string, t: Tensor) => {
    const dims = (t.dims ?? []).map(num);
    rank.set(name, dims.length);
    if (dims.length === 1) length.set(name, dims[0]!);
    constants.set(name, t);
  };
  for (const i of graph.input ?? []) {
    const dims = i.type?.tensorType?.shape?.dim;
    if (dims) rank.set(i.name!, dims.length);
  }
  for (const t of graph.initializer ?? []) setTensor(t.name!, t);
  for (const n of graph.node ?? []) {
    const ins = n.input ?? [];
    const outs = n.output ?? [];
    const r = (i: number) => (ins[i] ? rank.get(ins[i]!) : undefined);
    const op = n.opType ?? '';
    const out = (v: number | undefined, len?: number) => {
      if (v === undefined || !outs[0]) return;
      rank.set(outs[0], v);
      if (v === 1 && len !== undefined) length.set(outs[0], len);
    };
    if (n.domain && n.domain !== 'ai.onnx') continue;
    if (op === 'Constant') {
      const v = attr(n, 'value');
      if (v?.t) setTensor(outs[0]!, v.t);
      else if (attr(n, 'value_float') || attr(n, 'value_int')) out(0);
      else if (attr(n, 'value_floats')) out(1, attr(n, 'value_floats')!.floats!.length);
      else if (attr(n, 'value_ints')) out(1, attr(n, 'value_ints')!.ints!.length);
    } else if (BROADCAST.has(op)) {
      // x ∘ scalar keeps x's shape, so a trailing axis of 1 stays.
      if (ALIGNED.has(op) && ins.length === 2 && ins.some((x) => trailingOne.has(x)) && ins.every((x) => trailingOne.has(x) || rank.get(x) === 0)) {
        trailingOne.add(outs[0]!);
      }
      const rs = ins.map((_, i) => r(i));
      if (rs.every((x) => x !== undefined)) {
        const m = Math.max(...(rs as number[]));
        // Static length of a 1-D result only when every operand is 1-D of one known length or a scalar.
        const lens = ins.map((x) => (rank.get(x) === 0 ? 1 : length.get(x)));
        out(m, m === 1 && lens.every((l) => l !== undefined) ? Math.max(...(lens as number[])) : undefined);
      }
    } else if (SAME_RANK.has(op)) {
      if (op === 'Dropout' || op === 'TopK') {
        for (const o of outs) if (r(0) !== undefined && o) rank.set(o, r(0)!);
      } else out(r(0), op === 'Cast' || op === 'Identity' || op === 'Neg' || op === 'Abs' ? length.get(ins[0]!) : undefined);
    } else if (op === 'Shape') {
      const start = attr(n, 'start');
      const end = attr(n, 'end');
      out(1, !start && !end ? r(0) : undefined);
    } else if (op === 'Size') {
      out(0);
    } else if (op === 'Gather') {
      const a = r(0);
      const b = r(1);
      if (a !== undefined && b !== undefined) out(a - 1 + b, a - 1 + b === 1 && a === 1 ? length.get(ins[1]!) : undefined);
    } else if (op === 'Unsqueeze' || op === 'Squeeze') {
      let k: number | undefined;
      const a = attr(n, 'axes');
      if (opset < 13 && a) k = a.ints?.length;
      else if (ins[1]) k = length.get(ins[1]);
      else if (op === 'Unsqueeze') k = undefined;
      const x = r(0);
      if (x !== undefined && k !== undefined) {
        const v = op === 'Unsqueeze' ? x + k : x - k;
        out(v, v === 1 && x === 0 ? 1 : v === 1 && x === 1 ? length.get(ins[0]!) : undefined);
      }
    } else if (op === 'Concat') {
      const rs = ins.map((_, i) => r(i)).filter((x) => x !== undefined) as number[];
      if (rs.length) {
        const lens = ins.map((x) => length.get(x));
        out(rs[0], rs[0] === 1 && lens.every((l) => l !== undefined) ? (lens as number[]).reduce((s, l) => s + l, 0) : undefined);
      }
    } else if (op === 'Split') {
      for (const o of outs) if (o && r(0) !== undefined) rank.set(o, r(0)!);
      // Split along the last axis into pieces of 1: every output ends in an axis of size 1.
      const axis = num(attr(n, 'axis')?.i);
      const sizes = opset >= 13 ? (ins[1] ? intValues(constants.get(ins[1])) : undefined) : attr(n, 'split')?.ints?.map(num);
      if (r(0) !== undefined && (axis === -1 || axis === r(0)! - 1) && sizes?.length === outs.length && sizes.every((v) => v === 1)) {
        for (const o of outs) if (o) trailingOne.add(o);
      }
    } else if (op === 'Reshape') {
      out(length.get(ins[1]!));
    } else if (op === 'Expand') {
      const l = length.get(ins[1]!);
      if (r(0) !== undefined && l !== undefined) out(Math.max(r(0)!, l));
    } else if (op === 'ConstantOfShape') {
      out(length.get(ins[0]!));
    } else if (op === 'Range') {
      out(1);
    } else if (op === 'NonZero') {
      out(2);
    } else if (op === 'Flatten' || op === 'Gemm') {
      out(2);
    } else if (op === 'MatMul') {
      const a = r(0);
      const b = r(1);
      if (a !== undefined && b !== undefined && a >= 2 && b >= 2) out(Math.max(a, b));
    } else if (REDUCE.test(op)) {
      const keep = attr(n, 'keepdims');
      if (!keep || num(keep.i) === 1) out(r(0));
    }
  }
  return { rank, length, constants, trailingOne };
}

/** The integer values of a small constant tensor (int64/int32), or undefined. */
function intValues(t: Tensor | undefined): number[] | undefined {
  if (!t) return undefined;
  if (t.int64Data?.length) return t.int64Data.map(num);
  if (t.int32Data?.length) return [...t.int32Data];
  const raw = t.rawData;
  if (!raw?.length) return undefined;
  const bytes = new Uint8Array(raw); // a copy at offset 0 (protobufjs may hand out a Buffer view into a pool)
  if (t.dataType === onnx.TensorProto.DataType.INT64) return [...new BigInt64Array(bytes.buffer, 0, bytes.length / 8)].map(Number);
  if (t.dataType === onnx.TensorProto.DataType.INT32) return [...new Int32Array(bytes.buffer, 0, bytes.length / 4)];
  return undefined;
}

/**
 * The model with 0-d operands of Add/Sub/Mul/Div aligned to their partner's rank, or null when no
 * node qualifies (or the bytes are not an ONNX model this pass understands).
 */
export function alignScalarOperands(model: Uint8Array): { bytes: Uint8Array; nodes: number } | null {
  let m: onnxProto.onnx.ModelProto;
  try {
    m = onnx.ModelProto.decode(model);
  } catch {
    return null;
  }
  const graph = m.graph;
  if (!graph?.node) return null;
  const opset = num(m.opsetImport?.find((o) => !o.domain || o.domain === 'ai.onnx')?.version);
  if (opset < 7) return null;
  const { rank, constants, trailingOne } = inferRanks(graph, opset);
  const made = new Map<string, string>();
  const initializers: Tensor[] = [];
  const nodes: Node[] = [];
  let changed = 0;
  let k = 0;
  const fresh = (base: string) => `${base}__rank_aligned_${k++}`;
  for (const n of graph.node) {
    if (ALIGNED.has(n.opType ?? '') && (!n.domain || n.domain === 'ai.onnx') && n.input?.length === 2) {
      const [a, b] = n.input as [string, string];
      const ra = rank.get(a);
      const rb = rank.get(b);
      const tensor = ra === 0 ? b : a;
      if (ra !== undefined && rb !== undefined && Math.min(ra, rb) === 0 && Math.max(ra, rb) >= 2 && trailingOne.has(tensor)) {
        const scalar = ra === 0 ? a : b;
        const r = Math.max(ra, rb);
        const key = `${scalar}|${r}`;
        let name = made.get(key);
        if (!name) {
          name = fresh(scalar);
          const c = constants.get(scalar);
          if (c) {
            initializers.push({ ...c, name, dims: Array(r).fill(1) });
          } else {
            const axes = Array.from({ length: r }, (_, i) => i);
            if (opset >= 13) {
              const axesName = fresh('axes');
              initializers.push({ name: axesName, dataType: onnx.TensorProto.DataType.INT64, dims: [r], int64Data: axes });
              nodes.push({ opType: 'Unsqueeze', input: [scalar, axesName], output: [name], name });
            } else {
              nodes.push({ opType: 'Unsqueeze', input: [scalar], output: [name], name, attribute: [{ name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: axes }] });
            }
          }
          made.set(key, name);
        }
        n.input = n.input.map((x) => (x === scalar ? name! : x));
        changed++;
      }
    }
    nodes.push(n);
  }
  if (changed === 0) return null;
  // Scalars whose every consumer now reads the aligned copy go (ONNX Runtime warns about unused initializers).
  const used = new Set<string>([...(graph.output ?? []).map((o) => o.name!), ...nodes.flatMap((n) => n.input ?? [])]);
  for (const g of graph.node) for (const a of g.attribute ?? []) if (a.g || a.graphs?.length) return null; // subgraphs may read outer names
  const replaced = new Set([...made.keys()].map((key) => key.slice(0, key.lastIndexOf('|'))));
  const orphan = (name: string) => replaced.has(name) && !used.has(name);
  graph.node = nodes.filter((n) => !(n.opType === 'Constant' && n.output?.length === 1 && orphan(n.output[0]!)));
  graph.initializer = [...(graph.initializer ?? []).filter((t) => !orphan(t.name!)), ...initializers];
  return { bytes: onnx.ModelProto.encode(m).finish(), nodes: changed };
}
