/**
 * VBench imaging_quality (vbench/imaging_quality.py @45e79ec, spec §7): every frame (load_video)
 * through transform(images, 'longer') (bilinear resize when the long side exceeds 512, /255),
 * MUSIQ (pyiqa, SPAQ checkpoint) one frame at a time, video_results = mean of the per-frame MOS on
 * the 0–100 scale; dimension score = mean of video_results / 100.
 *
 * ONNX contract for registry id 'musiq-spaq' (exported by tools/export/musiq.py; the reduced test
 * fixture tests/fixtures/models/musiq-tiny.onnx follows it too):
 *   input  `patches` float32 [B, N, 3075] — exactly the tensor MUSIQ's forward consumes after its
 *          own preprocessing: per token 3·32·32 pixel values in [−1, 1] (F.unfold order: channel,
 *          row, column), then the hashed spatial index (0..99), the scale id (0 = 224, 1 = 384,
 *          2 = original) and the mask (1 real, 0 padding). N = 49 + 144 + ceil(h/32)·ceil(w/32)
 *          for an h×w frame after transform(). B and N are dynamic; we always run B = 1.
 *   output `score`   float32 [B, 1] — the MOS (single-class head; dist_to_mos returns it unchanged).
 * The data-dependent multiscale resize / patch extraction / hashing runs here in TypeScript
 * (musiq-preprocess.ts), exactly as pyiqa's get_multiscale_patches does.
 */
import * as ort from 'onnxruntime-node';
import type { Dimension, SampleRecord } from '../../core/contracts.ts';
import type { ModelHandle } from '../../runtime/model-handle.ts';
import { MUSIQ_TOKEN_DIM, musiqPatches, musiqPatchesOfScaled, musiqScaledInput, type ImagingQualityMode, type MusiqTokens } from './musiq-preprocess.ts';
import { loadVideoFrames, tooFewFrames } from './video-frames.ts';
import { modelRunner, OrderedRuns, type ModelRunner } from '../../runtime/session-workers.ts';
import { prefetchVideoProbe } from '../../media/video-probe.ts';
import { vbenchPerSampleScale } from './constants.ts';

export const MUSIQ_MODEL_ID = 'musiq-spaq';

/** Per-video values are MOS on 0–100; the dimension score is their mean / 100 (declared in constants.ts). */
export const IMAGING_QUALITY_SCALE = vbenchPerSampleScale('imaging_quality');

export interface ImagingQualityOptions {
  /** `--imaging_quality_preprocessing_mode`; VBench's default is 'longer'. */
  preprocessingMode?: ImagingQualityMode;
  /**
   * Score only the first N frames (VBench always takes all of them). For parity tests whose golden
   * fed the official loop the first N frames; it enters the settings when set.
   */
  firstFrames?: number;
}

export function imagingQualitySettings(mode: ImagingQualityMode) {
  return {
    frames: 'all (load_video)',
    preprocessing_mode: mode,
    transform:
      "transform(images, mode): 'longer' = when max(H,W) > 512 Resize((int(512/max*H), int(512/max*W)), bilinear, antialias=False) on float 0..255; then /255",
    model: 'musiq-spaq (pyiqa MUSIQ, SPAQ checkpoint), one frame per run; multiscale patches 224/384/original built in TypeScript',
    aggregate: 'video_results = mean of per-frame MOS (0-100); score = mean of video_results / 100',
    official: 'Vchitect/VBench vbench/imaging_quality.py @45e79ec14e69a2187202c675d2dbce1a71843d53',
  } as const;
}

/** The official aggregate: sum(video_results) / len / 100, over the successful records in order. */
export function imagingQualityAggregate(records: readonly SampleRecord[]): number {
  const values = records.filter((r) => r.ok && typeof r.value === 'number').map((r) => r.value as number);
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length / IMAGING_QUALITY_SCALE;
}

/** MOS of one frame (float 3×h×w in [0,1] after the transform, or its tokens) through a 'musiq-spaq' session. */
export async function musiqScore(session: ModelRunner | Pick<ort.InferenceSession, 'run'>, frame: Parameters<typeof musiqPatches>[0] | MusiqTokens): Promise<number> {
  const { data, tokens } = 'tokens' in frame ? frame : musiqPatches(frame);
  const out = await session.run({ patches: new ort.Tensor('float32', data, [1, tokens, MUSIQ_TOKEN_DIM]) });
  return Number((out['score']!.data as Float32Array)[0]);
}

export function createImagingQualityDimension(options: ImagingQualityOptions = {}): Dimension<ModelHandle> {
  const mode = options.preprocessingMode ?? 'longer';
  const limit = options.firstFrames ?? Infinity;
  return {
    id: 'imaging_quality',
    suite: 'vbench',
    prefetch: prefetchVideoProbe,
    models: [MUSIQ_MODEL_ID],
    settings: { ...imagingQualitySettings(mode), ...(limit < Infinity ? { first_frames: limit } : {}) },
    perSampleScale: IMAGING_QUALITY_SCALE,
    async scoreSample(sample, ctx) {
      const model = await ctx.models!.get(MUSIQ_MODEL_ID);
      // Frames run in parallel workers where that helps; the scores come back in frame order.
      const runner = modelRunner(model.session);
      const runs = new OrderedRuns<number>(runner.ahead);
      let acc = 0;
      let frames = 0;
      const perFrame: number[] = [];
      const take = (scores: number[]) => {
        for (const mos of scores) {
          acc += mos;
          perFrame.push(mos);
        }
      };
      for await (const frame of loadVideoFrames(sample.path, ctx.signal)) {
        take(await runs.push(musiqScore(runner, musiqPatchesOfScaled(musiqScaledInput(frame, mode)))));
        frames++;
        if (frames >= limit) break;
      }
      take(await runs.drain());
      if (frames === 0) throw tooFewFrames(sample.path, 0, 'imaging_quality');
      return { value: acc / frames, extra: { frames, frame_mos: perFrame } };
    },
    aggregate: imagingQualityAggregate,
  };
}
