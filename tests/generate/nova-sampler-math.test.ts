import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskSchedule, tokenSets } from '../../src/generate/nova/sampler/mask-schedule.ts';
import { predictionMask, stepIds } from '../../src/generate/nova/sampler/token-order.ts';
import { patchify, unpatchify } from '../../src/generate/nova/sampler/patchify.ts';
import { alphasCumprod, ddpmBetas, ddpmSchedule, ddpmTimesteps } from '../../src/generate/nova/sampler/schedulers/ddpm.ts';
import { flowMatchSchedule, flowSigmaRange, flowSigmas } from '../../src/generate/nova/sampler/schedulers/flow-match-euler.ts';
import { DdpmConfigSchema, FlowMatchConfigSchema, parseSchedulerConfig } from '../../src/generate/nova/sampler/schedulers/scheduler-config.ts';
import { combineGuidance, guidanceScaleAt, truncatedAt } from '../../src/generate/nova/sampler/guidance.ts';
import { denoiseSet } from '../../src/generate/nova/sampler/denoise.ts';
import { imageToRgb, toUint8Value, videoToRgbFrames } from '../../src/generate/nova/sampler/to-uint8.ts';
import { isGenbenchError } from '../../src/core/errors.ts';
import { maxRelDiff, novaGolden as G } from './nova-golden.ts';

const F = (a: number[]) => Float32Array.from(a);
const worst: Record<string, number> = {};
const note = (k: string, v: number) => { worst[k] = Math.max(worst[k] ?? 0, v); };

test('mask schedule equals the official pipeline (numpy round-half-even) for every case', () => {
  for (const c of G.mask_schedule) {
    const n = c.base[0] * c.base[1];
    assert.deepEqual(maskSchedule(n, c.steps), c.num_preds, `N=${n} S=${c.steps}`);
    assert.equal(tokenSets(n, c.steps).reduce((a: number, b: number) => a + b, 0), n);
  }
  // Spec §4.2 examples: N=1440,S=64 → 63 sets starting 2,2,3,4; N=4096,S=64 → 64 sets starting 1,4,6,9.
  assert.deepEqual(tokenSets(1440, 64).slice(0, 4), [2, 2, 3, 4]);
  assert.equal(tokenSets(1440, 64).length, 63);
  assert.deepEqual(tokenSets(4096, 64).slice(0, 4), [1, 4, 6, 9]);
  assert.equal(tokenSets(1440, 128).length, 126);
});

test('set ids and prediction masks equal MaskEmbed.get_pred_mask', () => {
  const { order, steps } = G.pred_sets;
  const sizes = steps.map((s: { k: number }) => s.k);
  order.forEach((o: number[], b: number) => {
    const ids = stepIds(Int32Array.from(o), [...sizes, o.length - sizes.reduce((x: number, y: number) => x + y, 0)]);
    const known = new Uint8Array(o.length).fill(1);
    steps.forEach((s: { pred_ids: number[][]; pred_mask: number[][]; mask_after: number[][] }, i: number) => {
      assert.deepEqual(Array.from(ids[i]!), s.pred_ids[b]);
      const m = predictionMask(ids[i]!, o.length);
      assert.deepEqual(Array.from(m), s.pred_mask[b]);
      m.forEach((v, j) => { if (v) known[j] = 0; });
      assert.deepEqual(Array.from(known), s.mask_after[b]);
    });
  });
});

test('patchify/unpatchify: [py][px][c] feature order, row-major tokens, exact inverse', () => {
  const s = { channels: 4, height: 4, width: 6, patch: 2 };
  const x = Float32Array.from({ length: 96 }, (_, i) => i);
  const t = patchify(x, s);
  // token (row 1, col 2) = index 1·3+2 = 5; feature (py=1, px=0, c=3) = (1·2+0)·4+3 = 11 → x[c=3, y=3, x=4]
  assert.equal(t[5 * 16 + 11], x[(3 * 4 + 3) * 6 + 4]);
  assert.deepEqual(unpatchify(t, s), x);
});

test('DDPM: betas, alphas_cumprod, timesteps and step() equal diffusers', () => {
  for (const e of G.ddpm) {
    const cfg = DdpmConfigSchema.parse({ _class_name: 'DDPMScheduler', ...e.config });
    assert.deepEqual(ddpmTimesteps(cfg, e.K), e.timesteps, `${JSON.stringify(e.config)} K=${e.K}`);
    if (e.alphas_cumprod && cfg.beta_schedule === 'squaredcos_cap_v2') {
      assert.deepEqual(Array.from(ddpmBetas(cfg)), e.betas, 'betas bit-identical');
      assert.deepEqual(Array.from(alphasCumprod(ddpmBetas(cfg))), e.alphas_cumprod, 'alphas_cumprod bit-identical');
    }
    const betas = F(G.ddpm.find((g: { config: object; alphas_cumprod?: number[] }) => JSON.stringify(g.config) === JSON.stringify(e.config) && g.alphas_cumprod).betas);
    const sched = ddpmSchedule(cfg, e.K, betas);
    for (const st of e.steps) {
      const j = e.timesteps.indexOf(st.t);
      assert.equal(sched.drawsNoise(j), st.t > 0);
      const y = sched.step(j, F(st.model_output), F(st.x), F(st.noise));
      const r = maxRelDiff(y, st.prev);
      note('ddpm step', r);
      assert.ok(r <= 1e-6, `DDPM ${JSON.stringify(e.config)} K=${e.K} t=${st.t}: rel ${r}`);
    }
  }
});

