/**
 * NOVA network benchmarks on random weights of the REAL shapes (not part of the test suite).
 *
 *   node --import tsx bench/nova.ts weights  [--config osp480|sd512|sdxl1024-w768|sdxl1024-w1024|sdxl1024-w1536] [--dir DIR]
 *       How weights reach ONNX Runtime, measured on the temporal encoder of the real config
 *       (16 × w1024 blocks, ≈ 403 MB of fp16): (a) external data pointing into the safetensors
 *       file in place (fp16 initializers, Cast + Transpose folded by ORT at session creation),
 *       (b) converted once to a float32 data file (linear weights pre-transposed) next to the .onnx.
 *       Each mode runs in its own child process so that its peak RSS is its own.
 *   node --import tsx bench/nova.ts steps    [--config osp480|sd512|sdxl1024-w768|sdxl1024-w1024|sdxl1024-w1536] [--threads N]
 *       Seconds per call of the temporal step (t = 0 and t = 1), the spatial step and the
 *       diffusion head, built from random weights of the real shapes (converted mode), plus peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';
import { type NovaTransformerConfig, parseTransformerConfig } from '../src/generate/nova/config.ts';
import { WeightBinder, type WeightMode } from '../src/generate/nova/graph/weights.ts';
import { openSafetensors } from '../src/generate/nova/safetensors.ts';
import { buildDiffusionHeadGraph } from '../src/generate/nova/networks/diffusion-head.ts';
import { buildSpatialStepGraph, buildTemporalStepGraph, temporalKvNames } from '../src/generate/nova/networks/transformer.ts';
import { videoTimeSinCos } from '../src/generate/nova/networks/sincos.ts';

const CONFIGS: Record<string, Record<string, unknown>> = {
  osp480: { image_dim: 4, image_size: [480, 768], image_stride: 8, text_token_dim: 2560, text_token_len: 256, video_mixer_rank: 24, video_base_size: [16, 15, 24], image_base_size: [30, 48], arch: ['vit_d16w1024', 'vit_d32w1024', 'mlp_d3w1280'] },
  sd512: { image_dim: 4, image_size: 512, image_stride: 8, text_token_dim: 2560, text_token_len: 256, video_base_size: [1, 16, 16], image_base_size: [32, 32], arch: ['vit_d16w1024', 'vit_d32w1024', 'mlp_d6w1024'] },
  // The three sdxl1024 widths (spec §1.3: the w1536 config as published; w768/w1024 as the training yamls give them).
  'sdxl1024-w768': { image_dim: 4, image_size: 1024, image_stride: 8, text_token_dim: 2560, text_token_len: 256, video_base_size: [1, 32, 32], image_base_size: [64, 64], arch: ['vit_d16w768', 'vit_d32w768', 'mlp_d6w768'] },
  'sdxl1024-w1024': { image_dim: 4, image_size: 1024, image_stride: 8, text_token_dim: 2560, text_token_len: 256, video_base_size: [1, 32, 32], image_base_size: [64, 64], arch: ['vit_d16w1024', 'vit_d32w1024', 'mlp_d6w1024'] },
  'sdxl1024-w1536': { image_dim: 4, image_size: 1024, image_stride: 8, text_token_dim: 2560, text_token_len: 256, video_base_size: [1, 32, 32], image_base_size: [64, 64], arch: ['vit_d16w1536', 'vit_d32w1536', 'mlp_d6w1536'] },
};

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** Tensor names and shapes of the parts of NOVATransformer3DModel the benchmark builds. */
function transformerShapes(cfg: NovaTransformerConfig, parts: ('temporal' | 'spatial' | 'head')[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  const vit = (prefix: string, depth: number, D: number, p: number) => {
    out[`${prefix}.patch_embed.proj.weight`] = [D, cfg.imageDim, p, p];
    out[`${prefix}.patch_embed.proj.bias`] = [D];
    for (let i = 0; i < depth; i++) {
      const b = `${prefix}.blocks.${i}`;
      Object.assign(out, {
        [`${b}.attn.qkv.weight`]: [3 * D, D], [`${b}.attn.qkv.bias`]: [3 * D], [`${b}.attn.proj.weight`]: [D, D], [`${b}.attn.proj.bias`]: [D],
        [`${b}.mlp.fc1.weight`]: [4 * D, D], [`${b}.mlp.fc1.bias`]: [4 * D], [`${b}.mlp.fc2.weight`]: [D, 4 * D], [`${b}.mlp.fc2.bias`]: [D],
        [`${b}.norm1.weight`]: [D], [`${b}.norm1.bias`]: [D], [`${b}.norm2.weight`]: [D], [`${b}.norm2.bias`]: [D],
      });
    }
    out[`${prefix}.norm.weight`] = [D];
    out[`${prefix}.norm.bias`] = [D];
  };
  const D = cfg.temporal.width;
  out['mask_embed.bos_token'] = [1, D];
  out['mask_embed.mask_token'] = [1, D];
  if (parts.includes('temporal')) {
    vit('video_encoder', cfg.temporal.depth, D, cfg.temporalPatchSize);
    Object.assign(out, { 'video_pos_embed.time_proj.0.weight': [D, 256], 'video_pos_embed.time_proj.0.bias': [D], 'video_pos_embed.time_proj.2.weight': [D, D], 'video_pos_embed.time_proj.2.bias': [D], 'video_pos_embed.norm.weight': [D], 'video_pos_embed.norm.bias': [D] });
  }
  if (parts.includes('spatial')) vit('image_encoder', cfg.spatial.depth, D, cfg.patchSize);
  if (parts.includes('head')) {
    const W = cfg.head.width;
    const h = 'image_decoder';
    Object.assign(out, {
      [`${h}.patch_embed.proj.weight`]: [W, cfg.imageDim, cfg.patchSize, cfg.patchSize], [`${h}.patch_embed.proj.bias`]: [W],
      [`${h}.time_cond_embed.timestep_proj.fc1.weight`]: [W, 256], [`${h}.time_cond_embed.timestep_proj.fc1.bias`]: [W],
      [`${h}.time_cond_embed.timestep_proj.fc2.weight`]: [W, W], [`${h}.time_cond_embed.timestep_proj.fc2.bias`]: [W],
      [`${h}.time_cond_embed.condition_proj.fc1.weight`]: [W, D], [`${h}.time_cond_embed.condition_proj.fc1.bias`]: [W],
      [`${h}.time_cond_embed.condition_proj.fc2.weight`]: [W, W], [`${h}.time_cond_embed.condition_proj.fc2.bias`]: [W],
      [`${h}.norm.proj.weight`]: [2 * W, W], [`${h}.norm.proj.bias`]: [2 * W], [`${h}.head.weight`]: [16, W], [`${h}.head.bias`]: [16],
    });
    for (let i = 0; i < cfg.head.depth; i++) {
      const b = `${h}.blocks.${i}`;
      Object.assign(out, { [`${b}.norm1.proj.weight`]: [3 * W, W], [`${b}.norm1.proj.bias`]: [3 * W], [`${b}.proj.fc1.weight`]: [W, W], [`${b}.proj.fc1.bias`]: [W], [`${b}.proj.fc2.weight`]: [W, W], [`${b}.proj.fc2.bias`]: [W], [`${b}.norm2.weight`]: [W], [`${b}.norm2.bias`]: [W] });
    }
  }
  return out;
}

/** A random fp16 safetensors file (values ≈ N(0, 0.02²)-sized, 1 ± small for norm weights). */
function writeRandomF16(path: string, shapes: Record<string, number[]>): number {
  const names = Object.keys(shapes).sort();
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const n of names) {
    const count = shapes[n].reduce((a, b) => a * b, 1);
    header[n] = { dtype: 'F16', shape: shapes[n], data_offsets: [offset, offset + 2 * count] };
    offset += 2 * count;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8) json += ' ';
  const fd = openSync(path, 'w');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  writeSync(fd, len);
  writeSync(fd, Buffer.from(json));
  let x = 0x9e3779b9;
  for (const n of names) {
    const count = shapes[n].reduce((a, b) => a * b, 1);
    const buf = new Uint16Array(count);
    const isNorm = /norm\d?\.weight$/.test(n);
    for (let i = 0; i < count; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      // exponent 2^-7..2^-6 with random sign and mantissa: |v| in [0.0078, 0.0312)
      const h = ((x >>> 31) << 15) | ((8 + ((x >>> 29) & 1)) << 10) | (x & 0x3ff);
      buf[i] = isNorm ? 0x3c00 | (x & 0x7f) : h;
    }
    writeSync(fd, new Uint8Array(buf.buffer));
  }
  closeSync(fd);
  return statSync(path).size;
}

