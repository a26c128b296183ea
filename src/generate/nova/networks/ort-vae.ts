/**
 * The VAE decoder part of NovaNetworks over ONNX Runtime: graphs from vae-decoder.ts, one sample
 * per call (decode_latents' vae_batch_size 1), and the Open-Sora-Plan temporal tiling
 * (TilingMixin.tiled_decoder: latent tiles of 5 starting every 4 frames, complete tiles only, the
 * first output frame of every later tile dropped).
 */
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { GenbenchError } from '../../../core/errors.ts';
import { createSession } from '../../../runtime/session.ts';
import { type NovaVaeConfig, parseVaeConfig, readJsonConfig } from '../config.ts';
import { writeGraphFile } from '../graph/graph-files.ts';
import { openSafetensors } from '../safetensors.ts';
import type { WeightDelivery } from './transformer-graphs.ts';
import { buildVaeDecoderGraph } from './vae-decoder.ts';
import type { Device } from '../../../core/contracts.ts';

/** TilingMixin constants of AutoencoderKLOpenSora: latent_min_t 5, latent_ovr_t 1, sample_ovr_t 1. */
export const OSP_LATENT_TILE = 5;
export const OSP_LATENT_OVERLAP = 1;
export const OSP_SAMPLE_OVERLAP = 1;

/** Latent tiles [start, start + 5) the official decoder decodes for T latent frames (T ≤ 5: one tile of T). */
export function ospTiles(T: number): { start: number; length: number }[] {
  if (T <= OSP_LATENT_TILE) return [{ start: 0, length: T }];
  const tiles: { start: number; length: number }[] = [];
  for (let s = 0; s < T; s += OSP_LATENT_TILE - OSP_LATENT_OVERLAP) if (s + OSP_LATENT_TILE <= T) tiles.push({ start: s, length: OSP_LATENT_TILE });
  return tiles;
}

export class OrtVaeDecoder {
  private readonly sessions = new Map<number, Promise<ort.InferenceSession>>();

  private constructor(
    readonly config: NovaVaeConfig,
    private readonly vaeDir: string,
    private readonly latentSize: [number, number],
    private readonly opts: { delivery: WeightDelivery; outDir?: string; device?: Device; threads?: number },
  ) {}

  static open(vaeDir: string, latentSize: [number, number], opts: { delivery?: WeightDelivery; outDir?: string; device?: Device; threads?: number } = {}): OrtVaeDecoder {
    const cfg = parseVaeConfig(readJsonConfig(join(vaeDir, 'config.json')), join(vaeDir, 'config.json'));
    return new OrtVaeDecoder(cfg, vaeDir, latentSize, { delivery: opts.delivery ?? 'external', ...opts });
  }

  get video(): boolean {
    return this.config.kind === 'AutoencoderKLOpenSora';
  }

  /** The decoder session for tiles of `frames` latent frames (built and written on first use). */
  private session(frames: number): Promise<ort.InferenceSession> {
    let s = this.sessions.get(frames);
    if (!s) {
      const source = openSafetensors(this.vaeDir);
      try {
        const name = this.video ? `vae_decoder_t${frames}` : 'vae_decoder';
        const size = { latentFrames: this.video ? frames : undefined, latentHeight: this.latentSize[0], latentWidth: this.latentSize[1] };
        const path = writeGraphFile(source, name, this.opts.delivery, this.opts.outDir, { config: this.config, size }, (w) => buildVaeDecoderGraph(w, this.config, size))!;
        s = createSession(path, { device: this.opts.device, threads: this.opts.threads });
        this.sessions.set(frames, s);
      } finally {
        source.close();
      }
    }
    return s;
  }

  /** Decode one sample's latents (C, T, h, w) → (3, T', H, W) in about [−1, 1]. */
  async vaeDecode(input: { latents: Float32Array; frames: number }): Promise<{ data: Float32Array; frames: number; height: number; width: number }> {
    const C = this.config.latentChannels;
    const [h, w] = this.latentSize;
    const T = input.frames;
    if (input.latents.length !== C * T * h * w) throw new GenbenchError('E_INPUT', `VAE decode: ${input.latents.length} latent values for ${C}×${T}×${h}×${w}`);
    if (!this.video) {
      if (T !== 1) throw new GenbenchError('E_INPUT', `the 2-D VAE decodes single images, got ${T} latent frames`);
      const out = (await (await this.session(1)).run({ latents: new ort.Tensor('float32', input.latents, [1, C, h, w]) })).sample;
      const [, , H, W] = out.dims as number[];
      return { data: out.data as Float32Array, frames: 1, height: H, width: W };
    }
    const pieces: { data: Float32Array; frames: number; skip: number }[] = [];
    let H = 0;
    let W = 0;
    for (const [i, tile] of ospTiles(T).entries()) {
      const part = new Float32Array(C * tile.length * h * w);
      for (let c = 0; c < C; c++) part.set(input.latents.subarray((c * T + tile.start) * h * w, (c * T + tile.start + tile.length) * h * w), c * tile.length * h * w);
      const out = (await (await this.session(tile.length)).run({ latents: new ort.Tensor('float32', part, [1, C, tile.length, h, w]) })).sample;
      const dims = out.dims as number[];
      [H, W] = [dims[3], dims[4]];
      pieces.push({ data: out.data as Float32Array, frames: dims[2], skip: i === 0 ? 0 : OSP_SAMPLE_OVERLAP });
    }
    const frames = pieces.reduce((a, p) => a + p.frames - p.skip, 0);
    const plane = H * W;
    const outC = this.config.outChannels;
    const data = new Float32Array(outC * frames * plane);
    for (let c = 0; c < outC; c++) {
      let t0 = 0;
      for (const p of pieces) {
        const n = p.frames - p.skip;
        data.set(p.data.subarray((c * p.frames + p.skip) * plane, (c * p.frames + p.frames) * plane), (c * frames + t0) * plane);
        t0 += n;
      }
    }
    return { data, frames, height: H, width: W };
  }
}
