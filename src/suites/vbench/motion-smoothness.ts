/**
 * VBench motion_smoothness (vbench/motion_smoothness.py @45e79ec, spec §4): every frame as OpenCV
 * reads it (RGB), the even frames replicate-padded to a multiple of 16 and interpolated pairwise by
 * AMT-S at t = 0.5 (scale 1: what every official run uses, §4.2), each prediction unpadded,
 * converted to uint8 by truncation and compared with the odd frame between its inputs; per video
 * (255 − mean |Δ|) / 255, and the mean over videos. Streaming: only the previous padded even frame
 * and the pending odd frame are kept.
 *
 * Videos the official code cannot score become error records:
 *  - no readable frame (E_DECODE) — the official `assert frame_list != []` stops the run;
 *  - a file whose name does not end in `.mp4` (E_INPUT; the official code raises NotImplementedError);
 *  - fewer than 3 frames (E_INPUT) — `assert len(inputs) > 1` stops the run;
 *  - a padded size under 64 (E_INPUT) — the official AMT-S fails in its correlation pyramid
 *    (`avg_pool2d`: output size too small), which stops the run;
 *  - frames of different sizes (E_INPUT) — the official code would resize them; not implemented.
 * A padded size of 64–127 is scored, with a log line: there the official AMT-S divides by zero in
 * its coarsest correlation level and returns NaN, which `tensor2img` turns into platform-dependent
 * bytes (0 on x86-64, as here), so such scores are not meaningful on either side.
 */
import { GenbenchError } from '../../core/errors.ts';
import { decodeVideoFrames } from '../../media/video-decode.ts';
import { modelRunner, OrderedRuns } from '../../runtime/session-workers.ts';
import { requireMp4 } from './video-frames.ts';
import type { Dimension, SampleRecord } from '../../core/contracts.ts';
import { defineDimension, type NoParams } from '../../core/define-dimension.ts';
import type { ModelHandle } from '../../runtime/model-handle.ts';
import { aggregateVideoScores, pairMeanAbsDiff, videoScoreFromPairMeans } from './motion-smoothness-math.ts';
import { AMT_EMBT, interpolate } from '../../metrics/amt/model.ts';
import { padAmounts, paddedInputTensor, type Padding } from '../../metrics/amt/processor.ts';
import { prefetchVideoProbe } from '../../media/video-probe.ts';
import { motionSmoothnessBefore } from './previous-settings.ts';

/** Smallest padded side the official AMT-S accepts (4 correlation levels of H/8: 3 halvings). */
export const AMT_MIN_PADDED_SIDE = 64;
/** Below this padded side the official AMT-S returns NaN (coarsest correlation level of width/height 1). */
export const AMT_FINITE_PADDED_SIDE = 128;

export const motionSmoothness = defineDimension<NoParams, ModelHandle>({
  id: 'motion_smoothness',
  suite: 'vbench',
  models: ['amt-s'],
  params: {},
  notes: {
    files: '.mp4 only (the official code raises NotImplementedError for other files)',
    frames: 'all (cv2.VideoCapture, BGR->RGB); even frames interpolated, odd frames compared',
    model: 'amt-s, embt 0.5, scale_factor 1.0, one pair per run',
    padding: 'InputPadder divisor 16, replicate',
    output: 'tensor2img: float32 x*255, clip 0..255, truncate to uint8',
    reduction: 'per pair exact mean |Δ| (float64), per video (255 - np.mean)/255, np.mean over videos',
    official: 'Vchitect/VBench vbench/motion_smoothness.py @45e79ec14e69a2187202c675d2dbce1a71843d53',
  },
  previousSettings: motionSmoothnessBefore,
  prefetch: prefetchVideoProbe,
  scorer: () =>
    async function scoreSample(sample, ctx) {
      requireMp4(sample.path, 'motion_smoothness');
      const model = await ctx.models!.get('amt-s');
      // Pairs run in parallel workers where that helps; their results come back in pair order.
      const runner = modelRunner(model.session);
      const runs = new OrderedRuns<number>(runner.ahead);
      let pad: Padding | undefined;
      let width = 0;
      let height = 0;
      let frames = 0;
      let prevEven: Float32Array | undefined;
      let spare: Float32Array | undefined;
      let pendingOdd: Uint8Array | undefined;
      const pairMeans: number[] = [];
      for await (const frame of decodeVideoFrames(sample.path, { pixelFormat: 'rgb24', retain: 2, signal: ctx.signal })) {
        if (frames === 0) {
          width = frame.width;
          height = frame.height;
          pad = padAmounts(height, width);
          if (pad.height < AMT_MIN_PADDED_SIDE || pad.width < AMT_MIN_PADDED_SIDE) {
            throw new GenbenchError(
              'E_INPUT',
              `${sample.path}: ${width}x${height} frames (padded ${pad.width}x${pad.height}) are too small for AMT-S`,
              `the official motion_smoothness fails below a padded ${AMT_MIN_PADDED_SIDE}x${AMT_MIN_PADDED_SIDE} (its run stops); use larger videos`,
            );
          }
          if (pad.height < AMT_FINITE_PADDED_SIDE || pad.width < AMT_FINITE_PADDED_SIDE) {
            ctx.log(
              `motion_smoothness: ${sample.path}: padded ${pad.width}x${pad.height} is under ${AMT_FINITE_PADDED_SIDE}; the official AMT-S returns NaN there, so this score is not meaningful`,
            );
          }
        } else if (frame.width !== width || frame.height !== height) {
          throw new GenbenchError(
            'E_INPUT',
            `${sample.path}: frame ${frames} is ${frame.width}x${frame.height}, the first ${width}x${height}`,
            'the official code resizes such frames to the first size (check_dim_and_resize); genbench does not',
          );
        }
        if (frames % 2 === 1) {
          // The decoder recycles its buffers; a pair still in flight needs its own copy.
          pendingOdd = runner.ahead > 0 ? frame.data.slice() : frame.data;
        } else {
          const cur = paddedInputTensor(frame.data, width, height, pad!, spare);
          if (prevEven) {
            const odd = pendingOdd!;
            const p = pad!;
            // The run copies the feeds before interpolate returns (or is awaited at once), so `spare` may be reused.
            const pair = interpolate(runner, prevEven, cur, AMT_EMBT, p, (pred) => pairMeanAbsDiff(odd, width, height, pred, p));
            pairMeans.push(...(await runs.push(pair)));
          }
          spare = prevEven;
          prevEven = cur;
        }
        frames += 1;
      }
      pairMeans.push(...(await runs.drain()));
      if (frames === 0) {
        throw new GenbenchError('E_DECODE', `${sample.path}: no frame could be read`, 'the file is empty, damaged or not a video');
      }
      if (pairMeans.length === 0) {
        throw new GenbenchError(
          'E_INPUT',
          `${sample.path}: only ${frames} frame${frames === 1 ? '' : 's'} could be read; motion_smoothness interpolates between frames 0 and 2 and needs at least 3`,
          'the official code fails its assertion `len(inputs) > 1` here (the whole run stops); supply a longer video',
        );
      }
      return {
        value: videoScoreFromPairMeans(pairMeans),
        extra: { frames, pairs: pairMeans.length, padded: [pad!.height, pad!.width], pair_means: pairMeans },
      };
    },
  /** np.mean of the per-video scores (motion-smoothness-math.ts). */
  aggregate(records: readonly SampleRecord[]) {
    return aggregateVideoScores(records.filter((r) => r.ok && typeof r.value === 'number').map((r) => r.value as number));
  },
});

export function createMotionSmoothnessDimension(): Dimension<ModelHandle> {
  return motionSmoothness.create();
}