const rss = () => Math.round(process.resourceUsage().maxRSS / 1024);
const time = async <T>(f: () => Promise<T> | T): Promise<[T, number]> => {
  const t0 = performance.now();
  const r = await f();
  return [r, (performance.now() - t0) / 1000];
};

function emptyPast(cfg: NovaTransformerConfig, batch: number, len = 0): Record<string, ort.Tensor> {
  const feeds: Record<string, ort.Tensor> = {};
  const { heads, headDim } = cfg.temporal;
  for (let i = 0; i < cfg.temporal.depth; i++) {
    const n = temporalKvNames(i);
    feeds[n.pastKey] = new ort.Tensor('float32', new Float32Array(batch * heads * len * headDim), [batch, heads, len, headDim]);
    feeds[n.pastValue] = new ort.Tensor('float32', new Float32Array(batch * heads * len * headDim), [batch, heads, len, headDim]);
  }
  return feeds;
}

function temporalFeeds(cfg: NovaTransformerConfig, batch: number, t: number, textLen: number, pastLen: number): Record<string, ort.Tensor> {
  const [h, w] = cfg.latentSize;
  const D = cfg.temporal.width;
  return {
    frame: new ort.Tensor('float32', new Float32Array(batch * cfg.imageDim * h * w).fill(0.1), [batch, cfg.imageDim, h, w]),
    bos: new ort.Tensor('float32', Float32Array.of(t === 0 ? 1 : 0), []),
    time_sincos: new ort.Tensor('float32', videoTimeSinCos(9, cfg.videoBaseSize[0]).slice(t * 256, (t + 1) * 256), [1, 256]),
    prefix: new ort.Tensor('float32', new Float32Array(batch * textLen * D).fill(0.05), [batch, textLen, D]),
    ...emptyPast(cfg, batch, pastLen),
  };
}

