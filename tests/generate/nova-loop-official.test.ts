/**
 * The sampler's orchestration against the OFFICIAL generate_video / generate_frame / denoise
 * (tests/golden/nova-loop.json, made by tools/parity/nova_loop_golden.py): the same stand-in
 * networks on both sides (defined in that script's docstring), the official run's random draws
 * replayed through recordedNoiseSource, whole latents compared. This checks what the unit goldens
 * cannot: which mask the spatial step sees, that the order is drawn once and reused per frame, the
 * previous-frame feedback, the mixer's anchor, CFG row order, truncation/renorm inside a full run,
 * zero-size sets skipped, and the latent layout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateLatents } from '../../src/generate/nova/sampler/generate-sample.ts';
import type { NovaGeometry, NovaNetworks, TextFeatures } from '../../src/generate/nova/sampler/networks.ts';
import { makeSchedule } from '../../src/generate/nova/sampler/schedulers/make-schedule.ts';
import { parseSchedulerConfig } from '../../src/generate/nova/sampler/schedulers/scheduler-config.ts';
import { noisePurpose, recordedNoiseSource } from '../../src/generate/nova/rng/noise-source.ts';
import { tokenSets } from '../../src/generate/nova/sampler/mask-schedule.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const G: any = JSON.parse(readFileSync(new URL('../golden/nova-loop.json', import.meta.url), 'utf8'));
const F = (a: number[]) => Float32Array.from(a);
const f = Math.fround;
const { B, H, W, D, LC } = G;
const C = 4;
const Wt = { tw: F(G.weights.temporal_conv.weight), tb: F(G.weights.temporal_conv.bias), sw: F(G.weights.spatial_conv.weight), sb: F(G.weights.spatial_conv.bias), bos: F(G.weights.bos), mask: F(G.weights.mask_token) };

/** PatchEmbed: Conv2d(C → D, kernel = stride = p) over one CHW canvas → (tokens, D). */
function conv(x: Float32Array, w: Float32Array, b: Float32Array, p: number): Float32Array {
  const h = H / p, wd = W / p;
  const out = new Float32Array(h * wd * D);
  for (let i = 0; i < h; i++) for (let j = 0; j < wd; j++) for (let o = 0; o < D; o++) {
    let s = b[o]!;
    for (let c = 0; c < C; c++) for (let py = 0; py < p; py++) for (let px = 0; px < p; px++) s += w[((o * C + c) * p + py) * p + px]! * x[(c * H + i * p + py) * W + j * p + px]!;
    out[(i * wd + j) * D + o] = s;
  }
  return out;
}

function mirrorNetworks(geometry: NovaGeometry, text: Float32Array): NovaNetworks<Float32Array> {
  const M = geometry.temporalTokens, N = geometry.tokens, CHW = C * H * W;
  return {
    geometry,
    encodeText: async () => { throw new Error('not used'); },
    async textCondition({ rows }) {
      assert.equal(rows.length * LC * D, text.length);
      return text;
    },
    async temporalStep({ frame, rows, previous, text: t0, cache }) {
      const c = new Float32Array(rows * M * D);
      for (let r = 0; r < rows; r++) {
        const tok = previous ? conv(previous.subarray(r * CHW, (r + 1) * CHW), Wt.tw, Wt.tb, 4) : null;
        for (let m = 0; m < M; m++) for (let d = 0; d < D; d++) c[(r * M + m) * D + d] = tok ? tok[m * D + d]! : Wt.bos[d]!;
      }
      for (let i = 0; i < c.length; i++) c[i] = f(c[i]! + f(f(f(f(0.1) * (frame + 1)) * (i % D)) / D));
      const mean = cache ?? (() => {
        const m = new Float32Array(rows * D);
        for (let r = 0; r < rows; r++) for (let d = 0; d < D; d++) { let s = 0; for (let l = 0; l < LC; l++) s = f(s + t0![(r * LC + l) * D + d]!); m[r * D + d] = f(s / LC); }
        return m;
      })();
      const out = c.map((v, i) => f(f(0.5 * v) + mean[Math.floor(i / (M * D)) * D + (i % D)]!));
      return { output: out, cache: mean };
    },
    async mixer({ anchor, current }) {
      return anchor.map((a, i) => f(a + f(0.5 * current[i]!)));
    },
    async spatialStep({ rows, canvas, unknown, condition, query, count }) {
      const out = new Float32Array(rows * count * D);
      for (let r = 0; r < rows; r++) {
        const z = conv(canvas.subarray(r * CHW, (r + 1) * CHW), Wt.sw, Wt.sb, 2);
        let known = 0;
        for (let n = 0; n < N; n++) known += 1 - unknown[r * N + n]!;
        for (let q = 0; q < count; q++) {
          const id = query[r * count + q]!;
          for (let d = 0; d < D; d++) {
            const e = unknown[r * N + id] ? Wt.mask[d]! : z[id * D + d]!;
            let s = 0;
            for (let m = 0; m < M; m++) s = f(s + condition[(r * M + m) * D + d]!);
            out[(r * count + q) * D + d] = f(f(e + f(s / M)) + f(0.01 * known));
          }
        }
      }
      return out;
    },
    async diffusionHead({ rows, count, tokens, timestep, condition }) {
      const out = new Float32Array(rows * count * 16);
      const tt = f(f(timestep) / 1000);
      for (let r = 0; r < rows * count; r++) for (let i = 0; i < 16; i++) out[r * 16 + i] = f(f(f(tokens[r * 16 + i]! * 0.5) + f(condition[r * D + i]! * 0.25)) + f(tt * 0.125));
      return out;
    },
    vaeDecode: async () => { throw new Error('not used'); },
  };
}

