/**
 * NOVA component configs (config.json of transformer/, vae/, text_encoder/) parsed into the shapes
 * the graph builders need. Values and derivations follow diffnext's constructors (spec §1.3–1.6):
 * patch size 15 // stride + 1, temporal patch twice that, arch keys from transformer_nova.py's
 * registry. A field we do not implement, or a value we do not support, is refused by name.
 */
import { readFileSync } from 'node:fs';
import { GenbenchError } from '../../core/errors.ts';

/** Bookkeeping keys diffusers/transformers write into every config; they do not change the maths. */
const META_KEYS = new Set(['_class_name', '_diffusers_version', '_name_or_path', '_commit_hash', 'architectures', 'model_type', 'torch_dtype', 'transformers_version', 'auto_map']);

function unsupported(what: string, file: string, detail: string): GenbenchError {
  return new GenbenchError('E_INPUT', `${file}: ${what}: ${detail}`, 'this checkpoint uses a configuration genbench does not implement; use one of the released NOVA checkpoints (genbench models list)');
}

function rejectUnknown(raw: Record<string, unknown>, known: readonly string[], file: string): void {
  const allowed = new Set(known);
  const extra = Object.keys(raw).filter((k) => !allowed.has(k) && !META_KEYS.has(k));
  if (extra.length) throw unsupported('unsupported fields', file, extra.join(', '));
}

function int(raw: Record<string, unknown>, key: string, file: string): number {
  const v = raw[key];
  if (!Number.isSafeInteger(v) || (v as number) <= 0) throw unsupported(`field ${key}`, file, `expected a positive integer, got ${JSON.stringify(v)}`);
  return v as number;
}

function nonNegativeInt(raw: Record<string, unknown>, key: string, file: string): number {
  const v = raw[key];
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw unsupported(`field ${key}`, file, `expected a non-negative integer, got ${JSON.stringify(v)}`);
  return v as number;
}

function intList(raw: Record<string, unknown>, key: string, file: string, length?: number): number[] {
  const v = raw[key];
  if (!Array.isArray(v) || !v.every((x) => Number.isSafeInteger(x) && x > 0) || (length !== undefined && v.length !== length)) {
    throw unsupported(`field ${key}`, file, `expected ${length ?? 'a list of'} positive integers, got ${JSON.stringify(v)}`);
  }
  return v as number[];
}

export function readJsonConfig(path: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new GenbenchError('E_INPUT', `cannot read config ${path}: ${(e as Error).message}`, 'download the checkpoint again');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new GenbenchError('E_INPUT', `${path} is not a JSON object`, 'download the checkpoint again');
  return raw as Record<string, unknown>;
}

// ---------------------------------------------------------------- transformer

export interface VitShape {
  depth: number;
  width: number;
  heads: number;
  headDim: number;
  /** Blocks of the MAE-style first half (depth // 2). */
  encoderDepth: number;
}

export interface NovaTransformerConfig {
  imageDim: number;
  /** Latent grid (H/stride, W/stride). */
  latentSize: [number, number];
  /** Spatial patch size (15 // stride + 1); the temporal encoder uses twice this. */
  patchSize: number;
  temporalPatchSize: number;
  /** Spatial tokens per frame and their grid. */
  imageGrid: [number, number];
  /** Temporal-encoder tokens per frame and their grid. */
  videoGrid: [number, number];
  textTokenDim: number;
  textTokenLen: number;
  imageBaseSize: [number, number];
  videoBaseSize: [number, number, number];
  /** MotionEmbed (flow/fps tokens) present: video_base_size[0] > 1. */
  motion: boolean;
  /** Rank of the temporal "Scaling and Shift" mixer; null when absent. */
  mixerRank: number | null;
  temporal: VitShape;
  spatial: VitShape;
  head: { depth: number; width: number };
}