test('flow matching: sigma range, sigmas, timesteps and step() equal diffusers', () => {
  for (const e of G.flow) {
    const cfg = FlowMatchConfigSchema.parse({ _class_name: 'FlowMatchEulerDiscreteScheduler', shift: e.shift });
    const range = flowSigmaRange(cfg);
    assert.equal(range.sigmaMin, e.sigma_min);
    assert.equal(range.sigmaMax, e.sigma_max);
    const { sigmas, timesteps } = flowSigmas(cfg, e.K, e.set_shift ?? undefined);
    assert.deepEqual(sigmas, e.sigmas, `sigmas shift=${e.shift}/${e.set_shift} K=${e.K}`);
    assert.deepEqual(timesteps, e.timesteps, 'timesteps');
    const sched = flowMatchSchedule(cfg, e.K, e.set_shift ?? undefined);
    for (const st of e.steps) {
      const y = sched.step(st.index, F(st.model_output), F(st.x));
      const r = maxRelDiff(y, st.prev);
      note('flow step', r);
      assert.ok(r <= 1e-6, `flow step ${st.index}: rel ${r}`);
    }
  }
  // Spec §4.5: K=25 → σ = 1, 0.958375, …, 0.001 then 0; timesteps 1000 … 1.
  const s = flowSigmas(FlowMatchConfigSchema.parse({ _class_name: 'FlowMatchEulerDiscreteScheduler' }), 25);
  assert.equal(s.sigmas.length, 26);
  assert.equal(s.sigmas[25], 0);
  assert.equal(s.timesteps[0], 1000);
  assert.equal(s.timesteps[24], Math.fround(1));
  assert.equal(s.sigmas[1], Math.fround(0.958375));
});

test('GuidanceScaler: scale/renorm, decay and truncation equal the official class', () => {
  for (const c of G.guidance.scale) {
    const [rows, n, d] = c.shape;
    const kw = c.kwargs;
    const scale = kw.guidance_scale;
    if (scale <= 1) continue; // the official scale() returns the input unchanged (the loop never combines then)
    const y = combineGuidance(F(c.input), rows, n * d, scale, kw.guidance_renorm ?? 1);
    const r = maxRelDiff(y, c.output);
    note('cfg', r);
    assert.ok(r <= 1e-6, `cfg ${JSON.stringify(kw)}: rel ${r}`);
  }
  for (const c of G.guidance.decay) {
    const g = { scale: c.kwargs.guidance_scale, trunc: 0, renorm: 1, minScale: c.kwargs.min_guidance_scale };
    assert.deepEqual(Array.from({ length: c.n }, (_, i) => guidanceScaleAt(g, i, c.n)), c.scales);
  }
  for (const c of G.guidance.trunc) {
    const off = truncatedAt({ scale: 5, trunc: 500, renorm: 1 }, 5, c.t);
    assert.equal(off, c.scale_after === 1, `t=${c.t}`);
  }
});

