/**
 * VBench background_consistency (vbench/background_consistency.py @45e79ec, spec §2): every
 * frame through clip_transform(224), CLIP ViT-B/32 image features, the consistency formula, and
 * Σ video_sim / Σ cnt_per_video.
 *
 * The official run is on CUDA, where CLIP stays fp16 and every cosine is an fp16 scalar; the
 * `cosine` setting rounds each cosine to fp16 to match (default), or keeps it (`fp32`, what the
 * official code gives on a CPU, where `clip.load` turns the model to fp32).
 */
import * as ort from 'onnxruntime-node';
import type { Dimension } from '../types.ts';
import { ConsistencyAccumulator, type CosineRounding } from './consistency-math.ts';
import { clipTransform } from './frame-transforms.ts';
import { pairWeightedAggregate } from './subject-consistency.ts';
import { loadVideoFrames, tooFewFrames } from './video-frames.ts';

/** Frames per ONNX run (the official code encodes the whole video at once; per-frame results are the same). */
const BATCH = 16;

export function createBackgroundConsistencyDimension(opts: { cosine?: 'fp16' | 'fp32' } = {}): Dimension {
  const cosine = opts.cosine ?? 'fp16';
  const rounding: CosineRounding = cosine === 'fp16' ? 'fp16' : 'none';
  return {
    id: 'background_consistency',
    suite: 'vbench',
    models: ['clip-vit-b32-image'],
    settings: {
      frames: 'all (load_video)',
      transform: 'clip_transform(224): torchvision Resize(224, bicubic, antialias=False) on float 0..255, CenterCrop(224), /255, CLIP mean/std',
      model: 'clip-vit-b32-image (encode_image)',
      cosine,
      aggregate: 'sum of video_sim / sum of cnt_per_video',
      official: 'Vchitect/VBench vbench/background_consistency.py @45e79ec14e69a2187202c675d2dbce1a71843d53',
    },
    async scoreSample(sample, ctx) {
      const model = await ctx.models!.get('clip-vit-b32-image');
      const acc = new ConsistencyAccumulator(rounding);
      const plane = 3 * 224 * 224;
      let batch = new Float32Array(BATCH * plane);
      let n = 0;
      const flush = async () => {
        if (n === 0) return;
        const out = await model.session.run({ pixel_values: new ort.Tensor('float32', batch.subarray(0, n * plane), [n, 3, 224, 224]) });
        const e = out['image_embeds']!;
        const dim = e.dims[1]!;
        const data = e.data as Float32Array;
        for (let i = 0; i < n; i++) acc.add(data.subarray(i * dim, (i + 1) * dim));
        n = 0;
        batch = new Float32Array(BATCH * plane);
      };
      for await (const frame of loadVideoFrames(sample.path, ctx.signal)) {
        batch.set(clipTransform(frame).data, n * plane);
        if (++n === BATCH) await flush();
      }
      await flush();
      if (acc.frames < 2) throw tooFewFrames(sample.path, acc.frames, 'background_consistency');
      return { value: acc.score(), extra: { video_sim: acc.videoSim, cnt_per_video: acc.pairs, frames: acc.frames } };
    },
    aggregate: pairWeightedAggregate,
  };
}