const TRANSFORMER_FIELDS = ['image_dim', 'image_size', 'image_stride', 'text_token_dim', 'text_token_len', 'video_mixer_rank', 'video_base_size', 'image_base_size', 'rotary_pos_embed', 'arch'];

/** Heads of the released widths (transformer_nova.py registry). */
const RELEASED_HEADS: Record<number, number> = { 768: 12, 1024: 16, 1536: 16 };

/**
 * A ViT arch key: `vit_d{depth}w{width}` as in the official registry (heads from its table), or
 * `vit_d{depth}w{width}h{heads}` for test configurations that name their heads.
 */
export function parseVitArch(key: string, file: string): VitShape {
  const m = /^vit_d(\d+)w(\d+)(?:h(\d+))?$/.exec(key);
  if (!m) throw unsupported('arch', file, `unknown ViT arch ${JSON.stringify(key)}`);
  const depth = Number(m[1]);
  const width = Number(m[2]);
  const heads = m[3] ? Number(m[3]) : RELEASED_HEADS[width];
  if (!heads || width % heads !== 0) throw unsupported('arch', file, `no head count known for ${key}`);
  return { depth, width, heads, headDim: width / heads, encoderDepth: Math.floor(depth / 2) };
}

export function parseMlpArch(key: string, file: string): { depth: number; width: number } {
  const m = /^mlp_d(\d+)w(\d+)$/.exec(key);
  if (!m) throw unsupported('arch', file, `unknown DiffusionMLP arch ${JSON.stringify(key)}`);
  return { depth: Number(m[1]), width: Number(m[2]) };
}

export function parseTransformerConfig(raw: Record<string, unknown>, file = 'transformer/config.json'): NovaTransformerConfig {
  rejectUnknown(raw, TRANSFORMER_FIELDS, file);
  if (raw.rotary_pos_embed !== undefined && raw.rotary_pos_embed !== false) throw unsupported('rotary_pos_embed', file, 'only the absolute sin-cos position embedding (false) is implemented');
  if (raw.text_token_dim === undefined || raw.text_token_dim === null) throw unsupported('text_token_dim', file, 'class-label (no text) checkpoints are not supported');
  const imageDim = int(raw, 'image_dim', file);
  const stride = int(raw, 'image_stride', file);
  const size = Array.isArray(raw.image_size) ? intList(raw, 'image_size', file, 2) : [int(raw, 'image_size', file), int(raw, 'image_size', file)];
  const latentSize: [number, number] = [Math.floor(size[0] / stride), Math.floor(size[1] / stride)];
  const patchSize = Math.floor(15 / stride) + 1;
  const temporalPatchSize = 2 * patchSize;
  const imageGrid: [number, number] = [Math.floor(latentSize[0] / patchSize), Math.floor(latentSize[1] / patchSize)];
  const videoGrid: [number, number] = [Math.floor(latentSize[0] / temporalPatchSize), Math.floor(latentSize[1] / temporalPatchSize)];
  const imageBaseSize = intList(raw, 'image_base_size', file, 2) as [number, number];
  const videoBaseSize = intList(raw, 'video_base_size', file, 3) as [number, number, number];
  // The sin-cos tables are built on the base grid and added to the runtime tokens: they must agree.
  if (imageBaseSize[0] !== imageGrid[0] || imageBaseSize[1] !== imageGrid[1]) throw unsupported('image_base_size', file, `[${imageBaseSize}] differs from the patch grid [${imageGrid}]`);
  if (videoBaseSize[1] !== videoGrid[0] || videoBaseSize[2] !== videoGrid[1]) throw unsupported('video_base_size', file, `[${videoBaseSize.slice(1)}] differs from the temporal patch grid [${videoGrid}]`);
  const arch = raw.arch;
  if (!Array.isArray(arch) || arch.length !== 3 || !arch.every((a) => typeof a === 'string')) throw unsupported('arch', file, `expected three arch keys, got ${JSON.stringify(arch)}`);
  const temporal = parseVitArch(arch[0], file);
  const spatial = parseVitArch(arch[1], file);
  const head = parseMlpArch(arch[2], file);
  if (temporal.width !== spatial.width) throw unsupported('arch', file, `temporal width ${temporal.width} differs from spatial width ${spatial.width}`);
  const rank = raw.video_mixer_rank;
  let mixerRank: number | null = null;
  if (rank !== undefined && rank !== null && rank !== 0) {
    if (!Number.isSafeInteger(rank) || (rank as number) < 0) throw unsupported('video_mixer_rank', file, `only positive ranks are implemented, got ${JSON.stringify(rank)}`);
    mixerRank = rank as number;
  }
  return {
    imageDim,
    latentSize,
    patchSize,
    temporalPatchSize,
    imageGrid,
    videoGrid,
    textTokenDim: int(raw, 'text_token_dim', file),
    textTokenLen: int(raw, 'text_token_len', file),
    imageBaseSize,
    videoBaseSize,
    motion: videoBaseSize[0] > 1,
    mixerRank,
    temporal,
    spatial,
    head,
  };
}

