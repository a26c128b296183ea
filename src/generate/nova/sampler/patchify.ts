/**
 * Patch layout of NOVA's token grid (embeddings.py PatchEmbed.patchify / unpatchify): a canvas
 * (C, H, W) with patch size p becomes (h·w) tokens of p·p·C values, token index row·w + col,
 * feature order [py][px][c] (channel fastest). Single sample; batches are concatenations.
 */
export interface CanvasShape {
  channels: number;
  height: number;
  width: number;
  patch: number;
}

export const tokenCount = (s: CanvasShape): number => (s.height / s.patch) * (s.width / s.patch);
export const tokenDim = (s: CanvasShape): number => s.patch * s.patch * s.channels;

/** (C,H,W) → (h·w, p·p·C). */
export function patchify(x: Float32Array, s: CanvasShape, out = new Float32Array(x.length)): Float32Array {
  const { channels: C, height: H, width: W, patch: p } = s;
  const w = W / p, h = H / p, d = p * p * C;
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++) {
      const base = (i * w + j) * d;
      for (let py = 0; py < p; py++)
        for (let px = 0; px < p; px++)
          for (let c = 0; c < C; c++) out[base + (py * p + px) * C + c] = x[(c * H + i * p + py) * W + j * p + px]!;
    }
  return out;
}

/** (h·w, p·p·C) → (C,H,W), the exact inverse of `patchify`. */
export function unpatchify(t: Float32Array, s: CanvasShape, out = new Float32Array(t.length)): Float32Array {
  const { channels: C, height: H, width: W, patch: p } = s;
  const w = W / p, h = H / p, d = p * p * C;
  for (let i = 0; i < h; i++)
    for (let j = 0; j < w; j++) {
      const base = (i * w + j) * d;
      for (let py = 0; py < p; py++)
        for (let px = 0; px < p; px++)
          for (let c = 0; c < C; c++) out[(c * H + i * p + py) * W + j * p + px] = t[base + (py * p + px) * C + c]!;
    }
  return out;
}
