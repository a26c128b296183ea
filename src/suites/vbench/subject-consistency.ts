/**
 * VBench subject_consistency (vbench/subject_consistency.py @45e79ec, spec §1): every frame
 * through dino_transform(224) (aspect ratio kept, no crop), DINO ViT-B/16 CLS features one frame
 * at a time, the consistency formula of consistency-math.ts, and Σ video_sim / Σ (T − 1).
 * The ONNX model interpolates its position embeddings for any input size as DINO does.
 */
import * as ort from 'onnxruntime-node';
import type { Dimension, SampleRecord } from '../../core/contracts.ts';
import type { ModelHandle } from '../../runtime/model-handle.ts';
import { aggregatePairWeighted, ConsistencyAccumulator } from './consistency-math.ts';
import { transformFrames } from './frame-transform-pool.ts';
import { loadVideoFrames, tooFewFrames } from './video-frames.ts';
import { prefetchVideoProbe } from '../../media/video-probe.ts';

export const SUBJECT_CONSISTENCY_SETTINGS = {
  frames: 'all (load_video)',
  transform: 'dino_transform(224): torchvision Resize(224, bilinear, antialias=False) on float 0..255, /255, ImageNet mean/std',
  model: 'dino-vitb16 (CLS after the final norm), one frame per run',
  aggregate: 'sum of video_sim / sum of (T - 1) (single-process official formula)',
  official: 'Vchitect/VBench vbench/subject_consistency.py @45e79ec14e69a2187202c675d2dbce1a71843d53',
} as const;

export function pairWeightedAggregate(records: readonly SampleRecord[]): number {
  return aggregatePairWeighted(
    records
      .filter((r) => r.ok && typeof r.value === 'number')
      .map((r) => ({ videoSim: Number(r.extra?.['video_sim']), pairs: Number(r.extra?.['cnt_per_video']) })),
  );
}

export function createSubjectConsistencyDimension(): Dimension<ModelHandle> {
  return {
    id: 'subject_consistency',
    suite: 'vbench',
    prefetch: prefetchVideoProbe,
    models: ['dino-vitb16'],
    settings: { ...SUBJECT_CONSISTENCY_SETTINGS },
    async scoreSample(sample, ctx) {
      const model = await ctx.models!.get('dino-vitb16');
      const acc = new ConsistencyAccumulator('none');
      for await (const x of transformFrames(loadVideoFrames(sample.path, ctx.signal), 'dino')) {
        const out = await model.session.run({ pixel_values: new ort.Tensor('float32', x.data, [1, 3, x.height, x.width]) });
        acc.add(out['features']!.data as Float32Array);
      }
      if (acc.frames < 2) throw tooFewFrames(sample.path, acc.frames, 'subject_consistency');
      return { value: acc.score(), extra: { video_sim: acc.videoSim, cnt_per_video: acc.pairs, frames: acc.frames } };
    },
    aggregate: pairWeightedAggregate,
  };
}
