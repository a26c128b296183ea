/**
 * NOVA's VAE decoders as ONNX graphs (diffnext/models/autoencoders/autoencoder_kl.py and
 * autoencoder_kl_opensora.py), weights named as in their state dicts (decoder.*, post_quant_conv.*).
 *
 * 2-D AutoencoderKL (image checkpoints): latents (1, C, h, w) → post_quant_conv 1×1 → conv_in →
 * mid (ResBlock, 1-head attention over all pixels + residual, ResBlock) → up blocks (layers+1
 * ResBlocks, nearest ×2 + conv 3×3 after all but the last) → GroupNorm → SiLU → conv_out.
 *
 * Open-Sora-Plan causal 3-D VAE (osp480): the same layout with Conv3d everywhere (time kernel 3 is
 * causal: 2 replicated first frames in front, no padding behind); attention per frame; upsamplers
 * by position i of n up blocks: i < n−2 trilinear (first frame ×(1,2,2), later frames ×(2,2,2)) +
 * conv 3³; i = n−2 nearest ×2 in space + conv (1,3,3); last none. The graph is built for a fixed
 * number of latent frames (one tile); `osp-tiling.ts` splits longer latents the official way.
 *
 * GroupNorm (32 groups, eps 1e-6) on 4-D/5-D tensors normalises over (C/32 × T × H × W), written as
 * Reshape → InstanceNormalization → Reshape → per-channel affine (opset 17 has no GroupNorm with
 * per-channel scale).
 * Graph input: latents (1, C, [T,] h, w) as the transformer produced them; the graph unscales them
 * (× 1/scaling_factor, + shift_factor) first, as decode_latents does. Output: sample (1, 3, [T',] H, W).
 */
import type { NovaVaeConfig } from '../config.ts';
import { type AttributeValue, GraphBuilder } from '../../../runtime/onnx-builder.ts';
import { type Ctx, linear, sdpa, silu } from '../graph/layers.ts';
import type { WeightBinder } from '../graph/weights.ts';

const GN_GROUPS = 32;
const GN_EPS = 1e-6;

interface VaeCtx extends Ctx {
  video: boolean;
}

function groupNorm(ctx: VaeCtx, x: string, prefix: string, channels: number): string {
  const { b, w } = ctx;
  const ones = b.has(`const_gn_ones`) ? 'const_gn_ones' : b.floatInitializer('const_gn_ones', [GN_GROUPS], new Float32Array(GN_GROUPS).fill(1));
  const zeros = b.has(`const_gn_zeros`) ? 'const_gn_zeros' : b.floatInitializer('const_gn_zeros', [GN_GROUPS], new Float32Array(GN_GROUPS));
  const grouped = b.op('Reshape', [x, b.ints([0, GN_GROUPS, -1])]);
  const normed = b.op('InstanceNormalization', [grouped, ones, zeros], { epsilon: { float: GN_EPS } });
  const back = b.op('Reshape', [normed, b.op('Shape', [x])]);
  const affineShape = b.ints(ctx.video ? [channels, 1, 1, 1] : [channels, 1, 1]);
  const gamma = b.op('Reshape', [w.tensor(b, `${prefix}.weight`, [channels]), affineShape]);
  const beta = b.op('Reshape', [w.tensor(b, `${prefix}.bias`, [channels]), affineShape]);
  return b.op('Add', [b.op('Mul', [back, gamma]), beta]);
}

/**
 * Conv2d (2-D) or the causal Conv3d (3-D) with "same" spatial padding for odd kernels.
 * `kernel`: spatial size k (and time kt for 3-D).
 */
function conv(ctx: VaeCtx, x: string, prefix: string, inC: number, outC: number, k: number, kt = k): string {
  const { b, w } = ctx;
  const p = (k - 1) / 2;
  const weight = w.tensor(b, `${prefix}.weight`, ctx.video ? [outC, inC, kt, k, k] : [outC, inC, k, k]);
  const bias = w.tensor(b, `${prefix}.bias`, [outC]);
  if (!ctx.video) return b.op('Conv', [x, weight, bias], { kernel_shape: { ints: [k, k] }, pads: { ints: [p, p, p, p] } });
  let input = x;
  if (kt > 1) input = b.op('Pad', [x, b.ints([0, 0, kt - 1, 0, 0, 0, 0, 0, 0, 0])], { mode: { string: 'edge' } });
  return b.op('Conv', [input, weight, bias], { kernel_shape: { ints: [kt, k, k] }, pads: { ints: [0, p, p, 0, p, p] } });
}

function resBlock(ctx: VaeCtx, x: string, prefix: string, inC: number, outC: number): string {
  const { b } = ctx;
  const shortcut = inC !== outC ? conv(ctx, x, `${prefix}.conv_shortcut`, inC, outC, 1) : x;
  let h = conv(ctx, silu(b, groupNorm(ctx, x, `${prefix}.norm1`, inC)), `${prefix}.conv1`, inC, outC, 3);
  h = conv(ctx, silu(b, groupNorm(ctx, h, `${prefix}.norm2`, outC)), `${prefix}.conv2`, outC, outC, 3);
  return b.op('Add', [h, shortcut]);
}

