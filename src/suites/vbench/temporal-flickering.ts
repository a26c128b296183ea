/**
 * VBench temporal_flickering (vbench/temporal_flickering.py @45e79ec): every frame as OpenCV
 * reads it, the mean absolute difference of each consecutive pair over all pixels and channels,
 * per video (255 − mean)/255, and the mean over videos. Streaming: only the previous frame is
 * kept (two recycled frame buffers per video).
 *
 * Videos the official code cannot score become error records (a thrown GenbenchError):
 *  - no readable frame: the official code's assertion makes it skip the video, so it is left out
 *    of the mean there too (E_DECODE, or E_NOT_FOUND for a missing file);
 *  - one readable frame (a still image saved as .mp4, for example): the official code returns NaN
 *    for it, which turns the whole dimension score into NaN (E_INPUT);
 *  - a damaged stream where OpenCV's reader would stop early (E_DECODE, see video-decode.ts).
 */
import { GenbenchError } from '../../core/errors.ts';
import { decodeVideoFrames } from '../../media/video-decode.ts';
import type { Dimension, SampleRecord } from '../../core/contracts.ts';
import { defineDimension } from '../../core/define-dimension.ts';
import { aggregateVideoScores, FlickerAccumulator } from './temporal-flickering-math.ts';
import { prefetchVideoProbe } from '../../media/video-probe.ts';
import { temporalFlickeringBefore } from './previous-settings.ts';

export const temporalFlickering = defineDimension({
  id: 'temporal_flickering',
  suite: 'vbench',
  models: [],
  params: {},
  notes: {
    frames: 'all',
    reader: 'ffmpeg decode equal to OpenCV 4.6 cv2.VideoCapture (BGR, passthrough, BT.601, OpenCV rotation)',
    reduction: 'numpy float32 (8192-element buffers) per pair and per video, float64 across videos',
    official: 'Vchitect/VBench vbench/temporal_flickering.py @45e79ec14e69a2187202c675d2dbce1a71843d53',
  },
  previousSettings: temporalFlickeringBefore,
  prefetch: prefetchVideoProbe,
  scorer: () =>
    async function scoreSample(sample, ctx) {
      const acc = new FlickerAccumulator();
      for await (const frame of decodeVideoFrames(sample.path, { pixelFormat: 'bgr24', retain: 1, signal: ctx.signal })) {
        acc.add(frame.data);
      }
      if (acc.frames === 0) {
        throw new GenbenchError(
          'E_DECODE',
          `${sample.path}: no frame could be read`,
          'the official code skips such a video; it is left out of the dimension score here too',
        );
      }
      if (acc.frames === 1) {
        throw new GenbenchError(
          'E_INPUT',
          `${sample.path}: only one frame could be read; temporal flickering needs at least two`,
          'the official code returns NaN for it, which makes its dimension score NaN; remove the file or supply a real video',
        );
      }
      return { value: acc.score(), extra: { frames: acc.frames } };
    },
  /** The mean of the per-video scores (temporal-flickering-math.ts). */
  aggregate(records: readonly SampleRecord[]) {
    return aggregateVideoScores(records.filter((r) => r.ok && typeof r.value === 'number').map((r) => r.value as number));
  },
});

export function createTemporalFlickeringDimension(): Dimension {
  return temporalFlickering.create();
}
