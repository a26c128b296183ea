/**
 * The DiffusionMLP head ("image_decoder", diffnext/models/diffusion_mlp.py) as an ONNX graph,
 * evaluated on the selected tokens only (the head is strictly per token, so gathering before and
 * scattering after — done by the caller — gives the official output at those tokens; the other
 * tokens of the official output are just the patchified input).
 *
 * Graph inputs:  x (B, K, p·p·C)  noisy latent tokens in patchify order [py][px][c];
 *                timestep (B)     float timestep per row;
 *                z (B, K, D)      spatial-encoder output at the same tokens.
 * Graph output:  pred (B, K, p·p·C) the model prediction (epsilon or velocity) in the same order.
 */
import { GraphBuilder } from '../../../runtime/onnx-builder.ts';
import { type Ctx, layerNorm, linear, mlp2, silu } from '../graph/layers.ts';
import type { WeightBinder } from '../graph/weights.ts';
import { diffusionTimeFrequencies } from './sincos.ts';

export interface DiffusionHeadShape {
  depth: number;
  /** MLP width W. */
  width: number;
  /** Condition width D (the spatial encoder's width). */
  condDim: number;
  patchSize: number;
  imageDim: number;
}

/** Weight-name prefix of the head inside the transformer checkpoint. */
export const DIFFUSION_HEAD_PREFIX = 'image_decoder';

function adaLnZero(ctx: Ctx, x: string, cond: string, prefix: string, width: number, numStats: number): string[] {
  const { b } = ctx;
  const stats = linear(ctx, silu(b, cond), `${prefix}.proj`, width, numStats * width);
  const parts = b.node('Split', [stats, b.ints(new Array(numStats).fill(width))], { attributes: { axis: { int: -1 } }, outputs: Array.from({ length: numStats }, (_, i) => b.fresh(`${prefix}.stat${i}`)) });
  const normed = layerNorm(ctx, x, null, width, 1e-6);
  const modulated = b.op('Add', [b.op('Mul', [normed, b.op('Add', [parts[0], b.scalar(1)])]), parts[1]]);
  return [modulated, ...parts.slice(2)];
}

/** Add the head's nodes to `b`; returns the prediction value name. */
export function addDiffusionHead(b: GraphBuilder, w: WeightBinder, shape: DiffusionHeadShape, inputs: { x: string; timestep: string; z: string }, prefix = DIFFUSION_HEAD_PREFIX): string {
  const ctx: Ctx = { b, w };
  const { width: W, condDim: D, patchSize: p, imageDim: C } = shape;
  const patchDim = p * p * C;

  // Patch embedding as a per-token linear map: conv weight (W, C, p, p) → (W, [py][px][c]).
  const convW = w.tensor(b, `${prefix}.patch_embed.proj.weight`, [W, C, p, p]);
  const asLinear = b.op('Reshape', [b.op('Transpose', [convW], { perm: { ints: [0, 2, 3, 1] } }), b.ints([W, patchDim])]);
  const embedW = b.op('Transpose', [asLinear], { perm: { ints: [1, 0] } });
  let x = b.op('Add', [b.op('MatMul', [inputs.x, embedW]), w.tensor(b, `${prefix}.patch_embed.proj.bias`, [W])]);

  // Timestep embedding [cos(t·f), sin(t·f)] → Projector; condition Projector; sum.
  const freqs = b.floatInitializer(b.fresh(`${prefix}.time_freq`), [1, 128], diffusionTimeFrequencies(256));
  const angle = b.op('Mul', [b.op('Unsqueeze', [inputs.timestep, b.ints([-1])]), freqs]);
  const freqEmbed = b.op('Concat', [b.op('Cos', [angle]), b.op('Sin', [angle])], { axis: { int: -1 } });
  const tEmb = mlp2(ctx, freqEmbed, `${prefix}.time_cond_embed.timestep_proj`, ['fc1', 'fc2'], [256, W, W], silu);
  const cEmb = mlp2(ctx, inputs.z, `${prefix}.time_cond_embed.condition_proj`, ['fc1', 'fc2'], [D, W, W], silu);
  const cond = b.op('Add', [cEmb, b.op('Unsqueeze', [tEmb, b.ints([1])])]);

  for (let i = 0; i < shape.depth; i++) {
    const blk = `${prefix}.blocks.${i}`;
    const [h, gate] = adaLnZero(ctx, x, cond, `${blk}.norm1`, W, 3);
    const proj = mlp2(ctx, h, `${blk}.proj`, ['fc1', 'fc2'], [W, W, W], silu);
    x = b.op('Add', [b.op('Mul', [layerNorm(ctx, proj, `${blk}.norm2`, W, 1e-5), gate]), x]);
  }
  const [out] = adaLnZero(ctx, x, cond, `${prefix}.norm`, W, 2);
  return linear(ctx, out, `${prefix}.head`, W, patchDim);
}

/** A standalone graph of the head. */
export function buildDiffusionHeadGraph(w: WeightBinder, shape: DiffusionHeadShape, prefix = DIFFUSION_HEAD_PREFIX): Uint8Array {
  const b = new GraphBuilder({ name: 'nova_diffusion_head', docString: `DiffusionMLP depth ${shape.depth} width ${shape.width}` });
  const patchDim = shape.patchSize ** 2 * shape.imageDim;
  const x = b.input('x', 'float32', ['batch', 'tokens', patchDim]);
  const timestep = b.input('timestep', 'float32', ['batch']);
  const z = b.input('z', 'float32', ['batch', 'tokens', shape.condDim]);
  const pred = addDiffusionHead(b, w, shape, { x, timestep, z }, prefix);
  b.outputAs(pred, 'pred', 'float32', ['batch', 'tokens', patchDim]);
  return b.toBytes();
}
