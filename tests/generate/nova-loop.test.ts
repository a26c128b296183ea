import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateLatents, generateSamples, type GenerationPlan, type SampleSpec } from '../../src/generate/nova/sampler/generate-sample.ts';
import type { NovaGeometry, TextFeatures } from '../../src/generate/nova/sampler/networks.ts';
import { tokenSets } from '../../src/generate/nova/sampler/mask-schedule.ts';
import { stepIds } from '../../src/generate/nova/sampler/token-order.ts';
import { patchify } from '../../src/generate/nova/sampler/patchify.ts';
import { makeSchedule } from '../../src/generate/nova/sampler/schedulers/make-schedule.ts';
import { parseSchedulerConfig } from '../../src/generate/nova/sampler/schedulers/scheduler-config.ts';
import { toUint8Value } from '../../src/generate/nova/sampler/to-uint8.ts';
import { philoxNoiseSource, type NoiseSource } from '../../src/generate/nova/rng/noise-source.ts';
import { findCheckpoint } from '../../src/generate/nova/checkpoints.ts';
import { resolveGenerationSettings } from '../../src/generate/nova/settings.ts';
import { isGenbenchError } from '../../src/core/errors.ts';
import { fakeNovaNetworks, NULL_TEXT, type FakeCalls } from './fake-nova-networks.ts';

const FLOW = parseSchedulerConfig({ _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift: 1.0 });
const DDPM = parseSchedulerConfig({ _class_name: 'DDPMScheduler', beta_schedule: 'squaredcos_cap_v2', num_train_timesteps: 1000, steps_offset: 1, clip_sample: false });

const geometry = (mixer: boolean): NovaGeometry => ({ latentChannels: 4, latentHeight: 4, latentWidth: 8, patchSize: 2, tokens: 8, temporalTokens: 2, width: 3, conditionTokens: 2, mixer });
const text = (v: number): TextFeatures => ({ features: new Float32Array(2560).fill(v), length: 1, truncated: false });
const newCalls = (): FakeCalls => ({ order: [], textRows: [], headRows: [], spatialKnown: [] });

function plan(over: Partial<GenerationPlan> & { K?: number; ddpm?: boolean } = {}): GenerationPlan {
  return {
    arSteps: 4,
    schedule: makeSchedule(over.ddpm ? DDPM : FLOW, over.K ?? 5),
    guidance: { scale: 7, trunc: 0, renorm: 1 },
    motionFlow: 5,
    latentFrames: 1,
    ...over,
  };
}

const samples: SampleSpec[] = [
  { key: 'test/0/0', prompt: text(3), negative: null },
  { key: 'test/1/0', prompt: text(5), negative: text(2) },
];

test('loop: call order, counts and shapes (image, flow matching, CFG)', async () => {
  const calls = newCalls();
  const net = fakeNovaNetworks(geometry(false), calls);
  const lat = await generateLatents(net, plan({ K: 5 }), samples, philoxNoiseSource(1337));
  const sets = tokenSets(8, 4);
  assert.deepEqual(sets, [1, 1, 3, 3]);
  assert.equal(lat.length, 2);
  assert.equal(lat[0]!.length, 4 * 1 * 4 * 8);
  const expected = ['textCondition', 'temporal:0', ...sets.flatMap(() => ['spatial', 'head', 'head', 'head', 'head', 'head']), 'release:1'];
  assert.deepEqual(calls.order, expected);
  // CFG batch order: [cond_0, cond_1, uncond_0, uncond_1]; a missing negative is the null buffer.
  assert.deepEqual(calls.textRows, [[3, 5, null, 2]]);
  assert.ok(calls.headRows.every((r) => r === 4));
  assert.deepEqual(calls.spatialKnown, [0, 1, 2, 5]);
});

test('loop: every token equals its start noise minus the guided velocity (closed form of the Euler steps)', async () => {
  const noise = philoxNoiseSource(99);
  const g = geometry(false);
  const scale = 7;
  const lat = await generateLatents(fakeNovaNetworks(g), plan({ K: 5 }), samples, noise);
  const sets = tokenSets(8, 4);
  const shape = { channels: 4, height: 4, width: 8, patch: 2 };
  const textVal = [[3, NULL_TEXT], [5, 2]];
  let checked = 0;
  samples.forEach((s, b) => {
    const ids = stepIds(noise.order(s.key, 8), sets);
    const out = patchify(lat[b]!, shape);
    let known = 0;
    sets.forEach((k, i) => {
      const x0 = patchify(noise.initialNoise(s.key, 0, i, 128), shape);
      const c = Math.fround(textVal[b]![0]! + 0.01 * known), u = Math.fround(textVal[b]![1]! + 0.01 * known);
      const guided = u + scale * (c - u); // Σ dt over the schedule = σ_K − σ_0 = −1
      for (const id of ids[i]!) for (let f = 0; f < 16; f++) {
        const want = x0[id * 16 + f]! - guided;
        assert.ok(Math.abs(out[id * 16 + f]! - want) <= 1e-5 * (Math.abs(guided) + 4), `sample ${b} set ${i} token ${id}: ${out[id * 16 + f]} vs ${want}`);
        checked++;
      }
      known += k;
    });
  });
  assert.equal(checked, 2 * 8 * 16);
});

