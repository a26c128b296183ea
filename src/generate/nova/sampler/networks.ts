/**
 * The network calls the NOVA sampler makes, as an interface: the ONNX Runtime implementation lives
 * with the networks (src/generate/nova/networks/), tests use small pure-TypeScript fakes.
 *
 * Conventions for every call:
 * - float32, row-major, batch first. `rows` is the batch of the call: under classifier-free
 *   guidance rows = 2B ordered [cond_0 … cond_{B−1}, uncond_0 … uncond_{B−1}] (spec §2.3:
 *   "first half = cond"); without guidance rows = B. The sampler builds the CFG rows itself
 *   (duplicating canvases, masks and ids), so implementations never need to know about CFG.
 * - Sizes (spec §1.4): C latent channels (4), h × w latent grid (osp480 60×96, sd512 64×64,
 *   sdxl1024 128×128), p spatial patch (2), N = (h/p)(w/p) spatial tokens, M = (h/2p)(w/2p)
 *   temporal tokens, D transformer width, Lc condition tokens (256 text slots, + 2 motion
 *   tokens — flow, fps — for video checkpoints), F = 2560 Phi-2 features, d = p·p·C = 16.
 */

export interface NovaGeometry {
  latentChannels: number;
  latentHeight: number;
  latentWidth: number;
  patchSize: number;
  /** N: spatial tokens per frame (= prod(image_base_size)). */
  tokens: number;
  /** M: temporal-encoder tokens per frame. */
  temporalTokens: number;
  /** D: transformer width (spatial condition and spatial output width). */
  width: number;
  /** Lc: condition tokens of textCondition's output. */
  conditionTokens: number;
  /** Whether the temporal "Scaling and Shift" mixer exists (osp480); then `mixer` must be implemented. */
  mixer: boolean;
}

/** Phi-2 features of one prompt: `length` rows of F values (after the final LayerNorm). */
export interface TextFeatures {
  features: Float32Array;
  /** Token count after truncation to the 256-token buffer. */
  length: number;
  /** Whether the tokenizer cut the prompt at 256 tokens. */
  truncated: boolean;
}

export interface NovaNetworks<Cache = unknown> {
  readonly geometry: NovaGeometry;

  /** Phi-2 over each prompt (tokenised without BOS/EOS, truncated to 256 tokens, no padding). */
  encodeText(prompts: readonly string[]): Promise<TextFeatures[]>;

  /**
   * The temporal encoder's text condition (rows, Lc, D): each row's 256-slot buffer (its features
   * in slots [0, length), text_embed.weight rows elsewhere; `null` = the empty prompt = the pure
   * weight buffer), TextEmbed projection + LayerNorm, then for motion checkpoints the flow and fps
   * tokens (MotionEmbed) of `motionFlow` and `fps`, the same for every row.
   */
  textCondition(input: { rows: readonly (TextFeatures | null)[]; motionFlow: number; fps: number }): Promise<Float32Array>;

  /**
   * One frame of the temporal encoder (KV-cached). `previous` (rows, C, h, w): the latent frame
   * t−1, null at t = 0 (every token is the BOV token then); `text` (rows, Lc, D): the condition,
   * given at t = 0 only (it enters the cache); `cache`: what the previous call returned (null at
   * t = 0). The time embedding is that of index `frame` among `numFrames` (positions t·base/T).
   * Returns the final-LayerNormed frame tokens (rows, M, D) and the grown cache.
   */
  temporalStep(input: {
    frame: number;
    numFrames: number;
    rows: number;
    previous: Float32Array | null;
    text: Float32Array | null;
    cache: Cache | null;
  }): Promise<{ output: Float32Array; cache: Cache }>;

  /** The mixer (only when geometry.mixer): anchor (rows, M, D) = the t = 0 output, current (rows, M, D) → condition (rows, M, D). */
  mixer?(input: { rows: number; anchor: Float32Array; current: Float32Array }): Promise<Float32Array>;

  /**
   * One set-by-set step of the spatial encoder. `canvas` (rows, C, h, w): the frame so far (zeros
   * where nothing is written); `unknown` (rows, N): 1 where the token is not yet known (this step's
   * tokens included), 0 where an earlier step wrote it; `condition` (rows, M, D). Returns the
   * final-LayerNormed image tokens at `query` (rows, k): (rows, k, D).
   */
  spatialStep(input: {
    rows: number;
    canvas: Float32Array;
    unknown: Uint8Array;
    condition: Float32Array;
    query: Int32Array;
    count: number;
  }): Promise<Float32Array>;

  /**
   * The DiffusionMLP head on k selected tokens: `tokens` (rows, k, d) noisy latent tokens in
   * patchify order [py][px][c], `timestep` the scheduler timestep (float), `condition` (rows, k, D)
   * the spatial output at those tokens. Returns (rows, k, d): epsilon (DDPM) or velocity (flow).
   */
  diffusionHead(input: { rows: number; count: number; tokens: Float32Array; timestep: number; condition: Float32Array }): Promise<Float32Array>;

  /**
   * VAE decode of ONE sample: `latents` (C, T, h, w) as the transformer produced them (the
   * implementation divides by scaling_factor and applies its tiling rules). Returns (3, T', H, W)
   * in about [−1, 1] (T' = 1 + 4(T − 1) for the causal video VAE, 1 for images).
   */
  vaeDecode(input: { latents: Float32Array; frames: number }): Promise<{ data: Float32Array; frames: number; height: number; width: number }>;

  /** Frees a temporal cache (device memory) once the video is done; optional. */
  releaseCache?(cache: Cache): void;
}

/** The text-encoder part of NovaNetworks (Phi-2 + tokenizer), handed in separately (networks/ort-text-encoder.ts). */
export interface TextEncoderPart {
  encodeText(prompts: readonly string[]): Promise<TextFeatures[]>;
}

/** The VAE-decoder part of NovaNetworks, handed in separately (networks/ort-vae.ts). */
export interface VaeDecoderPart {
  vaeDecode(input: { latents: Float32Array; frames: number }): Promise<{ data: Float32Array; frames: number; height: number; width: number }>;
}