export function loadTransformerConfig(path: string): NovaTransformerConfig {
  return parseTransformerConfig(readJsonConfig(path), path);
}

// ---------------------------------------------------------------- VAE

export interface NovaVaeConfig {
  kind: 'AutoencoderKL' | 'AutoencoderKLOpenSora';
  inChannels: number;
  outChannels: number;
  latentChannels: number;
  blockOutChannels: number[];
  layersPerBlock: number;
  normNumGroups: number;
  scalingFactor: number;
  shiftFactor: number | null;
  downBlockTypes: string[];
  upBlockTypes: string[];
}

/** The constructor arguments of diffnext's AutoencoderKL / AutoencoderKLOpenSora (any other key would not load there either).
 * norm_num_groups, sample_size, latents_mean/std, force_upcast and the quant convs' flags do not change decoding
 * (GroupNorm is hard-coded to 32 groups; unscaling uses scaling_factor and shift_factor only; post_quant_conv is
 * used when its weights are present). */
const VAE_FIELDS = ['in_channels', 'out_channels', 'down_block_types', 'up_block_types', 'block_out_channels', 'layers_per_block', 'act_fn', 'latent_channels', 'norm_num_groups', 'sample_size', 'scaling_factor', 'shift_factor', 'latents_mean', 'latents_std', 'force_upcast', 'double_z', 'use_quant_conv', 'use_post_quant_conv'];

export function parseVaeConfig(raw: Record<string, unknown>, file = 'vae/config.json'): NovaVaeConfig {
  rejectUnknown(raw, VAE_FIELDS, file);
  const kind = raw._class_name;
  if (kind !== 'AutoencoderKL' && kind !== 'AutoencoderKLOpenSora') throw unsupported('_class_name', file, `VAE class ${JSON.stringify(kind)} is not implemented`);
  if (raw.double_z === false) throw unsupported('double_z', file, 'only the KL (double_z) latent layout is implemented');
  if (raw.act_fn !== undefined && raw.act_fn !== 'silu') throw unsupported('act_fn', file, `only silu is implemented, got ${JSON.stringify(raw.act_fn)}`);
  const scaling = raw.scaling_factor;
  if (typeof scaling !== 'number' || !(scaling > 0)) throw unsupported('scaling_factor', file, `expected a positive number, got ${JSON.stringify(scaling)}`);
  const shift = raw.shift_factor;
  if (shift !== undefined && shift !== null && typeof shift !== 'number') throw unsupported('shift_factor', file, `expected a number or null, got ${JSON.stringify(shift)}`);
  const strings = (key: string): string[] => {
    const v = raw[key];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw unsupported(`field ${key}`, file, `expected a list of block names, got ${JSON.stringify(v)}`);
    return v as string[];
  };
  return {
    kind,
    inChannels: int(raw, 'in_channels', file),
    outChannels: int(raw, 'out_channels', file),
    latentChannels: int(raw, 'latent_channels', file),
    blockOutChannels: intList(raw, 'block_out_channels', file),
    layersPerBlock: nonNegativeInt(raw, 'layers_per_block', file),
    normNumGroups: int(raw, 'norm_num_groups', file),
    scalingFactor: scaling,
    shiftFactor: typeof shift === 'number' ? shift : null,
    downBlockTypes: strings('down_block_types'),
    upBlockTypes: strings('up_block_types'),
  };
}

