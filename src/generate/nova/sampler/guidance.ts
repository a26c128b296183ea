/**
 * Classifier-free guidance as NOVA's GuidanceScaler applies it (guidance_scaler.py), for the
 * two-way case the pipeline uses (image/spatiotemporal guidance are off by default and not
 * implemented):
 * - active iff scale > 1; batches are [cond rows…, uncond rows…] (first half cond);
 * - g = u + s·(c − u) in float32;
 * - renorm (only when renorm < 1): g ← g·clamp(‖c‖/‖g‖, renorm, 1), L2 norms per sample over
 *   all tokens and features (including tokens not being predicted);
 * - truncation (only when trunc > 0): inside one diffusion loop, from the first timestep with
 *   t < trunc on, guidance is off (the head runs on the cond rows only) until the next set;
 * - decay across the sets of a frame: s_i = (s − s_min)·(i+1)/n + s_min; with the pipeline's
 *   arguments s_min = s, i.e. constant (kept so that a min scale can be set).
 */
export interface GuidanceSettings {
  scale: number;
  trunc: number;
  renorm: number;
  /** The scale of the first set when decaying; undefined = no decay (the official default). */
  minScale?: number;
}

const f = Math.fround;

export const guidanceActive = (scale: number): boolean => scale > 1;

/** The scale used at set i of n. */
export function guidanceScaleAt(g: GuidanceSettings, setIndex: number, numSets: number): number {
  const min = g.minScale ?? g.scale;
  return (g.scale - min) * ((setIndex + 1) / numSets) + min;
}

/** Whether guidance has been switched off by truncation at timestep t. */
export const truncatedAt = (g: GuidanceSettings, scale: number, t: number): boolean => guidanceActive(scale) && g.trunc > 0 && t < g.trunc;

/**
 * Combines a CFG batch `x` of 2B rows, each `rowSize` values ([cond…, uncond…]), into B rows.
 */
export function combineGuidance(x: Float32Array, rows: number, rowSize: number, scale: number, renorm: number): Float32Array {
  const B = rows / 2;
  const s = f(scale);
  const out = new Float32Array(B * rowSize);
  for (let b = 0; b < B; b++) {
    const c0 = b * rowSize, u0 = (b + B) * rowSize, o0 = b * rowSize;
    for (let i = 0; i < rowSize; i++) {
      const c = x[c0 + i]!, u = x[u0 + i]!;
      out[o0 + i] = f(u + f(f(c - u) * s));
    }
    if (renorm < 1) {
      let nc = 0, ng = 0;
      for (let i = 0; i < rowSize; i++) {
        nc += x[c0 + i]! * x[c0 + i]!;
        ng += out[o0 + i]! * out[o0 + i]!;
      }
      const ratio = Math.min(Math.max(f(f(Math.sqrt(nc)) / f(Math.sqrt(ng))), f(renorm)), 1);
      for (let i = 0; i < rowSize; i++) out[o0 + i] = f(out[o0 + i]! * ratio);
    }
  }
  return out;
}
