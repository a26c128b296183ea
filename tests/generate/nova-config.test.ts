import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GenbenchError } from '../../src/core/errors.ts';
import { parsePhiConfig, parseTransformerConfig, parseVaeConfig } from '../../src/generate/nova/config.ts';

// Values of the released configs as the spec (§1.3, §1.6) quotes them from the model pages.
const OSP480 = { _class_name: 'NOVATransformer3DModel', _diffusers_version: '0.31.0', image_dim: 4, image_size: [480, 768], image_stride: 8, text_token_dim: 2560, text_token_len: 256, video_mixer_rank: 24, video_base_size: [16, 15, 24], image_base_size: [30, 48], arch: ['vit_d16w1024', 'vit_d32w1024', 'mlp_d3w1280'] };
const SDXL_W1536 = { image_dim: 4, image_size: 1024, image_stride: 8, text_token_dim: 2560, text_token_len: 256, video_base_size: [1, 32, 32], image_base_size: [64, 64], arch: ['vit_d16w1536', 'vit_d32w1536', 'mlp_d6w1536'] };

test('osp480 transformer config: derived grids, patch sizes, heads, motion and mixer', () => {
  const c = parseTransformerConfig(OSP480);
  assert.deepEqual(c.latentSize, [60, 96]);
  assert.equal(c.patchSize, 2);
  assert.equal(c.temporalPatchSize, 4);
  assert.deepEqual(c.imageGrid, [30, 48]); // N = 1440
  assert.deepEqual(c.videoGrid, [15, 24]); // M = 360
  assert.deepEqual(c.temporal, { depth: 16, width: 1024, heads: 16, headDim: 64, encoderDepth: 8 });
  assert.deepEqual(c.spatial, { depth: 32, width: 1024, heads: 16, headDim: 64, encoderDepth: 16 });
  assert.deepEqual(c.head, { depth: 3, width: 1280 });
  assert.equal(c.motion, true);
  assert.equal(c.mixerRank, 24);
});

test('sdxl1024 w1536 config: 16 heads of 96, square image size, no motion or mixer', () => {
  const c = parseTransformerConfig(SDXL_W1536);
  assert.deepEqual(c.latentSize, [128, 128]);
  assert.deepEqual(c.imageGrid, [64, 64]);
  assert.deepEqual(c.videoGrid, [32, 32]);
  assert.equal(c.temporal.heads, 16);
  assert.equal(c.temporal.headDim, 96);
  assert.equal(c.motion, false);
  assert.equal(c.mixerRank, null);
});

test('unsupported transformer fields and values are refused by name', () => {
  const err = (raw: object, re: RegExp) => assert.throws(() => parseTransformerConfig(raw as Record<string, unknown>), (e: unknown) => e instanceof GenbenchError && e.code === 'E_INPUT' && re.test(e.message));
  err({ ...OSP480, qk_norm: true, flash: 1 }, /unsupported fields: qk_norm, flash/);
  err({ ...OSP480, rotary_pos_embed: true }, /rotary_pos_embed/);
  err({ ...OSP480, arch: ['vit_d16w1000', 'vit_d32w1024', 'mlp_d3w1280'] }, /no head count known for vit_d16w1000/);
  err({ ...OSP480, arch: ['dit_xl', 'vit_d32w1024', 'mlp_d3w1280'] }, /unknown ViT arch "dit_xl"/);
  err({ ...OSP480, image_base_size: [32, 48] }, /image_base_size/);
  err({ ...OSP480, text_token_dim: null }, /class-label/);
});

test('VAE and Phi-2 configs', () => {
  const vae = parseVaeConfig({ _class_name: 'AutoencoderKLOpenSora', act_fn: 'silu', block_out_channels: [128, 256, 512, 512], down_block_types: ['Down2D', 'Down2D', 'Down3D', 'Down3D'], up_block_types: ['Up3D', 'Up3D', 'Up3D', 'Up3D'], in_channels: 3, out_channels: 3, latent_channels: 4, layers_per_block: 2, norm_num_groups: 32, sample_size: 480, scaling_factor: 0.18215 });
  assert.equal(vae.kind, 'AutoencoderKLOpenSora');
  assert.equal(vae.scalingFactor, 0.18215);
  assert.equal(vae.shiftFactor, null);
  assert.throws(() => parseVaeConfig({ _class_name: 'AutoencoderKLLTXVideo', scaling_factor: 1 }), /AutoencoderKLLTXVideo/);
  assert.throws(() => parseVaeConfig({ _class_name: 'AutoencoderKL', use_tiling: true }), /unsupported fields: use_tiling/);
  const phi = parsePhiConfig({ architectures: ['PhiEncoderModel'], model_type: 'phi', hidden_size: 2560, intermediate_size: 10240, num_hidden_layers: 32, num_attention_heads: 32, num_key_value_heads: 32, partial_rotary_factor: 0.4, rope_theta: 10000, rope_scaling: null, max_position_embeddings: 2048, layer_norm_eps: 1e-5, hidden_act: 'gelu_pytorch_tanh', vocab_size: 51200, bos_token_id: 50256, eos_token_id: 50256, pad_token_id: 50256, torch_dtype: 'float16' });
  assert.equal(phi.headDim, 80);
  assert.equal(phi.rotaryDim, 32);
  assert.throws(() => parsePhiConfig({ hidden_size: 2560, intermediate_size: 10240, num_hidden_layers: 32, num_attention_heads: 32, rope_scaling: { type: 'linear' } }), /RoPE scaling/);
});
