/**
 * VBench aesthetic_quality (vbench/aesthetic_quality.py @45e79ec, spec §6): every frame through
 * clip_transform(224), CLIP ViT-L/14 image embeddings (float32), L2-normalised, the LAION
 * aesthetic linear head, /10, the float32 mean over the video's frames; the dimension score is the
 * plain mean over videos.
 */
import type { Dimension, SampleRecord } from '../../core/contracts.ts';
import { defineDimension, type NoParams } from '../../core/define-dimension.ts';
import type { ModelHandle } from '../../runtime/model-handle.ts';
import { aestheticScores } from '../../metrics/aesthetic/model.ts';
import { embedFrameBatches } from '../../metrics/clip/model.ts';
import { loadVideoFrames } from './video-frames.ts';
import { GenbenchError } from '../../core/errors.ts';
import { prefetchVideoProbe } from '../../media/video-probe.ts';
import { aestheticQualityBefore } from './previous-settings.ts';

const f32 = Math.fround;
/**
 * Frames per ONNX run. The official code encodes chunks of 32; per-frame results do not depend on
 * the chunk size, and ViT-L/14 (257 tokens a frame) runs fastest on ONNX Runtime's CPU provider
 * with about a thousand token rows per run: on the full-size tower (2 cores, AVX-512) 4 frames a
 * run took 0.46 s a frame, 32 frames a run 0.58 s (the attention and MLP activations of 32 frames,
 * ~135 MB each, no longer fit in cache). bench/vbench-quality.ts --full measures it.
 */
const BATCH = 4;

/** `F.normalize` on one float32 row: x / max(‖x‖₂, 1e-12), result in float32. */
export function normalizeRowF32(x: Float32Array): Float32Array {
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += x[i]! * x[i]!;
  const n = f32(Math.max(f32(Math.sqrt(ss)), 1e-12));
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f32(x[i]! / n);
  return out;
}

/** Mean of the per-frame scores /10, as a float32 value (torch.mean on a float32 tensor). */
export function videoAesthetic(rawScores: readonly number[]): number {
  let s = 0;
  for (const v of rawScores) s += f32(v / 10);
  return f32(s / rawScores.length);
}

export const aestheticQuality = defineDimension<NoParams, ModelHandle>({
  id: 'aesthetic_quality',
  suite: 'vbench',
  models: ['clip-vit-l14-image', 'laion-aesthetic-vit-l14'],
  params: {},
  notes: {
    frames: 'all (load_video)',
    transform: 'clip_transform(224): torchvision Resize(224, bicubic, antialias=False) on float 0..255, CenterCrop(224), /255, CLIP mean/std',
    model: 'clip-vit-l14-image → L2 normalize (fp32) → laion-aesthetic-vit-l14; score / 10; float32 mean over frames',
    aggregate: 'mean over videos',
    official: 'Vchitect/VBench vbench/aesthetic_quality.py @45e79ec14e69a2187202c675d2dbce1a71843d53',
  },
  previousSettings: aestheticQualityBefore,
  prefetch: prefetchVideoProbe,
  scorer: () =>
    async function scoreSample(sample, ctx) {
      const clip = await ctx.models!.get('clip-vit-l14-image');
      const head = await ctx.models!.get('laion-aesthetic-vit-l14');
      const scores: number[] = [];
      for await (const b of embedFrameBatches(clip, (memory) => loadVideoFrames(sample.path, ctx.signal, memory), BATCH)) {
        const normed = new Float32Array(b.count * b.dim);
        for (let i = 0; i < b.count; i++) normed.set(normalizeRowF32(b.data.subarray(i * b.dim, (i + 1) * b.dim)), i * b.dim);
        for (const v of await aestheticScores(head, normed, b.count, b.dim)) scores.push(v);
      }
      if (scores.length === 0) throw new GenbenchError('E_DECODE', `${sample.path}: no frame could be read`, 'the file is empty, damaged or not a video');
      return { value: videoAesthetic(scores), extra: { frames: scores.length } };
    },
  /** The plain mean over videos (float64, in record order). */
  aggregate(records: readonly SampleRecord[]) {
    const v = records.filter((r) => r.ok && typeof r.value === 'number').map((r) => r.value as number);
    let s = 0;
    for (const x of v) s += x;
    return s / v.length;
  },
});

export function createAestheticQualityDimension(): Dimension<ModelHandle> {
  return aestheticQuality.create();
}
