import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrtVaeDecoder, ospTiles } from '../../src/generate/nova/networks/ort-vae.ts';
import { NOVA_TINY_DIR, type GoldenTensor, agreement, novaGolden } from '../helpers/nova-tiny.ts';

const TOL = 1e-4;

interface Sampled {
  shape: number[];
  sum: number;
  abs_sum: number;
  abs_max: number;
  every: number;
  values: number[];
}

/** Our (C, T, h, w) latents from the golden's (1, C, [T,] h, w). */
const latentsOf = (t: GoldenTensor) => Float32Array.from(t.data);

function compare(name: string, data: Float32Array, g: Sampled): void {
  const picked = Array.from({ length: g.values.length }, (_, i) => data[i * g.every]);
  const a = agreement(picked, g.values);
  let sum = 0;
  let absSum = 0;
  let absMax = 0;
  for (const v of data) {
    sum += v;
    absSum += Math.abs(v);
    absMax = Math.max(absMax, Math.abs(v));
  }
  console.log(`${name}: sampled max|Δ| ${a.maxAbs.toExponential(2)}, relative ${a.relative.toExponential(2)}; abs_sum ${absSum.toFixed(4)} vs ${g.abs_sum.toFixed(4)}`);
  assert.equal(data.length, g.shape.reduce((x, y) => x * y, 1));
  assert.ok(a.relative <= TOL, `${name}: relative ${a.relative}`);
  assert.ok(Math.abs(absSum - g.abs_sum) <= TOL * g.abs_sum, `${name}: abs_sum ${absSum} vs ${g.abs_sum}`);
  assert.ok(Math.abs(absMax - g.abs_max) <= TOL * g.abs_max, `${name}: abs_max ${absMax} vs ${g.abs_max}`);
  assert.ok(Math.abs(sum - g.sum) <= TOL * g.abs_sum, `${name}: sum ${sum} vs ${g.sum}`);
}

test('2-D AutoencoderKL decoder (unscale + shift, post_quant_conv, mid attention, nearest up, shortcut convs) matches decode_latents', async () => {
  const g = novaGolden.vae_kl;
  const [, , h, w] = g.latents.shape;
  const vae = OrtVaeDecoder.open(join(NOVA_TINY_DIR, 'vae-kl'), [h, w], { delivery: 'embed', outDir: mkdtempSync(join(tmpdir(), 'gb-vae-kl-')) });
  const out = await vae.vaeDecode({ latents: latentsOf(g.latents), frames: 1 });
  assert.deepEqual([out.frames, out.height, out.width], [1, 2 * h, 2 * w]);
  compare('vae kl', out.data, g.sample);
});

test('OSP tiling: tiles of 5 every 4 latent frames, complete tiles only (spec §4.9)', () => {
  assert.deepEqual(ospTiles(1), [{ start: 0, length: 1 }]);
  assert.deepEqual(ospTiles(5), [{ start: 0, length: 5 }]);
  assert.deepEqual(ospTiles(9), [{ start: 0, length: 5 }, { start: 4, length: 5 }]);
  assert.deepEqual(ospTiles(7), [{ start: 0, length: 5 }]);
  assert.deepEqual(ospTiles(13).map((t) => t.start), [0, 4, 8]);
});

test('Open-Sora-Plan causal 3-D VAE decoder (one tile and 9 tiled latent frames) matches decode_latents', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gb-vae-osp-'));
  cpSync(join(NOVA_TINY_DIR, 'vae-osp'), dir, { recursive: true });
  for (const [name, g] of Object.entries(novaGolden.vae_osp) as [string, { latents: GoldenTensor; sample: Sampled }][]) {
    const [, , T, h, w] = g.latents.shape;
    const vae = OrtVaeDecoder.open(dir, [h, w], { delivery: 'external' });
    const out = await vae.vaeDecode({ latents: latentsOf(g.latents), frames: T });
    assert.deepEqual([out.frames, out.height, out.width], g.sample.shape.slice(2));
    compare(`vae osp ${name}`, out.data, g.sample);
  }
});
