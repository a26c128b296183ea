/**
 * NovaNetworks (src/generate/nova/sampler/networks.ts) over ONNX Runtime sessions of the graphs
 * written by transformer-graphs.ts. The text encoder (Phi-2 + tokenizer) and the VAE decoder are
 * separate parts handed in by the caller (they come from other folders of the checkpoint); a call
 * to a part that was not given fails with E_NOT_IMPLEMENTED naming it.
 */
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { GenbenchError } from '../../../core/errors.ts';
import { createSession } from '../../../runtime/session.ts';
import type { NovaTransformerConfig } from '../config.ts';
import type { NovaGeometry, NovaNetworks, TextEncoderPart, TextFeatures, VaeDecoderPart } from '../sampler/networks.ts';
import { videoTimeSinCos } from './sincos.ts';
import { OrtVaeDecoder } from './ort-vae.ts';
import { OrtPhiTextEncoder } from './ort-text-encoder.ts';
import { type TransformerGraphFiles, TRANSFORMER_GRAPHS, type TransformerGraphName, type WeightDelivery, writeTransformerGraphs } from './transformer-graphs.ts';
import { temporalKvNames } from './transformer.ts';
import type { Device } from '../../../core/contracts.ts';

/** The temporal encoder's KV cache: present keys/values of every block, as ORT tensors. */
export interface TemporalCache {
  tensors: Record<string, ort.Tensor>;
  length: number;
}

export interface OrtNovaOptions {
  device?: Device;
  threads?: number;
  textEncoder?: TextEncoderPart;
  vae?: VaeDecoderPart;
}

export function novaGeometry(cfg: NovaTransformerConfig): NovaGeometry {
  return {
    latentChannels: cfg.imageDim,
    latentHeight: cfg.latentSize[0],
    latentWidth: cfg.latentSize[1],
    patchSize: cfg.patchSize,
    tokens: cfg.imageGrid[0] * cfg.imageGrid[1],
    temporalTokens: cfg.videoGrid[0] * cfg.videoGrid[1],
    width: cfg.spatial.width,
    conditionTokens: cfg.textTokenLen + (cfg.motion ? 2 : 0),
    mixer: cfg.mixerRank !== null,
  };
}

const f32 = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);

export class OrtNovaNetworks implements NovaNetworks<TemporalCache> {
  readonly geometry: NovaGeometry;

  private constructor(
    private readonly cfg: NovaTransformerConfig,
    private readonly sessions: Partial<Record<TransformerGraphName, ort.InferenceSession>>,
    private readonly nullText: Float32Array,
    private readonly parts: OrtNovaOptions,
  ) {
    this.geometry = novaGeometry(cfg);
  }

  static async open(graphs: TransformerGraphFiles, opts: OrtNovaOptions = {}): Promise<OrtNovaNetworks> {
    const sessions: Partial<Record<TransformerGraphName, ort.InferenceSession>> = {};
    for (const name of TRANSFORMER_GRAPHS) {
      const file = graphs.files[name];
      if (file) sessions[name] = await createSession(file, { device: opts.device, threads: opts.threads });
    }
    return new OrtNovaNetworks(graphs.config, sessions, graphs.nullText, opts);
  }

  private session(name: TransformerGraphName): ort.InferenceSession {
    const s = this.sessions[name];
    if (!s) throw new GenbenchError('E_INPUT', `this checkpoint has no ${name} graph`);
    return s;
  }

  async encodeText(prompts: readonly string[]): Promise<TextFeatures[]> {
    if (!this.parts.textEncoder) throw new GenbenchError('E_NOT_IMPLEMENTED', 'no text encoder was given to the NOVA networks', 'pass precomputed prompt features, or open the networks with a text encoder');
    return this.parts.textEncoder.encodeText(prompts);
  }

  /** Each row's text buffer: features in slots [0, length), the null rows elsewhere. */
  textBuffer(rows: readonly (TextFeatures | null)[]): Float32Array {
    const { textTokenLen: L, textTokenDim: F } = this.cfg;
    const out = new Float32Array(rows.length * L * F);
    rows.forEach((r, i) => {
      out.set(this.nullText, i * L * F);
      if (r) {
        if (r.length > L || r.features.length !== r.length * F) throw new GenbenchError('E_INPUT', `text features: ${r.features.length} values for ${r.length} tokens of ${F} (at most ${L} tokens)`);
        out.set(r.features, i * L * F);
      }
    });
    return out;
  }

