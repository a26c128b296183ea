/**
 * Layer-level graph pieces shared by the NOVA networks (each mirrors one PyTorch module's maths;
 * weight names are the module's state-dict prefix). All values are float32.
 */
import type { GraphBuilder } from '../../../runtime/onnx-builder.ts';
import type { WeightBinder } from './weights.ts';

export interface Ctx {
  b: GraphBuilder;
  w: WeightBinder;
}

/** nn.Linear: x @ W^T (+ b). */
export function linear(ctx: Ctx, x: string, prefix: string, inDim: number, outDim: number, bias = true): string {
  const { b, w } = ctx;
  let y = b.op('MatMul', [x, w.linearWeight(b, `${prefix}.weight`, [outDim, inDim])]);
  if (bias) y = b.op('Add', [y, w.tensor(b, `${prefix}.bias`, [outDim])]);
  return y;
}

function constFill(b: GraphBuilder, dim: number, value: number): string {
  const name = `const_fill_${value}_${dim}`;
  if (!b.has(name)) b.floatInitializer(name, [dim], new Float32Array(dim).fill(value));
  return name;
}

/** nn.LayerNorm over the last axis (affine when `prefix` is given, else scale 1 / bias 0). */
export function layerNorm(ctx: Ctx, x: string, prefix: string | null, dim: number, eps: number): string {
  const { b, w } = ctx;
  const scale = prefix ? w.tensor(b, `${prefix}.weight`, [dim]) : constFill(b, dim, 1);
  const bias = prefix ? w.tensor(b, `${prefix}.bias`, [dim]) : constFill(b, dim, 0);
  return b.op('LayerNormalization', [x, scale, bias], { axis: { int: -1 }, epsilon: { float: eps } });
}

export function silu(b: GraphBuilder, x: string): string {
  return b.op('Mul', [x, b.op('Sigmoid', [x])]);
}

/** nn.GELU() (exact erf form): x·½·(1 + erf(x/√2)). */
export function geluErf(b: GraphBuilder, x: string): string {
  const e = b.op('Erf', [b.op('Mul', [x, b.scalar(Math.SQRT1_2)])]);
  return b.op('Mul', [b.op('Mul', [x, b.scalar(0.5)]), b.op('Add', [e, b.scalar(1)])]);
}

/** GELU tanh approximation ("gelu_pytorch_tanh"): ½x(1 + tanh(√(2/π)(x + 0.044715x³))). */
export function geluTanh(b: GraphBuilder, x: string): string {
  const x3 = b.op('Mul', [b.op('Mul', [x, x]), x]);
  const inner = b.op('Mul', [b.op('Add', [x, b.op('Mul', [x3, b.scalar(0.044715)])]), b.scalar(Math.sqrt(2 / Math.PI))]);
  return b.op('Mul', [b.op('Mul', [x, b.scalar(0.5)]), b.op('Add', [b.op('Tanh', [inner]), b.scalar(1)])]);
}

/** Projector / two-layer MLP: fc2(act(fc1(x))). */
export function mlp2(ctx: Ctx, x: string, prefix: string, names: [string, string], dims: [number, number, number], act: (b: GraphBuilder, x: string) => string): string {
  const h = act(ctx.b, linear(ctx, x, `${prefix}.${names[0]}`, dims[0], dims[1]));
  return linear(ctx, h, `${prefix}.${names[1]}`, dims[1], dims[2]);
}

/**
 * PatchEmbed: Conv2d(k=p, s=p) on (B, C, H, W), flattened row-major over the patch grid → (B, n, D).
 */
export function patchEmbed(ctx: Ctx, x: string, prefix: string, inDim: number, outDim: number, p: number): string {
  const { b, w } = ctx;
  const conv = b.op('Conv', [x, w.tensor(b, `${prefix}.proj.weight`, [outDim, inDim, p, p]), w.tensor(b, `${prefix}.proj.bias`, [outDim])], {
    kernel_shape: { ints: [p, p] },
    strides: { ints: [p, p] },
  });
  const flat = b.op('Reshape', [conv, b.ints([0, outDim, -1])]);
  return b.op('Transpose', [flat], { perm: { ints: [0, 2, 1] } });
}

/** (B, L, H·d) → (B, H, L, d). */
export function splitHeads(b: GraphBuilder, x: string, heads: number, headDim: number): string {
  const r = b.op('Reshape', [x, b.ints([0, 0, heads, headDim])]);
  return b.op('Transpose', [r], { perm: { ints: [0, 2, 1, 3] } });
}

/** (B, H, L, d) → (B, L, H·d). */
export function mergeHeads(b: GraphBuilder, x: string, width: number): string {
  const t = b.op('Transpose', [x], { perm: { ints: [0, 2, 1, 3] } });
  return b.op('Reshape', [t, b.ints([0, 0, width])]);
}

/**
 * softmax(q kᵀ / √d + mask) v, the maths of scaled_dot_product_attention with the default scale.
 * q, k, v: (B, H, L, d); `additiveMask` broadcasts to (B, H, Lq, Lk).
 */
export function sdpa(b: GraphBuilder, q: string, k: string, v: string, headDim: number, additiveMask?: string): string {
  const kt = b.op('Transpose', [k], { perm: { ints: [0, 1, 3, 2] } });
  let s = b.op('MatMul', [b.op('Mul', [q, b.scalar(1 / Math.sqrt(headDim))]), kt]);
  if (additiveMask) s = b.op('Add', [s, additiveMask]);
  return b.op('MatMul', [b.op('Softmax', [s], { axis: { int: -1 } }), v]);
}
