import { GenbenchError } from '../../../core/errors.ts';
import { absDiffMeanF32, numpyMeanF32 } from '../../../core/numpy-float32.ts';
import { numpyMean } from '../../../core/numpy-mean.ts';
import { decodeFrames } from '../../../media/video/decode.ts';
import type { Dimension, SampleRecord } from '../../types.ts';

/**
 * Per-video score from the per-pair mean absolute differences (float32 values, as numpy makes
 * them): (255 − mean)/255, the mean taken as numpy takes it over a float32 array.
 */
export function temporalFlickeringFromPairMaes(pairMaes: ArrayLike<number>): number {
  return (255 - numpyMeanF32(pairMaes)) / 255;
}

/**
 * VBench temporal_flickering: every frame as OpenCV reads it, the mean absolute difference of each
 * consecutive pair over all pixels and channels, per video (255 − mean)/255, and the mean over
 * videos. Streaming: only the previous frame is kept.
 *
 * Unreadable videos: the official code skips a video with no readable frame (its assertion);
 * we record an error and leave it out of the score the same way. A video with one readable frame
 * makes the official code return NaN (and the dimension NaN); we record an error instead.
 */
export function createTemporalFlickeringDimension(): Dimension {
  return {
    id: 'temporal_flickering',
    suite: 'vbench',
    models: [],
    settings: { frames: 'all', reader: 'ffmpeg passthrough rgb24 (= OpenCV VideoCapture frames)', version: 1 },
    async scoreSample(sample, ctx) {
      const maes: number[] = [];
      let prev: Uint8Array | undefined;
      let frames = 0;
      for await (const frame of decodeFrames(sample.path, { signal: ctx.signal })) {
        if (prev) {
          if (prev.length !== frame.data.length) {
            throw new GenbenchError('E_DECODE', `${sample.id}: frame ${frame.index} has another size than the frame before it`);
          }
          maes.push(absDiffMeanF32(prev, frame.data));
        }
        prev = frame.data;
        frames += 1;
      }
      if (frames === 0) {
        throw new GenbenchError('E_DECODE', `${sample.id}: no readable frame`, 'the official code skips such a video too');
      }
      if (frames === 1) {
        throw new GenbenchError(
          'E_INPUT',
          `${sample.id}: only one readable frame; temporal flickering needs two (the official code would give NaN)`,
        );
      }
      return { value: temporalFlickeringFromPairMaes(maes), extra: { frames } };
    },
    aggregate(records: readonly SampleRecord[]) {
      return numpyMean(records.map((r) => r.value as number));
    },
  };
}