// ---------------------------------------------------------------- text encoder (Phi-2)

export interface PhiConfig {
  hiddenSize: number;
  intermediateSize: number;
  layers: number;
  heads: number;
  headDim: number;
  rotaryDim: number;
  ropeTheta: number;
  layerNormEps: number;
  vocabSize: number;
  maxPositions: number;
}

/** Keys of a Phi config that do not affect inference (dropouts, ids, init, cache flags). */
const PHI_INERT = ['attention_dropout', 'embd_pdrop', 'resid_pdrop', 'initializer_range', 'bos_token_id', 'eos_token_id', 'pad_token_id', 'use_cache', 'tie_word_embeddings', 'max_position_embeddings', 'vocab_size'];
const PHI_FIELDS = [...PHI_INERT, 'hidden_size', 'intermediate_size', 'num_hidden_layers', 'num_attention_heads', 'num_key_value_heads', 'partial_rotary_factor', 'rope_theta', 'rope_scaling', 'layer_norm_eps', 'hidden_act', 'qk_layernorm'];

export function parsePhiConfig(raw: Record<string, unknown>, file = 'text_encoder/config.json'): PhiConfig {
  rejectUnknown(raw, PHI_FIELDS, file);
  if (raw.model_type !== undefined && raw.model_type !== 'phi') throw unsupported('model_type', file, `expected phi, got ${JSON.stringify(raw.model_type)}`);
  if (raw.rope_scaling !== undefined && raw.rope_scaling !== null) throw unsupported('rope_scaling', file, 'RoPE scaling is not implemented');
  if (raw.qk_layernorm !== undefined && raw.qk_layernorm !== false) throw unsupported('qk_layernorm', file, 'query/key LayerNorm is not implemented');
  const act = raw.hidden_act ?? 'gelu_new';
  if (act !== 'gelu_new' && act !== 'gelu_pytorch_tanh') throw unsupported('hidden_act', file, `only the tanh GELU is implemented, got ${JSON.stringify(act)}`);
  const hiddenSize = int(raw, 'hidden_size', file);
  const heads = int(raw, 'num_attention_heads', file);
  const kvHeads = raw.num_key_value_heads ?? heads;
  if (kvHeads !== heads) throw unsupported('num_key_value_heads', file, `grouped-query attention (${String(kvHeads)} of ${heads}) is not implemented`);
  const headDim = hiddenSize / heads;
  const factor = raw.partial_rotary_factor ?? 0.5;
  if (typeof factor !== 'number' || factor <= 0 || factor > 1) throw unsupported('partial_rotary_factor', file, JSON.stringify(factor));
  const theta = raw.rope_theta ?? 10000;
  const eps = raw.layer_norm_eps ?? 1e-5;
  if (typeof theta !== 'number' || typeof eps !== 'number') throw unsupported('rope_theta/layer_norm_eps', file, 'expected numbers');
  return {
    hiddenSize,
    intermediateSize: int(raw, 'intermediate_size', file),
    layers: int(raw, 'num_hidden_layers', file),
    heads,
    headDim,
    rotaryDim: Math.floor(factor * headDim),
    ropeTheta: theta,
    layerNormEps: eps,
    vocabSize: raw.vocab_size === undefined ? 51200 : int(raw, 'vocab_size', file),
    maxPositions: raw.max_position_embeddings === undefined ? 2048 : int(raw, 'max_position_embeddings', file),
  };
}
