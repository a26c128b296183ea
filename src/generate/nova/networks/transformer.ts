/**
 * NOVATransformer3DModel's encoders as ONNX graphs (diffnext/models/vision_transformer.py,
 * embeddings.py, normalization.py; inference logic of transformers/transformer_3d.py):
 *
 *  - text condition: TextEmbed projection (+ MotionEmbed flow/fps tokens for video checkpoints);
 *  - temporal step: one frame of the temporal ("video") encoder with its KV cache as explicit
 *    past/present tensors per block (BOV token, time and space embeddings included);
 *  - mixer: the "Scaling and Shift" AdaLayerNorm between the BOV output and the current output;
 *  - spatial step: one set-by-set step of the spatial ("image") encoder, with the MAE-style first
 *    half written as a key mask over not-yet-known tokens (identical maths: masked keys get
 *    probability exactly 0; unknown tokens' first-half outputs are discarded as the official
 *    scatter discards them).
 *
 * Blocks are POST-norm: x = x + LN1(Attn(x)); x = x + LN2(MLP(x)).
 */
import type { NovaTransformerConfig, VitShape } from '../config.ts';
import { GraphBuilder } from '../../../runtime/onnx-builder.ts';
import { type Ctx, geluErf, layerNorm, linear, mergeHeads, mlp2, patchEmbed, sdpa, silu } from '../graph/layers.ts';
import type { WeightBinder } from '../graph/weights.ts';
import { inverseFrequencies, spaceEmbed } from './sincos.ts';

const LN_EPS = 1e-5;

interface KvIO {
  pastKey: string;
  pastValue: string;
}

/** One ViT block; with `kv`, keys/values are appended to the past ones and the presents returned. */
function vitBlock(ctx: Ctx, x: string, prefix: string, vit: VitShape, opts: { kv?: KvIO; keyMask?: string } = {}): { out: string; key?: string; value?: string } {
  const { b } = ctx;
  const D = vit.width;
  const qkv = linear(ctx, x, `${prefix}.attn.qkv`, D, 3 * D);
  const r = b.op('Reshape', [qkv, b.ints([0, 0, 3, vit.heads, vit.headDim])]);
  const t = b.op('Transpose', [r], { perm: { ints: [2, 0, 3, 1, 4] } });
  const [q3, k3, v3] = b.node('Split', [t, b.ints([1, 1, 1])], { attributes: { axis: { int: 0 } }, outputs: [b.fresh(`${prefix}.q3`), b.fresh(`${prefix}.k3`), b.fresh(`${prefix}.v3`)] });
  const q = b.op('Squeeze', [q3, b.ints([0])]);
  let k = b.op('Squeeze', [k3, b.ints([0])]);
  let v = b.op('Squeeze', [v3, b.ints([0])]);
  if (opts.kv) {
    k = b.op('Concat', [opts.kv.pastKey, k], { axis: { int: 2 } });
    v = b.op('Concat', [opts.kv.pastValue, v], { axis: { int: 2 } });
  }
  const o = mergeHeads(b, sdpa(b, q, k, v, vit.headDim, opts.keyMask), D);
  const attn = linear(ctx, o, `${prefix}.attn.proj`, D, D);
  const x1 = b.op('Add', [layerNorm(ctx, attn, `${prefix}.norm1`, D, LN_EPS), x]);
  const m = mlp2(ctx, x1, `${prefix}.mlp`, ['fc1', 'fc2'], [D, 4 * D, D], geluErf);
  return { out: b.op('Add', [layerNorm(ctx, m, `${prefix}.norm2`, D, LN_EPS), x1]), key: opts.kv ? k : undefined, value: opts.kv ? v : undefined };
}

/** [sin(v·f), cos(v·f)] of a (P) input → (P, 1, 256), f = inverseFrequencies(128). */
function sinCosOf(b: GraphBuilder, v: string, name: string): string {
  const freq = b.has('const_freq128') ? 'const_freq128' : b.floatInitializer('const_freq128', [1, 1, 128], inverseFrequencies(128));
  const a = b.op('Mul', [b.op('Reshape', [v, b.ints([-1, 1, 1])]), freq], undefined, b.fresh(name));
  return b.op('Concat', [b.op('Sin', [a]), b.op('Cos', [a])], { axis: { int: -1 } });
}

// ---------------------------------------------------------------- text condition

/**
 * Inputs: text (P, L, text_token_dim) — the filled 256-slot buffer (features, then text_embed.weight
 * rows); for motion checkpoints also flow (P), fps (P). Output: cond (P, L [+2], D).
 */
