/**
 * NOVA's generation loop (transformer_3d.py generate_video / generate_frame, spec §3.4–3.6, §4)
 * over the NovaNetworks interface:
 *
 *   text condition (rows = [cond…, uncond…])
 *   for each latent frame t:                                  frame loop (temporal encoder, KV cache)
 *     C_t = temporal step (+ mixer against the t = 0 output)
 *     for each non-empty set i of the mask schedule:          set-by-set spatial loop
 *       z = spatial step at the set's tokens
 *       x = token-wise diffusion from fresh noise             K scheduler steps (MLP head + CFG)
 *       write the set's tokens into the frame canvas
 *   VAE decode per sample, uint8.
 *
 * Randomness comes only from the NoiseSource, per sample (order π once per sample, reused for
 * every frame; start noise per (frame, set); DDPM noise per (frame, set, step)).
 */
import { GenbenchError } from '../../../core/errors.ts';
import type { NoiseSource } from '../rng/noise-source.ts';
import { denoiseSet, tokenPositions } from './denoise.ts';
import { guidanceActive, guidanceScaleAt, type GuidanceSettings } from './guidance.ts';
import { tokenSets } from './mask-schedule.ts';
import type { NovaNetworks, TextFeatures } from './networks.ts';
import type { CanvasShape } from './patchify.ts';
import type { DiffusionSchedule } from './schedulers/schedule.ts';
import { imageToRgb, videoToRgbFrames } from './to-uint8.ts';
import { assertPermutation, stepIds } from './token-order.ts';

/** MotionEmbed's fps token: the pipeline never passes fps, so the base fps 12 is always used. */
export const NOVA_FPS_TOKEN = 12;

export interface GenerationPlan {
  /** Set-by-set steps S of the mask schedule (num_inference_steps). */
  arSteps: number;
  /** The diffusion schedule prepared for num_diffusion_steps. */
  schedule: DiffusionSchedule;
  guidance: GuidanceSettings;
  motionFlow: number;
  /** Latent frames T (1 for images). */
  latentFrames: number;
}

export interface SampleSpec {
  /** Identity of the sample (e.g. "vbench/<prompt sha>/3"): names its noise streams. */
  key: string;
  prompt: TextFeatures;
  /** Negative prompt features; null = the empty prompt (the learned null buffer). */
  negative: TextFeatures | null;
}

export interface LoopProgress {
  frame: number;
  set: number;
  sets: number;
}

export interface LoopOptions {
  onProgress?: (p: LoopProgress) => void;
}

function repeatRows<T extends Float32Array | Uint8Array | Int32Array>(make: (n: number) => T, parts: readonly T[], times: number): T {
  const size = parts[0]?.length ?? 0;
  const out = make(size * parts.length * times);
  for (let r = 0; r < times; r++) parts.forEach((p, b) => out.set(p, (r * parts.length + b) * size));
  return out;
}

/** Writes token values (k × d, in ids order) at `ids` into a CHW canvas (where they are still 0). */
function writeTokens(canvas: Float32Array, tokens: Float32Array, ids: Int32Array, s: CanvasShape): void {
  tokenPositions(ids, s).forEach((q, i) => { canvas[q] = 0 + tokens[i]!; });
}

/** Checks a plan against the networks before any heavy work. */
export function checkPlan(net: NovaNetworks, plan: GenerationPlan, batch: number): void {
  const g = net.geometry;
  if (batch < 1) throw new GenbenchError('E_USAGE', 'generate: no samples in the batch');
  if (!Number.isInteger(plan.latentFrames) || plan.latentFrames < 1) throw new GenbenchError('E_USAGE', `latent frames must be a positive integer, got ${plan.latentFrames}`);
  if (g.mixer && !net.mixer) throw new GenbenchError('E_INPUT', 'the checkpoint has a temporal mixer but the networks provide no mixer call');
  if (g.latentHeight % g.patchSize || g.latentWidth % g.patchSize) throw new GenbenchError('E_INPUT', `latent grid ${g.latentHeight}×${g.latentWidth} is not divisible by the patch size ${g.patchSize}`);
  if ((g.latentHeight / g.patchSize) * (g.latentWidth / g.patchSize) !== g.tokens) throw new GenbenchError('E_INPUT', `geometry: ${g.tokens} tokens do not match the ${g.latentHeight}×${g.latentWidth} grid with patch ${g.patchSize}`);
  const s = plan.guidance;
  if (guidanceActive(s.scale) && s.minScale !== undefined && !guidanceActive(s.minScale)) {
    throw new GenbenchError('E_USAGE', `guidance decay from ${s.minScale} to ${s.scale} would switch guidance off part-way`, 'use a minimum guidance scale above 1');
  }
}

