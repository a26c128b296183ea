/**
 * The fixed sinusoidal tables of NOVA, computed in float32 the way the official code computes them
 * (diffnext/models/embeddings.py PosEmbed / VideoPosEmbed / MotionEmbed, diffusion_mlp.py
 * TimeCondEmbed). Every intermediate is rounded to float32 like the torch float32 tensors it stands for.
 */
const f32 = Math.fround;

/** 1 / 10000^(k/n) for k = 0..n-1 (float32 arange / n, float32 pow, float32 reciprocal). */
export function inverseFrequencies(n: number): Float32Array {
  const out = new Float32Array(n);
  for (let k = 0; k < n; k++) out[k] = f32(1 / f32(10000 ** f32(k / n)));
  return out;
}

/**
 * 2-D sin-cos position table (h·w, dim), row-major over the grid; columns
 * [sin(col·f), cos(col·f), sin(row·f), cos(row·f)], f = inverseFrequencies(dim/4).
 * (PosEmbed with the runtime grid equal to its base grid: coordinates are plain integers.)
 */
export function spaceEmbed(dim: number, h: number, w: number): Float32Array {
  const q = Math.floor(dim / 4);
  const freq = inverseFrequencies(q);
  const out = new Float32Array(h * w * dim);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const base = (i * w + j) * dim;
      for (let k = 0; k < q; k++) {
        const a = f32(j * freq[k]);
        const c = f32(i * freq[k]);
        out[base + k] = Math.sin(a);
        out[base + q + k] = Math.cos(a);
        out[base + 2 * q + k] = Math.sin(c);
        out[base + 3 * q + k] = Math.cos(c);
      }
    }
  }
  return out;
}

/** [sin(v·f), cos(v·f)] with f = inverseFrequencies(128): the 256-d input of the time/motion MLPs. */
export function sinCos256(v: number): Float32Array {
  const freq = inverseFrequencies(128);
  const out = new Float32Array(256);
  for (let k = 0; k < 128; k++) {
    const a = f32(f32(v) * freq[k]);
    out[k] = Math.sin(a);
    out[128 + k] = Math.cos(a);
  }
  return out;
}

/** VideoPosEmbed time positions for T latent frames: t / (T / base_t), float32. */
export function videoTimePositions(T: number, baseT: number): Float32Array {
  const out = new Float32Array(T);
  const div = f32(T / baseT);
  for (let t = 0; t < T; t++) out[t] = f32(t / div);
  return out;
}

/** (T, 256) sin-cos inputs of the temporal PE MLP. */
export function videoTimeSinCos(T: number, baseT: number): Float32Array {
  const pos = videoTimePositions(T, baseT);
  const out = new Float32Array(T * 256);
  for (let t = 0; t < T; t++) out.set(sinCos256(pos[t]), t * 256);
  return out;
}

/** DiffusionMLP timestep frequencies exp(j · (−ln 10000 / (dim/2))), j = 0..dim/2−1, float32. */
export function diffusionTimeFrequencies(freqDim = 256): Float32Array {
  const half = freqDim / 2;
  const step = f32(-9.210340371976184 / half);
  const out = new Float32Array(half);
  for (let j = 0; j < half; j++) out[j] = Math.exp(f32(j * step));
  return out;
}