/** Single-head attention over the pixels of each image (2-D) or each frame (3-D), plus the residual. */
function attentionBlock(ctx: VaeCtx, x: string, prefix: string, C: number, size: { T: number; H: number; W: number }): string {
  const { b } = ctx;
  const { T, H, W } = size;
  const normed = groupNorm(ctx, x, `${prefix}.group_norm`, C);
  // (1, C, [T,] H, W) → (T, H·W, C): one attention window per frame
  const tokens = ctx.video
    ? b.op('Reshape', [b.op('Transpose', [normed], { perm: { ints: [0, 2, 3, 4, 1] } }), b.ints([T, H * W, C])])
    : b.op('Transpose', [b.op('Reshape', [normed, b.ints([1, C, H * W])])], { perm: { ints: [0, 2, 1] } });
  const head = (name: string) => b.op('Unsqueeze', [linear(ctx, tokens, `${prefix}.${name}`, C, C), b.ints([1])]);
  const o = b.op('Squeeze', [sdpa(b, head('to_q'), head('to_k'), head('to_v'), C), b.ints([1])]);
  const out = linear(ctx, o, `${prefix}.to_out.0`, C, C);
  const back = ctx.video
    ? b.op('Transpose', [b.op('Reshape', [out, b.ints([1, T, H, W, C])])], { perm: { ints: [0, 4, 1, 2, 3] } })
    : b.op('Reshape', [b.op('Transpose', [out], { perm: { ints: [0, 2, 1] } }), b.ints([1, C, H, W])]);
  return b.op('Add', [back, x]);
}

function resize(b: GraphBuilder, x: string, scales: number[], mode: 'nearest' | 'linear'): string {
  const attrs: Record<string, AttributeValue> = mode === 'nearest'
    ? { mode: { string: 'nearest' }, coordinate_transformation_mode: { string: 'asymmetric' }, nearest_mode: { string: 'floor' } }
    : { mode: { string: 'linear' }, coordinate_transformation_mode: { string: 'half_pixel' } };
  const sc = b.fresh('resize_scales');
  b.floatInitializer(sc, [scales.length], Float32Array.from(scales));
  return b.op('Resize', [x, '', sc], attrs);
}

export interface VaeDecoderGraphOptions {
  /** Latent frames of the graph's input (3-D VAE only). */
  latentFrames?: number;
  latentHeight: number;
  latentWidth: number;
}

export function buildVaeDecoderGraph(w: WeightBinder, cfg: NovaVaeConfig, opts: VaeDecoderGraphOptions): Uint8Array {
  const video = cfg.kind === 'AutoencoderKLOpenSora';
  const b = new GraphBuilder({ name: video ? 'nova_vae_decoder_osp' : 'nova_vae_decoder_kl' });
  const ctx: VaeCtx = { b, w, video };
  const C = cfg.latentChannels;
  const T = opts.latentFrames ?? 1;
  const dims = video ? [1, C, T, opts.latentHeight, opts.latentWidth] : [1, C, opts.latentHeight, opts.latentWidth];
  const latents = b.input('latents', 'float32', dims);
  // decode_latents: z · (1/scaling_factor) (+ shift_factor)
  let x = b.op('Mul', [latents, b.scalar(1 / cfg.scalingFactor)]);
  if (cfg.shiftFactor) x = b.op('Add', [x, b.scalar(cfg.shiftFactor)]);
  if (w.has('post_quant_conv.weight')) x = conv(ctx, x, 'post_quant_conv', C, C, 1);

  const blockDims = [...cfg.blockOutChannels].reverse();
  const depth = cfg.layersPerBlock + 1;
  const n = blockDims.length;
  x = conv(ctx, x, 'decoder.conv_in', C, blockDims[0], 3);
  x = resBlock(ctx, x, 'decoder.mid_block.resnets.0', blockDims[0], blockDims[0]);
  x = attentionBlock(ctx, x, 'decoder.mid_block.attentions.0', blockDims[0], { T, H: opts.latentHeight, W: opts.latentWidth });
  x = resBlock(ctx, x, 'decoder.mid_block.resnets.1', blockDims[0], blockDims[0]);
  let frames = T;
  let h = opts.latentHeight;
  let wd = opts.latentWidth;
  for (let i = 0; i < n; i++) {
    const inC = blockDims[Math.max(i - 1, 0)];
    const outC = blockDims[i];
    for (let j = 0; j < depth; j++) x = resBlock(ctx, x, `decoder.up_blocks.${i}.resnets.${j}`, j === 0 ? inC : outC, outC);
    if (i === n - 1) continue;
    const up = `decoder.up_blocks.${i}.upsamplers.0.conv`;
    if (!video) {
      x = conv(ctx, resize(b, x, [1, 1, 2, 2], 'nearest'), up, outC, outC, 3);
    } else if (i < n - 2) {
      const first = resize(b, b.op('Slice', [x, b.ints([0]), b.ints([1]), b.ints([2])]), [1, 1, 1, 2, 2], 'linear');
      if (frames > 1) {
        const rest = resize(b, b.op('Slice', [x, b.ints([1]), b.ints([frames]), b.ints([2])]), [1, 1, 2, 2, 2], 'linear');
        x = b.op('Concat', [first, rest], { axis: { int: 2 } });
      } else {
        x = first;
      }
      frames = 1 + 2 * (frames - 1);
      x = conv(ctx, x, up, outC, outC, 3, 3);
    } else {
      x = conv(ctx, resize(b, x, [1, 1, 1, 2, 2], 'nearest'), up, outC, outC, 3, 1);
    }
    h *= 2;
    wd *= 2;
  }
  const last = blockDims[n - 1];
  x = conv(ctx, silu(b, groupNorm(ctx, x, 'decoder.conv_norm_out', last)), 'decoder.conv_out', last, cfg.outChannels, 3);
  b.outputAs(x, 'sample', 'float32', video ? [1, cfg.outChannels, frames, h, wd] : [1, cfg.outChannels, h, wd]);
  return b.toBytes();
}
