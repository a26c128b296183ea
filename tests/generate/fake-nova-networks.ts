/**
 * A tiny pure-TypeScript stand-in for NovaNetworks whose outputs are simple known functions, and
 * which checks the sampler's calling conventions as it is called (CFG halves identical where they
 * must be — pass cfg: false for runs without guidance — canvas zero where tokens are unknown, cache threaded through, shapes):
 *   textCondition: row r → every value = features[0] of its prompt, NULL_TEXT for the empty prompt;
 *   temporalStep:  output = (row's text value) + 100·t;  mixer: anchor + 0.001·current;
 *   spatialStep:   z = (first condition value of the row) + 0.01·(tokens already known);
 *   diffusionHead: every output = the row's first condition value (so g = u + s(c − u) per set);
 *   vaeDecode:     channels 0..2 of the latents through tanh (no upsampling).
 */
import type { NovaGeometry, NovaNetworks, TextFeatures } from '../../src/generate/nova/sampler/networks.ts';

export const NULL_TEXT = 0.5;

export interface FakeCalls {
  order: string[];
  textRows: (number | null)[][];
  headRows: number[];
  spatialKnown: number[];
}

interface FakeCache { values: number[]; frames: number }

export function fakeNovaNetworks(geometry: NovaGeometry, calls: FakeCalls = { order: [], textRows: [], headRows: [], spatialKnown: [] }, opts: { cfg?: boolean } = {}): NovaNetworks<FakeCache> & { calls: FakeCalls } {
  const { latentChannels: C, latentHeight: H, latentWidth: W, tokens: N, temporalTokens: M, width: D, conditionTokens: Lc } = geometry;
  const CHW = C * H * W;
  const fail = (m: string): never => { throw new Error(`fake networks: ${m}`); };
  const halvesEqual = (a: ArrayLike<number>, rows: number, what: string) => {
    if (opts.cfg === false || rows % 2) return;
    const size = a.length / rows;
    for (let i = 0; i < (a.length / 2); i++) if (a[i] !== a[i + (rows / 2) * size]) fail(`${what}: cond and uncond halves differ`);
  };
  let lastCache: FakeCache | null = null;
  return {
    geometry,
    calls,
    async encodeText(prompts) {
      calls.order.push('encodeText');
      return prompts.map((p) => ({ features: Float32Array.from({ length: 2560 }, () => p.length), length: 1, truncated: false }));
    },
    async textCondition({ rows }) {
      calls.order.push('textCondition');
      calls.textRows.push(rows.map((r: TextFeatures | null) => (r ? r.features[0]! : null)));
      const out = new Float32Array(rows.length * Lc * D);
      rows.forEach((r, i) => out.fill(r ? r.features[0]! : NULL_TEXT, i * Lc * D, (i + 1) * Lc * D));
      return out;
    },
    async temporalStep({ frame, rows, previous, text, cache }) {
      calls.order.push(`temporal:${frame}`);
      if (frame === 0 ? text === null || cache !== null || previous !== null : text !== null || cache !== lastCache || previous === null) fail(`frame ${frame}: wrong text/cache/previous`);
      if (previous) {
        if (previous.length !== rows * CHW) fail('previous has the wrong size');
        halvesEqual(previous, rows, 'previous frame');
      }
      const values = frame === 0 ? Array.from({ length: rows }, (_, r) => text![r * Lc * D]!) : cache!.values;
      const out = new Float32Array(rows * M * D);
      values.forEach((v, r) => out.fill(v + 100 * frame, r * M * D, (r + 1) * M * D));
      lastCache = { values, frames: frame + 1 };
      return { output: out, cache: lastCache };
    },
    async mixer({ rows, anchor, current }) {
      calls.order.push('mixer');
      if (anchor.length !== rows * M * D || current.length !== rows * M * D) fail('mixer sizes');
      return anchor.map((a, i) => a + 0.001 * current[i]!);
    },
    async spatialStep({ rows, canvas, unknown, condition, query, count }) {
      calls.order.push('spatial');
      if (canvas.length !== rows * CHW || unknown.length !== rows * N || condition.length !== rows * M * D || query.length !== rows * count) fail('spatial sizes');
      halvesEqual(canvas, rows, 'canvas');
      halvesEqual(unknown, rows, 'unknown mask');
      halvesEqual(query, rows, 'query ids');
      const out = new Float32Array(rows * count * D);
      for (let r = 0; r < rows; r++) {
        let known = 0;
        for (let n = 0; n < N; n++) known += 1 - unknown[r * N + n]!;
        for (let q = 0; q < count; q++) if (!unknown[r * N + query[r * count + q]!]) fail('a queried token is already known');
        if (r === 0) calls.spatialKnown.push(known);
        out.fill(condition[r * M * D]! + 0.01 * known, r * count * D, (r + 1) * count * D);
      }
      return out;
    },
    async diffusionHead({ rows, count, tokens, timestep, condition }) {
      calls.order.push('head');
      calls.headRows.push(rows);
      if (tokens.length !== rows * count * 16 || condition.length !== rows * count * D || !Number.isFinite(timestep)) fail('head sizes');
      const out = new Float32Array(rows * count * 16);
      for (let r = 0; r < rows; r++) out.fill(condition[r * count * D]!, r * count * 16, (r + 1) * count * 16);
      return out;
    },
    async vaeDecode({ latents, frames }) {
      calls.order.push('vae');
      const hw = H * W;
      const out = new Float32Array(3 * frames * hw);
      for (let c = 0; c < 3; c++) for (let i = 0; i < frames * hw; i++) out[c * frames * hw + i] = Math.tanh(latents[c * frames * hw + i]!);
      return { data: out, frames, height: H, width: W };
    },
    releaseCache(c) {
      calls.order.push(`release:${c.frames}`);
    },
  };
}
