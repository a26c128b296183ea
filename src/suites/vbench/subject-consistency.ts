/**
 * VBench subject_consistency (vbench/subject_consistency.py @45e79ec, spec §1): every frame
 * through dino_transform(224) (aspect ratio kept, no crop), DINO ViT-B/16 CLS features one frame
 * at a time, the consistency formula of consistency-math.ts, and Σ video_sim / Σ (T − 1).
 * The ONNX model interpolates its position embeddings for any input size as DINO does.
 */
import type { Dimension, SampleRecord } from '../../core/contracts.ts';
import { defineDimension, type NoParams } from '../../core/define-dimension.ts';
import type { ModelHandle } from '../../runtime/model-handle.ts';
import { aggregatePairWeighted, ConsistencyAccumulator } from './consistency-math.ts';
import { embedFrames } from '../../metrics/dino/model.ts';
import { loadVideoFrames, tooFewFrames } from './video-frames.ts';
import { prefetchVideoProbe } from '../../media/video-probe.ts';
import { subjectConsistencyBefore } from './previous-settings.ts';

/** Σ video_sim / Σ cnt_per_video over the successful records (consistency-math.ts); background_consistency's too. */
export function pairWeightedAggregate(records: readonly SampleRecord[]): number {
  return aggregatePairWeighted(
    records
      .filter((r) => r.ok && typeof r.value === 'number')
      .map((r) => ({ videoSim: Number(r.extra?.['video_sim']), pairs: Number(r.extra?.['cnt_per_video']) })),
  );
}

export const subjectConsistency = defineDimension<NoParams, ModelHandle>({
  id: 'subject_consistency',
  suite: 'vbench',
  models: ['dino-vitb16'],
  params: {},
  notes: {
    frames: 'all (load_video)',
    transform: 'dino_transform(224): torchvision Resize(224, bilinear, antialias=False) on float 0..255, /255, ImageNet mean/std',
    model: 'dino-vitb16 (CLS after the final norm), one frame per run',
    aggregate: 'sum of video_sim / sum of (T - 1) (single-process official formula)',
    official: 'Vchitect/VBench vbench/subject_consistency.py @45e79ec14e69a2187202c675d2dbce1a71843d53',
  },
  previousSettings: subjectConsistencyBefore,
  prefetch: prefetchVideoProbe,
  scorer: () =>
    async function scoreSample(sample, ctx) {
      const model = await ctx.models!.get('dino-vitb16');
      const acc = new ConsistencyAccumulator('none');
      for await (const features of embedFrames(model, loadVideoFrames(sample.path, ctx.signal))) acc.add(features);
      if (acc.frames < 2) throw tooFewFrames(sample.path, acc.frames, 'subject_consistency');
      return { value: acc.score(), extra: { video_sim: acc.videoSim, cnt_per_video: acc.pairs, frames: acc.frames } };
    },
  aggregate: pairWeightedAggregate,
});

export function createSubjectConsistencyDimension(): Dimension<ModelHandle> {
  return subjectConsistency.create();
}