  async textCondition(input: { rows: readonly (TextFeatures | null)[]; motionFlow: number; fps: number }): Promise<Float32Array> {
    const P = input.rows.length;
    const feeds: Record<string, ort.Tensor> = { text: f32(this.textBuffer(input.rows), [P, this.cfg.textTokenLen, this.cfg.textTokenDim]) };
    if (this.cfg.motion) {
      feeds.flow = f32(new Float32Array(P).fill(input.motionFlow), [P]);
      feeds.fps = f32(new Float32Array(P).fill(input.fps), [P]);
    }
    return (await this.session('text_condition').run(feeds)).cond.data as Float32Array;
  }

  async temporalStep(input: { frame: number; numFrames: number; rows: number; previous: Float32Array | null; text: Float32Array | null; cache: TemporalCache | null }): Promise<{ output: Float32Array; cache: TemporalCache }> {
    const cfg = this.cfg;
    const g = this.geometry;
    const { rows } = input;
    const D = cfg.temporal.width;
    const frameSize = rows * g.latentChannels * g.latentHeight * g.latentWidth;
    if (input.frame === 0 ? input.text === null : input.cache === null) throw new GenbenchError('E_INPUT', `temporal step ${input.frame}: ${input.frame === 0 ? 'the text condition is required at t = 0' : 'the cache of the previous step is required'}`);
    const prefixLen = input.text ? g.conditionTokens : 0;
    const sincos = videoTimeSinCos(input.numFrames, cfg.videoBaseSize[0]).slice(input.frame * 256, (input.frame + 1) * 256);
    const feeds: Record<string, ort.Tensor> = {
      frame: f32(input.previous ?? new Float32Array(frameSize), [rows, g.latentChannels, g.latentHeight, g.latentWidth]),
      bos: f32(Float32Array.of(input.previous ? 0 : 1), []),
      time_sincos: f32(sincos, [1, 256]),
      prefix: f32(input.text ?? new Float32Array(0), [rows, prefixLen, D]),
    };
    const { heads, headDim } = cfg.temporal;
    for (let i = 0; i < cfg.temporal.depth; i++) {
      const n = temporalKvNames(i);
      feeds[n.pastKey] = input.cache?.tensors[n.presentKey] ?? f32(new Float32Array(0), [rows, heads, 0, headDim]);
      feeds[n.pastValue] = input.cache?.tensors[n.presentValue] ?? f32(new Float32Array(0), [rows, heads, 0, headDim]);
    }
    const out = await this.session('temporal_step').run(feeds);
    const hidden = out.hidden.data as Float32Array;
    const L = prefixLen + g.temporalTokens;
    const output = new Float32Array(rows * g.temporalTokens * D);
    for (let r = 0; r < rows; r++) output.set(hidden.subarray((r * L + prefixLen) * D, (r + 1) * L * D), r * g.temporalTokens * D);
    const tensors: Record<string, ort.Tensor> = {};
    for (let i = 0; i < cfg.temporal.depth; i++) {
      const n = temporalKvNames(i);
      tensors[n.presentKey] = out[n.presentKey];
      tensors[n.presentValue] = out[n.presentValue];
    }
    return { output, cache: { tensors, length: (input.cache?.length ?? 0) + L } };
  }

  async mixer(input: { rows: number; anchor: Float32Array; current: Float32Array }): Promise<Float32Array> {
    const dims = [input.rows, this.geometry.temporalTokens, this.cfg.temporal.width];
    return (await this.session('mixer').run({ anchor: f32(input.anchor, dims), current: f32(input.current, dims) })).condition.data as Float32Array;
  }