/** One weight-delivery mode, in this process: build, (convert,) create the session, run one step. */
async function weightsChild(mode: 'external' | 'converted', dir: string, cfg: NovaTransformerConfig): Promise<void> {
  const st = join(dir, 'weights.safetensors');
  // ORT refuses external data outside the model's folder: the in-place graph sits next to the safetensors.
  const modelDir = mode === 'external' ? dir : join(dir, mode);
  mkdirSync(modelDir, { recursive: true });
  const source = openSafetensors(st);
  const wm: WeightMode = mode === 'external' ? { kind: 'external', modelDir } : { kind: 'converted', modelDir, dataFile: 'temporal.data' };
  const binder = new WeightBinder(source, wm);
  const [bytes, buildS] = await time(() => {
    const g = buildTemporalStepGraph(binder, cfg);
    if (mode === 'converted') binder.writeData();
    return g;
  });
  const onnxPath = join(modelDir, 'temporal.onnx');
  writeFileSync(onnxPath, bytes);
  const [session, sessionS] = await time(() => ort.InferenceSession.create(onnxPath, { graphOptimizationLevel: 'all' }));
  const textLen = cfg.textTokenLen + (cfg.motion ? 2 : 0);
  const [, runS] = await time(() => session.run(temporalFeeds(cfg, 2, 0, textLen, 0)));
  const dataBytes = mode === 'converted' ? statSync(join(modelDir, 'temporal.data')).size : 0;
  console.log(JSON.stringify({ mode, buildAndConvertS: +buildS.toFixed(2), onnxBytes: bytes.length, extraDiskBytes: dataBytes, sessionCreateS: +sessionS.toFixed(2), firstStepS: +runS.toFixed(2), peakRssMiB: rss() }));
}

async function weightsBench(cfg: NovaTransformerConfig): Promise<void> {
  const dir = arg('--dir', mkdtempSync(join(tmpdir(), 'gb-nova-weights-')));
  const st = join(dir, 'weights.safetensors');
  if (!existsSync(st)) {
    const [size, s] = await time(() => writeRandomF16(st, transformerShapes(cfg, ['temporal'])));
    console.log(`random fp16 temporal-encoder weights: ${(size / 2 ** 20).toFixed(0)} MiB written in ${s.toFixed(1)} s (${st})`);
  }
  for (const mode of ['external', 'converted'] as const) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'weights-child', mode, dir, '--config', arg('--config', 'osp480')], { stdio: 'inherit' });
    if (r.status !== 0) console.log(`${mode}: child exited ${r.status}`);
  }
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}