for (const c of G.cases) {
  test(`whole generation loop equals the official generate_video: ${c.name}`, async () => {
    const N = (H / 2) * (W / 2), CHW = C * H * W;
    const geometry: NovaGeometry = { latentChannels: C, latentHeight: H, latentWidth: W, patchSize: 2, tokens: N, temporalTokens: (H / 4) * (W / 4), width: D, conditionTokens: LC, mixer: c.mixer };
    const keys = Array.from({ length: B }, (_, b) => `golden/${b}`);
    const sets = tokenSets(N, c.S).length;
    assert.equal(sets, c.sets);
    const orders = new Map<string, Int32Array>(), normals = new Map<string, Float32Array>();
    keys.forEach((k, b) => {
      orders.set(noisePurpose.order(k), Int32Array.from(c.orders[b]));
      for (let t = 0; t < c.T; t++) for (let i = 0; i < sets; i++) {
        normals.set(noisePurpose.initial(k, t, i), F(c.initial_noise[t * sets + i].slice(b * CHW, (b + 1) * CHW)));
        for (let j = 0; j < c.scheduler_noise.length / (c.T * sets); j++) normals.set(noisePurpose.scheduler(k, t, i, j), F(c.scheduler_noise[(t * sets + i) * c.K + j].slice(b * CHW, (b + 1) * CHW)));
      }
    });
    const sched = c.sched === 'ddpm'
      ? parseSchedulerConfig({ _class_name: 'DDPMScheduler', ...c.ddpm_config })
      : parseSchedulerConfig({ _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift: 1 });
    const g = c.guidance;
    const dummy: TextFeatures = { features: new Float32Array(0), length: 0, truncated: false };
    const lat = await generateLatents(
      mirrorNetworks(geometry, F(c.text)),
      { arSteps: c.S, schedule: makeSchedule(sched, c.K), guidance: { scale: g.guidance_scale, trunc: g.guidance_trunc ?? 0, renorm: g.guidance_renorm ?? 1 }, motionFlow: 5, latentFrames: c.T },
      keys.map((key) => ({ key, prompt: dummy, negative: null })),
      recordedNoiseSource({ orders, normals }),
    );
    let worst = 0;
    const per = C * c.T * H * W;
    lat.forEach((l, b) => {
      for (let i = 0; i < per; i++) worst = Math.max(worst, Math.abs(l[i]! - c.latents[b * per + i]) / Math.max(1, Math.abs(c.latents[b * per + i])));
    });
    console.log(`${c.name}: worst |Δ|/max(1,|ref|) = ${worst.toExponential(2)} over ${B}×${per} latent values`);
    assert.ok(worst <= 1e-5, `${c.name}: ${worst}`);
  });
}