test('token-wise diffusion loop equals Transformer3DModel.denoise (stand-in head, both schedulers, CFG/renorm/trunc/no CFG)', async () => {
  const ddpmCfg = parseSchedulerConfig({ _class_name: 'DDPMScheduler', beta_schedule: 'squaredcos_cap_v2', num_train_timesteps: 1000, steps_offset: 1, clip_sample: false, set_alpha_to_one: false });
  const flowCfg = parseSchedulerConfig({ _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift: 1.0 });
  for (const c of G.denoise) {
    const shape = { channels: 4, height: c.h, width: c.w, patch: 2 };
    const n = (c.h / 2) * (c.w / 2), D = c.z_shape[2], B = c.B, k = c.ids[0].length;
    const gk = c.guidance;
    const guidance = { scale: gk.guidance_scale, trunc: gk.guidance_trunc ?? 0, renorm: gk.guidance_renorm ?? 1 };
    const schedule = c.kind === 'ddpm' ? ddpmSchedule(ddpmCfg as never, c.K) : flowMatchSchedule(flowCfg as never, c.K);
    const zFull = F(c.z);
    const rowsZ = c.z_shape[0];
    const ids: Int32Array[] = c.ids.map((i: number[]) => Int32Array.from(i));
    const cond = new Float32Array(rowsZ * k * D);
    for (let r = 0; r < rowsZ; r++) for (let q = 0; q < k; q++) cond.set(zFull.subarray((r * n + ids[r % B]![q]!) * D, (r * n + ids[r % B]![q]!) * D + D), (r * k + q) * D);
    const CHW = 4 * c.h * c.w;
    const start = Array.from({ length: B }, (_, b) => F(c.x.slice(b * CHW, (b + 1) * CHW)));
    const calls: number[] = [];
    const f = Math.fround;
    const input = {
      schedule, guidance, scale: guidance.scale, shape, start, ids, condition: cond, conditionDim: D,
      head: async ({ rows, count, tokens, timestep, condition }: { rows: number; count: number; tokens: Float32Array; timestep: number; condition: Float32Array }) => {
        calls.push(rows);
        const out = new Float32Array(rows * count * 16);
        const tt = f(f(timestep) / 1000);
        for (let r = 0; r < rows * count; r++) for (let i = 0; i < 16; i++) out[r * 16 + i] = f(f(f(tokens[r * 16 + i]! * 0.5) + f(condition[r * D + i]! * 0.25)) + f(tt * 0.125));
        return out;
      },
      noise: (b: number, j: number, pos?: Int32Array) => {
        const full = F(c.noises[j].slice(b * CHW, (b + 1) * CHW));
        return pos ? Float32Array.from(pos, (q) => full[q]!) : full;
      },
    };
    const res = await denoiseSet(input, { dense: true });
    const flat = new Float32Array(B * n * 16);
    res.grid!.forEach((r, b) => flat.set(r, b * n * 16));
    const r = maxRelDiff(flat, c.result);
    note(`denoise ${c.kind} (whole grid)`, r);
    assert.ok(r <= 1e-6, `${c.kind} ${JSON.stringify(gk)}: rel ${r}`);
    // The default path carries only the set's tokens: identical values there.
    const sparse = await denoiseSet(input);
    res.tokens.forEach((t, b) => assert.deepEqual(sparse.tokens[b], t, `${c.kind} ${JSON.stringify(gk)} sparse = dense at the set's tokens`));
    const atIds = new Float32Array(B * k * 16), want: number[] = [];
    sparse.tokens.forEach((t, b) => { atIds.set(t, b * k * 16); for (const id of ids[b]!) want.push(...c.result.slice((b * n + id) * 16, (b * n + id + 1) * 16)); });
    note(`denoise ${c.kind} (set tokens)`, maxRelDiff(atIds, want));
    if (gk.guidance_trunc) assert.ok(calls.includes(B) && calls.includes(2 * B), 'truncation halves the head batch part-way');
  }
});

test('uint8 conversion equals pt_to_numpy (truncation, clamping, channels last)', () => {
  const im = G.uint8.image;
  const [Bi, , H, W] = im.shape;
  const per = 3 * H * W;
  const got: number[] = [];
  for (let b = 0; b < Bi; b++) got.push(...imageToRgb(F(im.input.slice(b * per, (b + 1) * per)), H, W));
  assert.deepEqual(got, im.output);
  const v = G.uint8.video;
  const [, , T, Hv, Wv] = v.shape;
  const frames = videoToRgbFrames(F(v.input), T, Hv, Wv);
  assert.deepEqual(frames.flatMap((fr) => Array.from(fr)), v.output);
  assert.equal(toUint8Value(1), 255);
  assert.equal(toUint8Value(-1), 0);
  assert.equal(toUint8Value(0), 127); // 127.5 truncates
  assert.equal(toUint8Value(Number.NaN), 0);
});

test('scheduler config: defaults, refusals by name', () => {
  const d = parseSchedulerConfig({ _class_name: 'DDPMScheduler', beta_schedule: 'squaredcos_cap_v2' });
  assert.equal(d._class_name === 'DDPMScheduler' && d.clip_sample, true, 'diffusers default clip_sample=true');
  const bad = (j: object, re: RegExp) => assert.throws(() => parseSchedulerConfig(j), (e: unknown) => isGenbenchError(e, 'E_INPUT') && re.test((e as Error).message));
  bad({ _class_name: 'EulerDiscreteScheduler' }, /_class_name/);
  bad({ _class_name: 'DDPMScheduler', beta_schedule: 'squaredcos_cap_v2', thresholding: true }, /thresholding/);
  bad({ _class_name: 'DDPMScheduler', beta_schedule: 'linear' }, /beta_schedule/);
  bad({ _class_name: 'FlowMatchEulerDiscreteScheduler', use_dynamic_shifting: true }, /use_dynamic_shifting/);
  bad({ _class_name: 'DDPMScheduler', num_train_timesteps: -3 }, /num_train_timesteps/);
});

test.after(() => {
  console.log(`nova sampler worst relative differences vs official: ${JSON.stringify(worst)}`);
});