async function stepsBench(cfg: NovaTransformerConfig): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gb-nova-steps-'));
  const st = join(dir, 'weights.safetensors');
  writeRandomF16(st, transformerShapes(cfg, ['temporal', 'spatial', 'head']));
  const source = openSafetensors(st);
  const threads = Number(arg('--threads', '0')) || undefined;
  const opts: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all', intraOpNumThreads: threads };
  const B2 = 2;
  const results: Record<string, number> = {};
  const make = async (name: string, build: (w: WeightBinder) => Uint8Array) => {
    const w = new WeightBinder(source, { kind: 'converted', modelDir: dir, dataFile: `${name}.data` });
    const bytes = build(w);
    w.writeData();
    writeFileSync(join(dir, `${name}.onnx`), bytes);
    return ort.InferenceSession.create(join(dir, `${name}.onnx`), opts);
  };
  const temporal = await make('temporal', (w) => buildTemporalStepGraph(w, cfg));
  const textLen = cfg.textTokenLen + (cfg.motion ? 2 : 0);
  const M = cfg.videoGrid[0] * cfg.videoGrid[1];
  [, results.temporal_t0_s] = await time(() => temporal.run(temporalFeeds(cfg, B2, 0, textLen, 0)));
  [, results.temporal_t1_s] = await time(() => temporal.run(temporalFeeds(cfg, B2, 1, 0, textLen + M)));
  const spatial = await make('spatial', (w) => buildSpatialStepGraph(w, cfg));
  const N = cfg.imageGrid[0] * cfg.imageGrid[1];
  const [h, wd] = cfg.latentSize;
  const D = cfg.spatial.width;
  const mask = new Float32Array(B2 * N).fill(1);
  mask.fill(0, 0, N >> 1);
  const spatialFeeds = { canvas: new ort.Tensor('float32', new Float32Array(B2 * 4 * h * wd).fill(0.1), [B2, 4, h, wd]), mask: new ort.Tensor('float32', mask, [B2, N]), condition: new ort.Tensor('float32', new Float32Array(B2 * M * D).fill(0.05), [B2, M, D]) };
  await spatial.run(spatialFeeds);
  [, results.spatial_step_s] = await time(() => spatial.run(spatialFeeds));
  const head = await make('head', (w) => buildDiffusionHeadGraph(w, { depth: cfg.head.depth, width: cfg.head.width, condDim: D, patchSize: cfg.patchSize, imageDim: cfg.imageDim }));
  // The largest set of the 128-step cosine schedule is ~ N·π/256 tokens; bench a 64-token set.
  const K = 64;
  const headFeeds = { x: new ort.Tensor('float32', new Float32Array(B2 * K * 16).fill(0.3), [B2, K, 16]), timestep: new ort.Tensor('float32', Float32Array.of(500, 500), [B2]), z: new ort.Tensor('float32', new Float32Array(B2 * K * D).fill(0.1), [B2, K, D]) };
  await head.run(headFeeds);
  [, results.head_call_64_tokens_s] = await time(() => head.run(headFeeds));
  console.log(JSON.stringify({ config: arg('--config', 'osp480'), batch: B2, threads: threads ?? 'default', ...Object.fromEntries(Object.entries(results).map(([k, v]) => [k, +v.toFixed(3)])), peakRssMiB: rss() }));
  rmSync(dir, { recursive: true, force: true });
}

const cfg = parseTransformerConfig(CONFIGS[arg('--config', 'osp480')]);
const cmd = process.argv[2];
if (cmd === 'weights') await weightsBench(cfg);
else if (cmd === 'weights-child') await weightsChild(process.argv[3] as 'external' | 'converted', process.argv[4], cfg);
else if (cmd === 'steps') await stepsBench(cfg);
else console.log('usage: node --import tsx bench/nova.ts weights|steps [--config osp480|sd512|sdxl1024-w768|sdxl1024-w1024|sdxl1024-w1536] [--threads N]');
