/**
 * Whole generations with genbench's ONNX networks (tiny checkpoint tests/fixtures/nova-tiny) driven
 * by the sampler, against the OFFICIAL NOVATransformer3DModel forward (tests/golden/nova-pipeline.json,
 * tools/parity/nova_pipeline_golden.py) with the official run's random draws replayed: a 2-frame
 * video (DDPM, CFG), an image from the video checkpoint (flow matching, CFG) and an image from a T2I
 * checkpoint (no motion tokens, no mixer; DDPM, CFG). Tolerance 1e-3 on latents (issue #6).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openNovaNetworks } from '../../src/generate/nova/networks/ort-networks.ts';
import { generateLatents } from '../../src/generate/nova/sampler/generate-sample.ts';
import { tokenSets } from '../../src/generate/nova/sampler/mask-schedule.ts';
import { makeSchedule } from '../../src/generate/nova/sampler/schedulers/make-schedule.ts';
import { parseSchedulerConfig } from '../../src/generate/nova/sampler/schedulers/scheduler-config.ts';
import { noisePurpose, recordedNoiseSource } from '../../src/generate/nova/rng/noise-source.ts';
import { NOVA_TINY_DIR } from '../helpers/nova-tiny.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const G: any = JSON.parse(readFileSync(new URL('../golden/nova-pipeline.json', import.meta.url), 'utf8'));
const F = (a: number[]) => Float32Array.from(a);

for (const c of G.cases) {
  test(`whole generation over the ONNX networks equals the official model: ${c.name}`, async () => {
    const net = await openNovaNetworks({ transformer: join(NOVA_TINY_DIR, c.transformer) }, { delivery: 'embed', outDir: mkdtempSync(join(tmpdir(), 'gb-nova-pipe-')) });
    const g = net.geometry;
    const N = g.tokens;
    const CHW = g.latentChannels * g.latentHeight * g.latentWidth;
    const sets = tokenSets(N, c.S).length;
    assert.equal(sets, c.sets);
    const key = 'golden/0';
    const orders = new Map<string, Int32Array>([[noisePurpose.order(key), Int32Array.from(c.orders[0])]]);
    const normals = new Map<string, Float32Array>();
    for (let t = 0; t < c.T; t++) {
      for (let i = 0; i < sets; i++) {
        normals.set(noisePurpose.initial(key, t, i), F(c.initial_noise[t * sets + i]));
        if (c.sched === 'ddpm') for (let j = 0; j < c.K; j++) normals.set(noisePurpose.scheduler(key, t, i, j), F(c.scheduler_noise[(t * sets + i) * c.K + j]));
      }
    }
    const sched = c.sched === 'ddpm'
      ? parseSchedulerConfig({ _class_name: 'DDPMScheduler', ...c.ddpm_config })
      : parseSchedulerConfig({ _class_name: 'FlowMatchEulerDiscreteScheduler', num_train_timesteps: 1000, shift: 1 });
    const [lat] = await generateLatents(
      net,
      { arSteps: c.S, schedule: makeSchedule(sched, c.K), guidance: { scale: c.guidance.guidance_scale, trunc: 0, renorm: 1 }, motionFlow: c.motion_flow, latentFrames: c.T },
      [{ key, prompt: { features: F(c.text_features), length: c.text_length, truncated: false }, negative: null }],
      recordedNoiseSource({ orders, normals }),
    );
    assert.equal(lat.length, CHW * c.T);
    let worst = 0;
    let maxAbs = 0;
    for (let i = 0; i < lat.length; i++) {
      const d = Math.abs(lat[i] - c.latents[i]);
      maxAbs = Math.max(maxAbs, d);
      worst = Math.max(worst, d / Math.max(1, Math.abs(c.latents[i])));
    }
    console.log(`${c.name}: max|Δ| ${maxAbs.toExponential(2)}, |Δ|/max(1,|ref|) ${worst.toExponential(2)} over ${lat.length} latent values`);
    assert.ok(worst <= 1e-3, `${c.name}: ${worst}`);
  });
}
