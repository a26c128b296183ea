/**
 * The ViCLIP towers as typed calls (contracts in spec.ts):
 *  - `encodeVideo`: `count` videos' pixel values (processor.ts) → video features [count, D];
 *  - `encodeText`: token rows (tokenizer.ts) → text features [count, D].
 * Features come as the towers give them (not normalised; similarity.ts normalises).
 */
import * as ort from 'onnxruntime-node';
import { GenbenchError } from '../../core/errors.ts';
import type { SessionModel } from '../common/tensor-io.ts';
import { VICLIP_L14_TEXT, VICLIP_L14_VIDEO } from './spec.ts';

const [VIDEO_IN] = VICLIP_L14_VIDEO.inputs;
const [VIDEO_OUT] = VICLIP_L14_VIDEO.outputs;
const [TEXT_IN] = VICLIP_L14_TEXT.inputs;
const [TEXT_OUT] = VICLIP_L14_TEXT.outputs;

/** Row-major [count, dim] features. */
export interface FeatureBatch {
  count: number;
  dim: number;
  data: Float32Array;
}

function featuresOf(out: Record<string, ort.Tensor>, name: string, rows: number, contract: string): FeatureBatch {
  const t = out[name];
  if (!t || t.type !== 'float32' || t.dims.length !== 2 || t.dims[0] !== rows) {
    throw new GenbenchError('E_SIGNATURE', `the ViCLIP model returned ${t ? `${t.type} ${JSON.stringify(t.dims)}` : 'nothing'} for ${name}, expected float32 [${rows}, D]`, `use a model with the ${contract} contract`);
  }
  return { count: rows, dim: t.dims[1]!, data: t.data as Float32Array };
}

/** Video features of `count` videos (`pixels`: count × T × 3 × 224 × 224, viclipPixelValues of each). */
export async function encodeVideo(model: SessionModel, pixels: Float32Array, count = 1): Promise<FeatureBatch> {
  const [, frames, channels, height, width] = VIDEO_IN.shape;
  const res = await model.session.run({ [VIDEO_IN.name]: new ort.Tensor('float32', pixels, [count, frames, channels, height, width]) });
  return featuresOf(res, VIDEO_OUT.name, count, VICLIP_L14_VIDEO.id);
}

/** Text features of `count` token rows (`ids`: count × 32, row-major). */
export async function encodeText(model: SessionModel, ids: Int32Array, count = 1): Promise<FeatureBatch> {
  const context = VICLIP_L14_TEXT.inputs[0].shape[1];
  if (ids.length !== count * context) throw new RangeError(`${count} token rows need ${count * context} ids, got ${ids.length}`);
  const feed = BigInt64Array.from(ids, (v) => BigInt(v));
  const res = await model.session.run({ [TEXT_IN.name]: new ort.Tensor('int64', feed, [count, context]) });
  return featuresOf(res, TEXT_OUT.name, count, VICLIP_L14_TEXT.id);
}
