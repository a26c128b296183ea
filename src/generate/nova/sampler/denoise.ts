/**
 * Token-wise diffusion of one set (Transformer3DModel.denoise): starting from full-canvas noise
 * per sample, run every scheduler timestep; at each, the MLP head predicts the set's tokens (for
 * the CFG rows [cond…, uncond…] unless guidance is off or truncated), the rest of the patch grid
 * keeps the current noisy values, guidance combines the halves over the whole grid, and the
 * scheduler updates the whole canvas. The caller writes the set's final tokens into the frame.
 */
import { GenbenchError } from '../../../core/errors.ts';
import { combineGuidance, guidanceActive, truncatedAt, type GuidanceSettings } from './guidance.ts';
import { patchify, tokenCount, tokenDim, unpatchify, type CanvasShape } from './patchify.ts';
import type { DiffusionSchedule } from './schedulers/schedule.ts';

/** The MLP head on the selected tokens: tokens (rows·k·16), cond (rows·k·D) → rows·k·16. */
export type HeadCall = (input: { rows: number; count: number; tokens: Float32Array; timestep: number; condition: Float32Array }) => Promise<Float32Array>;

export interface DenoiseSetInput {
  schedule: DiffusionSchedule;
  guidance: GuidanceSettings;
  /** Guidance scale at this set (after decay). */
  scale: number;
  shape: CanvasShape;
  /** Start noise per sample (C·H·W each). */
  start: Float32Array[];
  /** Token ids of this set per sample (the same count k for all). */
  ids: Int32Array[];
  /** Spatial features at the set's ids: rows·k·D, rows = 2B under guidance ([cond…, uncond…]) else B. */
  condition: Float32Array;
  conditionDim: number;
  head: HeadCall;
  /** DDPM noise of diffusion step j for sample b, asked only when the schedule draws: the whole
   *  canvas (C·H·W), or with `positions` its values at those CHW indices in that order. */
  noise: (sample: number, j: number, positions?: Int32Array) => Float32Array;
}

/** CHW indices of the tokens `ids`, in patchify order (k × d): token q's feature (py, px, c) at q·d + (py·p + px)·C + c. */
export function tokenPositions(ids: Int32Array, s: CanvasShape): Int32Array {
  const { channels: C, height: H, width: W, patch: p } = s;
  const w = W / p, d = p * p * C;
  const out = new Int32Array(ids.length * d);
  ids.forEach((id, q) => {
    const i = Math.floor(id / w), j = id % w;
    for (let py = 0; py < p; py++)
      for (let px = 0; px < p; px++)
        for (let c = 0; c < C; c++) out[q * d + (py * p + px) * C + c] = (c * H + i * p + py) * W + j * p + px;
  });
  return out;
}

export interface DenoiseSetResult {
  /** Final values of the set's tokens per sample (k × d, in ids order). */
  tokens: Float32Array[];
  /** The whole final canvas per sample, patchified (N × d), when the dense path ran; else null. */
  grid: Float32Array[] | null;
}

/**
 * Runs the set's diffusion. Without renormalisation every operation after the head is
 * elementwise, so only the k selected tokens are carried (the "sparse" path, identical values at
 * those tokens); renorm < 1 needs norms over the whole grid and takes the dense path, as does
 * `dense: true` (used to compare whole grids with the official function).
 */