export function buildTextConditionGraph(w: WeightBinder, cfg: NovaTransformerConfig): Uint8Array {
  const b = new GraphBuilder({ name: 'nova_text_condition' });
  const ctx: Ctx = { b, w };
  const D = cfg.spatial.width;
  const text = b.input('text', 'float32', ['prompts', cfg.textTokenLen, cfg.textTokenDim]);
  let cond = layerNorm(ctx, linear(ctx, text, 'text_embed.proj', cfg.textTokenDim, D), 'text_embed.norm', D, LN_EPS);
  let len: number = cfg.textTokenLen;
  if (cfg.motion) {
    const Dt = cfg.temporal.width;
    const flow = b.input('flow', 'float32', ['prompts']);
    const fps = b.input('fps', 'float32', ['prompts']);
    const f = mlp2(ctx, sinCosOf(b, flow, 'flow_angle'), 'motion_embed.flow_proj', ['0', '2'], [256, Dt, Dt], silu);
    const s = mlp2(ctx, sinCosOf(b, fps, 'fps_angle'), 'motion_embed.fps_proj', ['0', '2'], [256, Dt, Dt], silu);
    cond = b.op('Concat', [cond, f, s], { axis: { int: 1 } });
    len += 2;
  }
  b.outputAs(cond, 'cond', 'float32', ['prompts', len, D]);
  return b.toBytes();
}

// ---------------------------------------------------------------- temporal step

export const temporalKvNames = (i: number) => ({ pastKey: `past_key_${i}`, pastValue: `past_value_${i}`, presentKey: `present_key_${i}`, presentValue: `present_value_${i}` });

/**
 * One temporal-encoder step.
 * Inputs:  frame (B, C, h, w) the previous latent frame (ignored where bos = 1);
 *          bos (scalar) 1 at t = 0 (every token becomes mask_embed.bos_token), else 0;
 *          time_sincos (1, 256) the sin-cos input of time index t (sincos.videoTimeSinCos);
 *          prefix (B, Lp, D) condition tokens processed with this frame (text at t = 0; Lp = 0 later);
 *          past_key_i / past_value_i (B, heads, Lpast, head_dim) per block.
 * Outputs: hidden (B, Lp + M, D) final-LayerNormed tokens (the frame output is the last M rows);
 *          present_key_i / present_value_i (B, heads, Lpast + Lp + M, head_dim).
 */
export function buildTemporalStepGraph(w: WeightBinder, cfg: NovaTransformerConfig): Uint8Array {
  const b = new GraphBuilder({ name: 'nova_temporal_step' });
  const ctx: Ctx = { b, w };
  const vit = cfg.temporal;
  const D = vit.width;
  const [gh, gw] = cfg.videoGrid;
  const frame = b.input('frame', 'float32', ['batch', cfg.imageDim, cfg.latentSize[0], cfg.latentSize[1]]);
  const bos = b.input('bos', 'float32', []);
  const timeSinCos = b.input('time_sincos', 'float32', [1, 256]);
  const prefix = b.input('prefix', 'float32', ['batch', 'prefix_len', D]);

  const tokens = patchEmbed(ctx, frame, 'video_encoder.patch_embed', cfg.imageDim, D, cfg.temporalPatchSize);
  const bosToken = w.tensor(b, 'mask_embed.bos_token', [1, D]);
  const keep = b.op('Sub', [b.scalar(1), bos]);
  let c = b.op('Add', [b.op('Mul', [tokens, keep]), b.op('Mul', [bosToken, bos])]);
  const timeEmbed = layerNorm(ctx, mlp2(ctx, timeSinCos, 'video_pos_embed.time_proj', ['0', '2'], [256, D, D], silu), 'video_pos_embed.norm', D, LN_EPS);
  c = b.op('Add', [c, timeEmbed]);
  c = b.op('Add', [c, b.floatInitializer('video_space_embed', [gh * gw, D], spaceEmbed(D, gh, gw))]);
  let x = b.op('Concat', [prefix, c], { axis: { int: 1 } });
  for (let i = 0; i < vit.depth; i++) {
    const n = temporalKvNames(i);
    const pastKey = b.input(n.pastKey, 'float32', ['batch', vit.heads, 'past_len', vit.headDim]);
    const pastValue = b.input(n.pastValue, 'float32', ['batch', vit.heads, 'past_len', vit.headDim]);
    const blk = vitBlock(ctx, x, `video_encoder.blocks.${i}`, vit, { kv: { pastKey, pastValue } });
    x = blk.out;
    b.outputAs(blk.key!, n.presentKey, 'float32', ['batch', vit.heads, 'total_len', vit.headDim]);
    b.outputAs(blk.value!, n.presentValue, 'float32', ['batch', vit.heads, 'total_len', vit.headDim]);
  }
  b.outputAs(layerNorm(ctx, x, 'video_encoder.norm', D, LN_EPS), 'hidden', 'float32', ['batch', 'seq_len', D]);
  return b.toBytes();
}

/**
 * The mixer (video_encoder.mixer, AdaLayerNorm without normalisation):
 * condition = anchor·(1 + scale) + shift, [scale | shift] = proj(lora(SiLU(current))).
 * Inputs: anchor (B, M, D) the t = 0 output, current (B, M, D). Output: condition (B, M, D).
 */
