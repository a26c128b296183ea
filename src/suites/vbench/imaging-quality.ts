/**
 * VBench imaging_quality (vbench/imaging_quality.py @45e79ec, spec §7): every frame (load_video)
 * through transform(images, 'longer') (bilinear resize when the long side exceeds 512, /255),
 * MUSIQ (pyiqa, SPAQ checkpoint) one frame at a time, video_results = mean of the per-frame MOS on
 * the 0–100 scale; dimension score = mean of video_results / 100.
 *
 * The model, its ONNX contract and its preprocessing (VBench's transform, pyiqa's multiscale patch
 * extraction and hashing, exactly as get_multiscale_patches does) are the MUSIQ family's:
 * src/metrics/musiq/ (spec.ts, processor.ts, model.ts).
 */
import type { Dimension, SampleRecord } from '../../core/contracts.ts';
import type { ModelHandle } from '../../runtime/model-handle.ts';
import { defineDimension } from '../../core/define-dimension.ts';
import { imagingQualityBefore } from './previous-settings.ts';
import { musiqPatchesOfScaled, musiqScaledInput, type ImagingQualityMode } from '../../metrics/musiq/processor.ts';
import { musiqScore } from '../../metrics/musiq/model.ts';
import { loadVideoFrames, tooFewFrames } from './video-frames.ts';
import { modelRunner, OrderedRuns } from '../../runtime/session-workers.ts';
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

/** The official aggregate: sum(video_results) / len / 100, over the successful records in order. */
export function imagingQualityAggregate(records: readonly SampleRecord[]): number {
  const values = records.filter((r) => r.ok && typeof r.value === 'number').map((r) => r.value as number);
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length / IMAGING_QUALITY_SCALE;
}

export const imagingQuality = defineDimension<{ preprocessing_mode: ImagingQualityMode; first_frames: number | undefined }, ModelHandle>({
  id: 'imaging_quality',
  suite: 'vbench',
  models: [MUSIQ_MODEL_ID],
  params: {
    preprocessing_mode: {
      values: ['longer', 'shorter', 'shorter_centercrop', 'None'],
      default: 'longer',
      help: "VBench's --imaging_quality_preprocessing_mode",
      changesNumbers: true,
    },
    first_frames: {
      parse: (text) => {
        const n = Number(text);
        if (!Number.isInteger(n) || n < 1) throw new Error('must be a whole number of frames >= 1');
        return n;
      },
      default: undefined,
      help: 'score only the first N frames (VBench takes all; for parity goldens made on the first N)',
      changesNumbers: true,
      option: false,
    },
  },
  notes: {
    frames: 'all (load_video)',
    transform:
      "transform(images, mode): 'longer' = when max(H,W) > 512 Resize((int(512/max*H), int(512/max*W)), bilinear, antialias=False) on float 0..255; then /255",
    model: 'musiq-spaq (pyiqa MUSIQ, SPAQ checkpoint), one frame per run; multiscale patches 224/384/original built in TypeScript',
    aggregate: 'video_results = mean of per-frame MOS (0-100); score = mean of video_results / 100',
    official: 'Vchitect/VBench vbench/imaging_quality.py @45e79ec14e69a2187202c675d2dbce1a71843d53',
  },
  previousSettings: imagingQualityBefore,
  perSampleScale: IMAGING_QUALITY_SCALE,
  prefetch: prefetchVideoProbe,
  scorer(p) {
    const mode = p.preprocessing_mode;
    const limit = p.first_frames ?? Infinity;
    return async function scoreSample(sample, ctx) {
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
    };
  },
  aggregate: imagingQualityAggregate,
});

export function createImagingQualityDimension(options: ImagingQualityOptions = {}): Dimension<ModelHandle> {
  return imagingQuality.create({ preprocessing_mode: options.preprocessingMode, first_frames: options.firstFrames });
}