export async function denoiseSet(a: DenoiseSetInput, opts: { dense?: boolean } = {}): Promise<DenoiseSetResult> {
  const B = a.start.length;
  const k = a.ids[0]?.length ?? 0;
  const d = tokenDim(a.shape), D = a.conditionDim;
  if (a.ids.some((i) => i.length !== k)) throw new GenbenchError('E_INPUT', 'denoise: every sample of a batch must predict the same number of tokens');
  if (a.condition.length !== (guidanceActive(a.scale) ? 2 : 1) * B * k * D) {
    throw new GenbenchError('E_INPUT', `denoise: condition has ${a.condition.length} values, expected ${(guidanceActive(a.scale) ? 2 : 1) * B}·${k}·${D}`);
  }
  if (opts.dense || a.guidance.renorm < 1) {
    const grid = await denoiseDense(a, B, k, d, D);
    return { tokens: grid.map((g, b) => gatherRows(g, a.ids[b]!, d)), grid };
  }
  let cfg = guidanceActive(a.scale);
  const positions = a.ids.map((ids) => tokenPositions(ids, a.shape));
  let xs: Float32Array[] = a.start.map((s, b) => Float32Array.from(positions[b]!, (q) => s[q]!));
  for (let j = 0; j < a.schedule.timesteps.length; j++) {
    const t = a.schedule.timesteps[j]!;
    if (cfg && truncatedAt(a.guidance, a.scale, t)) cfg = false;
    const rows = cfg ? 2 * B : B;
    const tokens = new Float32Array(rows * k * d);
    for (let r = 0; r < rows; r++) tokens.set(xs[r % B]!, r * k * d);
    const out = await callHead(a, rows, k, d, D, tokens, t);
    const guided = cfg ? combineGuidance(out, rows, k * d, a.scale, 1) : out;
    xs = xs.map((x, b) => a.schedule.step(j, guided.subarray(b * k * d, (b + 1) * k * d), x, a.schedule.drawsNoise(j) ? a.noise(b, j, positions[b]) : undefined));
  }
  return { tokens: xs, grid: null };
}

function gatherRows(grid: Float32Array, ids: Int32Array, d: number): Float32Array {
  const out = new Float32Array(ids.length * d);
  ids.forEach((id, q) => out.set(grid.subarray(id * d, id * d + d), q * d));
  return out;
}

async function callHead(a: DenoiseSetInput, rows: number, k: number, d: number, D: number, tokens: Float32Array, t: number): Promise<Float32Array> {
  const out = await a.head({ rows, count: k, tokens, timestep: t, condition: a.condition.subarray(0, rows * k * D) });
  if (out.length !== rows * k * d) throw new GenbenchError('E_INPUT', `diffusion head returned ${out.length} values, expected ${rows}·${k}·${d}`);
  return out;
}

/** The official computation over the whole canvas (needed for renorm, whose norms cover every token). */
async function denoiseDense(a: DenoiseSetInput, B: number, k: number, d: number, D: number): Promise<Float32Array[]> {
  const n = tokenCount(a.shape);
  let cfg = guidanceActive(a.scale);
  let x: Float32Array[] = a.start.map((s) => s.slice());
  const xp = x.map(() => new Float32Array(n * d));
  for (let j = 0; j < a.schedule.timesteps.length; j++) {
    const t = a.schedule.timesteps[j]!;
    if (cfg && truncatedAt(a.guidance, a.scale, t)) cfg = false;
    const rows = cfg ? 2 * B : B;
    x.forEach((xs, b) => patchify(xs, a.shape, xp[b]));
    const tokens = new Float32Array(rows * k * d);
    for (let r = 0; r < rows; r++) tokens.set(gatherRows(xp[r % B]!, a.ids[r % B]!, d), r * k * d);
    const out = await callHead(a, rows, k, d, D, tokens, t);
    // Full patch grid per row: current noisy values, the set's tokens replaced by the prediction.
    const full = new Float32Array(rows * n * d);
    for (let r = 0; r < rows; r++) {
      const ids = a.ids[r % B]!;
      full.set(xp[r % B]!, r * n * d);
      for (let q = 0; q < k; q++) full.set(out.subarray((r * k + q) * d, (r * k + q + 1) * d), r * n * d + ids[q]! * d);
    }
    const guided = cfg ? combineGuidance(full, rows, n * d, a.scale, a.guidance.renorm) : full;
    x = x.map((xs, b) => {
      const pred = unpatchify(guided.subarray(b * n * d, (b + 1) * n * d), a.shape);
      return a.schedule.step(j, pred, xs, a.schedule.drawsNoise(j) ? a.noise(b, j) : undefined);
    });
  }
  return x.map((xs) => patchify(xs, a.shape));
}
