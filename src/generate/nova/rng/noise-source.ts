/**
 * Where the sampler's randomness comes from. The sampler never draws numbers itself: it asks a
 * NoiseSource, per sample, for the three kinds of draws NOVA makes (spec §4.7): the token order,
 * the start noise of each set-by-set step, and (DDPM only) the noise of each scheduler step.
 *
 * `philoxNoiseSource` is genbench's own generator: every draw is a pure function of (seed,
 * sample key, purpose), so a sample's noise does not depend on its batch, on how many samples
 * ran before it, or on the device. `recordedNoiseSource` replays tensors dumped from a reference
 * run, for parity tests.
 */
import { GenbenchError } from '../../../core/errors.ts';
import { normalF32, normalF32At, permutation, streamId } from './distributions.ts';

export interface NoiseSource {
  /** The order π in which the tokens of one sample are generated: a permutation of 0..numTokens-1.
   *  Drawn once per sample and reused for every frame (as the official MaskEmbed keeps pred_ids). */
  order(sampleKey: string, numTokens: number): Int32Array;
  /** Standard-normal start canvas (latentChannels·h·w values, CHW) of set-by-set step `step` of frame
   *  `frame`; with `positions`, only the canvas values at those CHW indices, in that order. */
  initialNoise(sampleKey: string, frame: number, step: number, size: number, positions?: Int32Array): Float32Array;
  /** Standard-normal DDPM noise (CHW) added at diffusion step `diffusionStep` of that set-by-set step
   *  (or its values at `positions`: the sampler only needs the set's tokens). */
  schedulerNoise(sampleKey: string, frame: number, step: number, diffusionStep: number, size: number, positions?: Int32Array): Float32Array;
}

/** Purpose strings hashed into stream ids (exported so that tools can reproduce a single draw). */
export const noisePurpose = {
  order: (sampleKey: string) => `nova/order/${sampleKey}`,
  initial: (sampleKey: string, frame: number, step: number) => `nova/initial/${sampleKey}/f${frame}/s${step}`,
  scheduler: (sampleKey: string, frame: number, step: number, diffusionStep: number) =>
    `nova/scheduler/${sampleKey}/f${frame}/s${step}/d${diffusionStep}`,
} as const;

/** genbench's deterministic noise: Philox4x32-10 keyed by `seed`, one stream per (sample, purpose). */
export function philoxNoiseSource(seed: number | bigint): NoiseSource {
  const normals = (stream: bigint, size: number, positions?: Int32Array) => {
    if (!positions) return normalF32(seed, stream, 0, size);
    checkPositions(positions, size);
    return normalF32At(seed, stream, positions);
  };
  return {
    order: (key, n) => permutation(seed, streamId(noisePurpose.order(key)), 0, n),
    initialNoise: (key, frame, step, size, pos) => normals(streamId(noisePurpose.initial(key, frame, step)), size, pos),
    schedulerNoise: (key, frame, step, d, size, pos) => normals(streamId(noisePurpose.scheduler(key, frame, step, d)), size, pos),
  };
}

function checkPositions(positions: Int32Array, size: number): void {
  for (const q of positions) if (q < 0 || q >= size) throw new GenbenchError('E_INPUT', `noise position ${q} is outside the canvas of ${size} values`);
}

const gather = (v: Float32Array, positions?: Int32Array): Float32Array => {
  if (!positions) return v;
  checkPositions(positions, v.length);
  return Float32Array.from(positions, (q) => v[q]!);
};

/** Dumped draws of a reference run, looked up by the same purpose strings as `noisePurpose`. */
export interface RecordedNoise {
  orders: Map<string, Int32Array>;
  normals: Map<string, Float32Array>;
}

/** Replays recorded tensors; a missing or wrongly sized entry is an error naming it. */
export function recordedNoiseSource(rec: RecordedNoise): NoiseSource {
  const take = <T extends { length: number }>(m: Map<string, T>, key: string, size: number): T => {
    const v = m.get(key);
    if (!v) throw new GenbenchError('E_INPUT', `recorded noise has no entry ${key}`, 'dump every draw of the reference run (orders, initial and scheduler noise)');
    if (v.length !== size) throw new GenbenchError('E_INPUT', `recorded noise ${key} has ${v.length} values, the sampler needs ${size}`, 'the dump was made with other shapes');
    return v;
  };
  return {
    order: (key, n) => take(rec.orders, noisePurpose.order(key), n),
    initialNoise: (key, f, s, size, pos) => gather(take(rec.normals, noisePurpose.initial(key, f, s), size), pos),
    schedulerNoise: (key, f, s, d, size, pos) => gather(take(rec.normals, noisePurpose.scheduler(key, f, s, d), size), pos),
  };
}
