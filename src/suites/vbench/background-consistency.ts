/**
 * VBench background_consistency (vbench/background_consistency.py @45e79ec, spec §2): every
 * frame through clip_transform(224), CLIP ViT-B/32 image features, the consistency formula, and
 * Σ video_sim / Σ cnt_per_video.
 *
 * The official run is on CUDA, where CLIP stays fp16 and every cosine is an fp16 scalar; the
 * `cosine` setting rounds each cosine to fp16 to match (default), or keeps it (`fp32`, what the
 * official code gives on a CPU, where `clip.load` turns the model to fp32).
 */
import type { Dimension } from '../../core/contracts.ts';
import { defineDimension } from '../../core/define-dimension.ts';
import type { ModelHandle } from '../../runtime/model-handle.ts';
import { ConsistencyAccumulator, type CosineRounding } from './consistency-math.ts';
import { pairWeightedAggregate } from './subject-consistency.ts';
import { embedFrameBatches } from '../../metrics/clip/model.ts';
import { loadVideoFrames, tooFewFrames } from './video-frames.ts';
import { prefetchVideoProbe } from '../../media/video-probe.ts';
import { backgroundConsistencyBefore } from './previous-settings.ts';

/** Frames per ONNX run (the official code encodes the whole video at once; per-frame results are the same). */
const BATCH = 16;

export const backgroundConsistency = defineDimension<{ cosine: 'fp16' | 'fp32' }, ModelHandle>({
  id: 'background_consistency',
  suite: 'vbench',
  models: ['clip-vit-b32-image'],
  params: {
    cosine: {
      values: ['fp16', 'fp32'],
      default: 'fp16',
      help: 'fp16 rounds each cosine as the official CUDA run does; fp32 as the official code on a CPU (CPU-made references)',
      changesNumbers: true,
    },
  },
  notes: {
    frames: 'all (load_video)',
    transform: 'clip_transform(224): torchvision Resize(224, bicubic, antialias=False) on float 0..255, CenterCrop(224), /255, CLIP mean/std',
    model: 'clip-vit-b32-image (encode_image)',
    aggregate: 'sum of video_sim / sum of cnt_per_video',
    official: 'Vchitect/VBench vbench/background_consistency.py @45e79ec14e69a2187202c675d2dbce1a71843d53',
  },
  previousSettings: backgroundConsistencyBefore,
  prefetch: prefetchVideoProbe,
  scorer(p) {
    const rounding: CosineRounding = p.cosine === 'fp16' ? 'fp16' : 'none';
    return async function scoreSample(sample, ctx) {
      const model = await ctx.models!.get('clip-vit-b32-image');
      const acc = new ConsistencyAccumulator(rounding);
      for await (const b of embedFrameBatches(model, (memory) => loadVideoFrames(sample.path, ctx.signal, memory), BATCH)) {
        for (let i = 0; i < b.count; i++) acc.add(b.data.subarray(i * b.dim, (i + 1) * b.dim));
      }
      if (acc.frames < 2) throw tooFewFrames(sample.path, acc.frames, 'background_consistency');
      // The official per-video entry also carries video_sim and cnt_per_video (vbench_eval_results.json).
      return { value: acc.score(), extra: { video_sim: acc.videoSim, cnt_per_video: acc.pairs, frames: acc.frames, official: { video_sim: acc.videoSim, cnt_per_video: acc.pairs } } };
    };
  },
  /** Σ video_sim / Σ cnt_per_video (consistency-math.ts). */
  aggregate: pairWeightedAggregate,
});

export function createBackgroundConsistencyDimension(opts: { cosine?: 'fp16' | 'fp32' } = {}): Dimension<ModelHandle> {
  return backgroundConsistency.create(opts);
}