  async spatialStep(input: { rows: number; canvas: Float32Array; unknown: Uint8Array; condition: Float32Array; query: Int32Array; count: number }): Promise<Float32Array> {
    const g = this.geometry;
    const { rows, count } = input;
    const N = g.tokens;
    const D = g.width;
    const mask = Float32Array.from(input.unknown);
    const out = await this.session('spatial_step').run({
      canvas: f32(input.canvas, [rows, g.latentChannels, g.latentHeight, g.latentWidth]),
      mask: f32(mask, [rows, N]),
      condition: f32(input.condition, [rows, g.temporalTokens, D]),
    });
    const z = out.z.data as Float32Array;
    const picked = new Float32Array(rows * count * D);
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < count; k++) {
        const id = input.query[r * count + k];
        picked.set(z.subarray((r * N + id) * D, (r * N + id + 1) * D), (r * count + k) * D);
      }
    }
    return picked;
  }

  async diffusionHead(input: { rows: number; count: number; tokens: Float32Array; timestep: number; condition: Float32Array }): Promise<Float32Array> {
    const d = this.cfg.patchSize ** 2 * this.cfg.imageDim;
    const out = await this.session('diffusion_head').run({
      x: f32(input.tokens, [input.rows, input.count, d]),
      timestep: f32(new Float32Array(input.rows).fill(input.timestep), [input.rows]),
      z: f32(input.condition, [input.rows, input.count, this.geometry.width]),
    });
    return out.pred.data as Float32Array;
  }

  async vaeDecode(input: { latents: Float32Array; frames: number }): Promise<{ data: Float32Array; frames: number; height: number; width: number }> {
    if (!this.parts.vae) throw new GenbenchError('E_NOT_IMPLEMENTED', 'no VAE decoder was given to the NOVA networks', 'open the networks with the checkpoint\'s vae/ folder');
    return this.parts.vae.vaeDecode(input);
  }

  releaseCache(cache: TemporalCache): void {
    for (const t of Object.values(cache.tensors)) t.dispose?.();
  }
}

/** Folders of one checkpoint's components (the HF layout names them transformer/, vae/, text_encoder/, tokenizer/). */
export interface NovaCheckpointDirs {
  transformer: string;
  vae?: string;
  textEncoder?: string;
  tokenizer?: string;
}

/**
 * NovaNetworks for a checkpoint: builds (or rebuilds: graphs are deterministic) every graph next to
 * its weights and opens the sessions. Without textEncoder/tokenizer, encodeText is unavailable
 * (precomputed prompt features still work); without vae, vaeDecode is.
 */
export async function openNovaNetworks(dirs: NovaCheckpointDirs, opts: { delivery?: WeightDelivery; outDir?: string; device?: Device; threads?: number } = {}): Promise<OrtNovaNetworks> {
  const graphs = writeTransformerGraphs(dirs.transformer, { delivery: opts.delivery, outDir: opts.outDir && join(opts.outDir, 'transformer') });
  const vae = dirs.vae ? OrtVaeDecoder.open(dirs.vae, graphs.config.latentSize, { ...opts, outDir: opts.outDir && join(opts.outDir, 'vae') }) : undefined;
  let textEncoder: TextEncoderPart | undefined;
  if (dirs.textEncoder && dirs.tokenizer) {
    // Prompts are cut at the checkpoint's text_token_len (the transformer's text buffer), not a fixed 256.
    const enc = await OrtPhiTextEncoder.open(dirs.textEncoder, dirs.tokenizer, { ...opts, outDir: opts.outDir && join(opts.outDir, 'text_encoder'), maxTokens: graphs.config.textTokenLen });
    if (enc.config.hiddenSize !== graphs.config.textTokenDim) throw new GenbenchError('E_INPUT', `the text encoder's hidden size ${enc.config.hiddenSize} differs from the transformer's text_token_dim ${graphs.config.textTokenDim}`, 'the components come from different checkpoints');
    textEncoder = enc;
  }
  if (vae && vae.config.latentChannels !== graphs.config.imageDim) throw new GenbenchError('E_INPUT', `the VAE has ${vae.config.latentChannels} latent channels, the transformer ${graphs.config.imageDim}`, 'the components come from different checkpoints');
  return OrtNovaNetworks.open(graphs, { device: opts.device, threads: opts.threads, textEncoder, vae });
}
