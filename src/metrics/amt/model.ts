/**
 * AMT-S as a typed call: the frame at time `t` between two padded frames (processor.ts), as the
 * padded planar [3, Hp, Wp] prediction the graph gives (not unpadded, not converted to bytes).
 */
import * as ort from 'onnxruntime-node';
import type { ModelRunner } from '../../runtime/session-workers.ts';
import { outputOf } from '../common/tensor-io.ts';
import type { Padding } from './processor.ts';
import { AMT_S } from './spec.ts';

const [IMG0, IMG1, EMBT] = AMT_S.inputs;
const [PRED] = AMT_S.outputs;

/** The time VBench interpolates at (the middle frame). */
export const AMT_EMBT = AMT_S.preprocess.embt;

/**
 * Working memory of one AMT-S run, dominated by its all-pairs correlation volume at 1/8
 * resolution (n² float32 for n = (Hp/8)·(Wp/8), pyramid, both directions, a copy while built).
 * The worker pool holds back runs that would not fit together (session-workers.ts).
 */
export function amtWorkingBytes(pad: Pick<Padding, 'height' | 'width'>): number {
  const n = Math.floor(pad.height / 8) * Math.floor(pad.width / 8);
  return 24 * n * n;
}

/**
 * `use(prediction)` for the frame at `t` between two padded frames of `pad`'s size (planar float32
 * [3, Hp, Wp], 0..1); the prediction's tensor is released after `use`. The run starts before this
 * returns: a worker runner has copied the feeds by then, the session itself reads them until the
 * promise settles (see ModelRunner.ahead).
 */
export async function interpolate<R>(
  model: Pick<ModelRunner, 'run'>,
  a: Float32Array,
  b: Float32Array,
  t: number,
  pad: Pick<Padding, 'height' | 'width'>,
  use: (prediction: Float32Array) => R,
): Promise<R> {
  const dims = [1, 3, pad.height, pad.width];
  const out = await model.run(
    { [IMG0.name]: new ort.Tensor('float32', a, dims), [IMG1.name]: new ort.Tensor('float32', b, dims), [EMBT.name]: new ort.Tensor('float32', new Float32Array([t]), [1, 1, 1, 1]) },
    { workingBytes: amtWorkingBytes(pad) },
  );
  const pred = outputOf(out, PRED.name, AMT_S.id);
  const r = use(pred.data as Float32Array);
  pred.dispose?.();
  return r;
}