test('loop: video with mixer — frame loop, KV cache threaded, previous frame fed back, VAE + uint8', async () => {
  const calls = newCalls();
  const net = fakeNovaNetworks(geometry(true), calls);
  const T = 3;
  const p = plan({ latentFrames: T, K: 2 });
  const out = await generateSamples(net, p, samples, philoxNoiseSource(5));
  const perFrame = tokenSets(8, 4).flatMap(() => ['spatial', 'head', 'head']);
  assert.deepEqual(calls.order, ['textCondition', 'temporal:0', ...perFrame, 'temporal:1', 'mixer', ...perFrame, 'temporal:2', 'mixer', ...perFrame, 'release:3', 'vae', 'vae']);
  assert.equal(out.length, 2);
  assert.equal(out[0]!.frames.length, T);
  // uint8 = truncation of tanh(latent)·127.5 + 127.5 (the fake VAE is tanh of channels 0..2).
  const lat = await generateLatents(fakeNovaNetworks(geometry(true)), p, samples, philoxNoiseSource(5));
  const hw = 32;
  for (let t = 0; t < T; t++) for (let i = 0; i < hw; i++) for (let c = 0; c < 3; c++) {
    assert.equal(out[1]!.frames[t]![i * 3 + c], toUint8Value(Math.fround(Math.tanh(lat[1]![(c * T + t) * hw + i]!))));
  }
});

test('loop: same seed → identical bytes; a sample does not depend on its batch; another seed differs', async () => {
  const run = async (seed: number, batch: SampleSpec[]) => generateLatents(fakeNovaNetworks(geometry(true)), plan({ latentFrames: 2, ddpm: true, K: 4 }), batch, philoxNoiseSource(seed));
  const a = await run(1337, samples);
  const b = await run(1337, samples);
  assert.deepEqual(Buffer.from(a[1]!.buffer), Buffer.from(b[1]!.buffer));
  const alone = await run(1337, [samples[1]!]);
  assert.deepEqual(Buffer.from(alone[0]!.buffer), Buffer.from(a[1]!.buffer));
  const other = await run(1338, samples);
  assert.notDeepEqual(Buffer.from(other[1]!.buffer), Buffer.from(a[1]!.buffer));
});

test('loop: DDPM draws scheduler noise at every t > 0; no CFG → B rows; guidance truncation halves rows', async () => {
  const counts = { order: 0, initial: 0, scheduler: 0 };
  const base = philoxNoiseSource(3);
  const counting: NoiseSource = {
    order: (k, n) => (counts.order++, base.order(k, n)),
    initialNoise: (k, f, s, n, pos) => (counts.initial++, base.initialNoise(k, f, s, n, pos)),
    schedulerNoise: (k, f, s, d, n, pos) => (counts.scheduler++, base.schedulerNoise(k, f, s, d, n, pos)),
  };
  const calls = newCalls();
  await generateLatents(fakeNovaNetworks(geometry(false), calls, { cfg: false }), plan({ ddpm: true, K: 4, guidance: { scale: 1, trunc: 0, renorm: 1 } }), samples, counting);
  assert.deepEqual(counts, { order: 2, initial: 2 * 4, scheduler: 2 * 4 * 4 });
  assert.deepEqual(calls.textRows, [[3, 5]]);
  assert.ok(calls.headRows.every((r) => r === 2));
  const calls2 = newCalls();
  // DDPM K=4: timesteps 751, 501, 251, 1; truncation at 400 → guidance for the first two only.
  await generateLatents(fakeNovaNetworks(geometry(false), calls2), plan({ ddpm: true, K: 4, guidance: { scale: 5, trunc: 400, renorm: 1 } }), samples, base);
  assert.deepEqual(calls2.headRows.slice(0, 4), [4, 4, 2, 2]);
});

test('loop with the NOVA evaluation defaults: 128 AR steps → 126 sets on the osp480 grid, 25 diffusion steps each', async () => {
  const ck = findCheckpoint('nova-osp480');
  const s = resolveGenerationSettings({ latentFrames: 1 }, ck, 'prompt');
  assert.equal(s.arSteps, 128);
  assert.equal(s.diffusionSteps, 25);
  const g: NovaGeometry = { latentChannels: 4, latentHeight: 60, latentWidth: 96, patchSize: 2, tokens: 1440, temporalTokens: 360, width: 2, conditionTokens: 2, mixer: true };
  const calls = newCalls();
  await generateLatents(fakeNovaNetworks(g, calls), {
    arSteps: s.arSteps, schedule: makeSchedule(FLOW, s.diffusionSteps), latentFrames: s.latentFrames,
    guidance: { scale: s.guidanceScale, trunc: s.guidanceTrunc, renorm: s.guidanceRenorm }, motionFlow: s.motionFlow!,
  }, [samples[0]!], philoxNoiseSource(s.seed));
  assert.equal(calls.order.filter((c) => c === 'spatial').length, 126);
  assert.equal(calls.order.filter((c) => c === 'head').length, 126 * 25);
  assert.equal(calls.order.filter((c) => c.startsWith('temporal')).length, 1);
  assert.equal(calls.spatialKnown.at(-1), 1440 - tokenSets(1440, 128).at(-1)!);
});

test('loop refuses a bad plan before calling any network', async () => {
  const calls = newCalls();
  const net = fakeNovaNetworks({ ...geometry(false), tokens: 9 }, calls);
  await assert.rejects(generateLatents(net, plan(), samples, philoxNoiseSource(1)), (e: unknown) => isGenbenchError(e, 'E_INPUT') && /tokens/.test((e as Error).message));
  await assert.rejects(generateLatents(fakeNovaNetworks(geometry(false), calls), plan({ guidance: { scale: 5, trunc: 0, renorm: 1, minScale: 1 } }), samples, philoxNoiseSource(1)), (e: unknown) => isGenbenchError(e, 'E_USAGE'));
  const { mixer: _m, ...noMixer } = fakeNovaNetworks(geometry(true), calls);
  await assert.rejects(generateLatents(noMixer, plan(), samples, philoxNoiseSource(1)), (e: unknown) => isGenbenchError(e, 'E_INPUT') && /mixer/.test((e as Error).message));
  assert.deepEqual(calls.order, []);
});