/** Latents of every sample, (C, T, h, w) each, as the transformer produces them (still scaled). */
export async function generateLatents(net: NovaNetworks, plan: GenerationPlan, samples: readonly SampleSpec[], noise: NoiseSource, opts: LoopOptions = {}): Promise<Float32Array[]> {
  checkPlan(net, plan, samples.length);
  const g = net.geometry;
  const B = samples.length;
  const cfg = guidanceActive(plan.guidance.scale);
  const rows = cfg ? 2 * B : B;
  const shape: CanvasShape = { channels: g.latentChannels, height: g.latentHeight, width: g.latentWidth, patch: g.patchSize };
  const CHW = g.latentChannels * g.latentHeight * g.latentWidth;
  const N = g.tokens, D = g.width, T = plan.latentFrames;
  const sets = tokenSets(N, plan.arSteps);

  const textRows = [...samples.map((s) => s.prompt), ...(cfg ? samples.map((s) => s.negative) : [])];
  const text = await net.textCondition({ rows: textRows, motionFlow: plan.motionFlow, fps: NOVA_FPS_TOKEN });
  const orders = samples.map((s) => {
    const o = noise.order(s.key, N);
    assertPermutation(o, N, `token order of ${s.key}`);
    return stepIds(o, sets);
  });

  const latents = samples.map(() => new Float32Array(CHW * T));
  let cache: unknown = null;
  let anchor: Float32Array | null = null;
  let previous: Float32Array[] | null = null;
  try {
    for (let t = 0; t < T; t++) {
      const step = await net.temporalStep({ frame: t, numFrames: T, rows, previous: previous ? repeatRows((n) => new Float32Array(n), previous, rows / B) : null, text: t === 0 ? text : null, cache });
      cache = step.cache;
      let condition = step.output;
      if (g.mixer) {
        if (t === 0) anchor = step.output;
        else condition = await net.mixer!({ rows, anchor: anchor!, current: step.output });
      }
      const canvases = samples.map(() => new Float32Array(CHW));
      const unknown = samples.map(() => new Uint8Array(N).fill(1));
      for (let i = 0; i < sets.length; i++) {
        opts.onProgress?.({ frame: t, set: i, sets: sets.length });
        const k = sets[i]!;
        const ids = orders.map((o) => o[i]!);
        const z = await net.spatialStep({
          rows,
          canvas: repeatRows((n) => new Float32Array(n), canvases, rows / B),
          unknown: repeatRows((n) => new Uint8Array(n), unknown, rows / B),
          condition,
          query: repeatRows((n) => new Int32Array(n), ids, rows / B),
          count: k,
        });
        if (z.length !== rows * k * D) throw new GenbenchError('E_INPUT', `spatial step returned ${z.length} values, expected ${rows}·${k}·${D}`);
        const result = await denoiseSet({
          schedule: plan.schedule,
          guidance: plan.guidance,
          scale: guidanceScaleAt(plan.guidance, i, sets.length),
          shape,
          start: samples.map((s) => noise.initialNoise(s.key, t, i, CHW)),
          ids,
          condition: z,
          conditionDim: D,
          head: (input) => net.diffusionHead(input),
          noise: (b, j, positions) => noise.schedulerNoise(samples[b]!.key, t, i, j, CHW, positions),
        });
        result.tokens.forEach((tok, b) => {
          writeTokens(canvases[b]!, tok, ids[b]!, shape);
          for (const id of ids[b]!) unknown[b]![id] = 0;
        });
      }
      const hw = g.latentHeight * g.latentWidth;
      canvases.forEach((cv, b) => {
        for (let c = 0; c < g.latentChannels; c++) latents[b]!.set(cv.subarray(c * hw, (c + 1) * hw), (c * T + t) * hw);
      });
      previous = canvases;
    }
  } finally {
    if (cache !== null) net.releaseCache?.(cache);
  }
  return latents;
}

/** One decoded sample: uint8 RGB frames (H·W·3 each; one frame for an image). */
export interface DecodedSample {
  frames: Uint8Array[];
  height: number;
  width: number;
}

/** VAE decode + uint8 conversion of one sample's latents. */
export async function decodeSample(net: NovaNetworks, latents: Float32Array, latentFrames: number): Promise<DecodedSample> {
  const v = await net.vaeDecode({ latents, frames: latentFrames });
  if (v.data.length !== 3 * v.frames * v.height * v.width) throw new GenbenchError('E_INPUT', `VAE returned ${v.data.length} values for 3×${v.frames}×${v.height}×${v.width}`);
  const frames = v.frames === 1 ? [imageToRgb(v.data, v.height, v.width)] : videoToRgbFrames(v.data, v.frames, v.height, v.width);
  return { frames, height: v.height, width: v.width };
}

/** The whole sampler for a batch: latents, then decode each sample. */
export async function generateSamples(net: NovaNetworks, plan: GenerationPlan, samples: readonly SampleSpec[], noise: NoiseSource, opts: LoopOptions = {}): Promise<DecodedSample[]> {
  const latents = await generateLatents(net, plan, samples, noise, opts);
  const out: DecodedSample[] = [];
  for (const l of latents) out.push(await decodeSample(net, l, plan.latentFrames));
  return out;
}