export function buildMixerGraph(w: WeightBinder, cfg: NovaTransformerConfig): Uint8Array {
  if (cfg.mixerRank === null) throw new Error('this transformer has no video mixer');
  const b = new GraphBuilder({ name: 'nova_video_mixer' });
  const ctx: Ctx = { b, w };
  const D = cfg.temporal.width;
  const anchor = b.input('anchor', 'float32', ['batch', 'tokens', D]);
  const current = b.input('current', 'float32', ['batch', 'tokens', D]);
  const low = linear(ctx, silu(b, current), 'video_encoder.mixer.lora', D, cfg.mixerRank, false);
  const stats = linear(ctx, low, 'video_encoder.mixer.proj', cfg.mixerRank, 2 * D);
  const [scale, shift] = b.node('Split', [stats, b.ints([D, D])], { attributes: { axis: { int: -1 } }, outputs: ['mixer_scale', 'mixer_shift'] });
  const out = b.op('Add', [b.op('Mul', [anchor, b.op('Add', [scale, b.scalar(1)])]), shift]);
  b.outputAs(out, 'condition', 'float32', ['batch', 'tokens', D]);
  return b.toBytes();
}

// ---------------------------------------------------------------- spatial step

/**
 * One set-by-set step of the spatial encoder.
 * Inputs:  canvas (B, C, h, w) the frame so far (zeros where nothing is written yet);
 *          mask (B, N) 1 where the token is still unknown (the mask before this step's update),
 *          0 where it was predicted in an earlier step (the "known" tokens);
 *          condition (B, M, D) C_t from the temporal encoder.
 * Output:  z (B, N, D) the final-LayerNormed image tokens (input of the diffusion head).
 */
export function buildSpatialStepGraph(w: WeightBinder, cfg: NovaTransformerConfig): Uint8Array {
  const b = new GraphBuilder({ name: 'nova_spatial_step' });
  const ctx: Ctx = { b, w };
  const vit = cfg.spatial;
  const D = vit.width;
  const [gh, gw] = cfg.imageGrid;
  const N = gh * gw;
  const M = cfg.videoGrid[0] * cfg.videoGrid[1];
  const canvas = b.input('canvas', 'float32', ['batch', cfg.imageDim, cfg.latentSize[0], cfg.latentSize[1]]);
  const mask = b.input('mask', 'float32', ['batch', N]);
  const condition = b.input('condition', 'float32', ['batch', M, D]);

  const m3 = b.op('Unsqueeze', [mask, b.ints([-1])]);
  const tokens = patchEmbed(ctx, canvas, 'image_encoder.patch_embed', cfg.imageDim, D, cfg.patchSize);
  const masked = b.op('Add', [b.op('Mul', [tokens, b.op('Sub', [b.scalar(1), m3])]), b.op('Mul', [w.tensor(b, 'mask_embed.mask_token', [1, D]), m3])]);
  const full = b.op('Add', [masked, b.floatInitializer('image_space_embed', [N, D], spaceEmbed(D, gh, gw))]);

  // First half: condition tokens + known image tokens only (unknown keys masked out).
  const unknown = b.op('Greater', [mask, b.scalar(0.5)]);
  const imageKeyBias = b.op('Where', [unknown, b.scalar(-Infinity), b.scalar(0)]);
  const keyBias = b.op('Concat', [zerosBatchLen(b, condition), imageKeyBias], { axis: { int: 1 } });
  const keyMask = b.op('Unsqueeze', [keyBias, b.ints([1, 2])]);
  let x = b.op('Concat', [condition, full], { axis: { int: 1 } });
  for (let i = 0; i < vit.encoderDepth; i++) x = vitBlock(ctx, x, `image_encoder.blocks.${i}`, vit, { keyMask }).out;
  const cPart = b.op('Slice', [x, b.ints([0]), b.ints([M]), b.ints([1])]);
  const xPart = b.op('Slice', [x, b.ints([M]), b.ints([M + N]), b.ints([1])]);
  const merged = b.op('Where', [b.op('Unsqueeze', [unknown, b.ints([-1])]), full, xPart]);
  x = b.op('Concat', [cPart, merged], { axis: { int: 1 } });
  for (let i = vit.encoderDepth; i < vit.depth; i++) x = vitBlock(ctx, x, `image_encoder.blocks.${i}`, vit).out;
  const img = b.op('Slice', [x, b.ints([M]), b.ints([M + N]), b.ints([1])]);
  b.outputAs(layerNorm(ctx, img, 'image_encoder.norm', D, LN_EPS), 'z', 'float32', ['batch', N, D]);
  return b.toBytes();
}

/** float32 zeros (B, L) shaped like the first two axes of a (B, L, D) value. */
function zerosBatchLen(b: GraphBuilder, x: string): string {
  const shape = b.op('Shape', [x], { start: { int: 0 }, end: { int: 2 } });
  return b.op('ConstantOfShape', [shape], { value: { tensor: { dims: [1], dataType: 1, rawData: new Uint8Array(4) } } });
}
