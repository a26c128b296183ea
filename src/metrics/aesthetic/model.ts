/** The LAION aesthetic head as a typed call: L2-normalised CLIP ViT-L/14 embeddings → one raw score each (about 0..10). */
import * as ort from 'onnxruntime-node';
import { outputOf, type SessionModel } from '../common/tensor-io.ts';
import { LAION_AESTHETIC_VIT_L14 } from './spec.ts';

const [INPUT] = LAION_AESTHETIC_VIT_L14.inputs;
const [OUTPUT] = LAION_AESTHETIC_VIT_L14.outputs;

/** `embeds`: row-major [count, dim], each row L2-normalised (float32). Returns the head's score per row. */
export async function aestheticScores(model: SessionModel, embeds: Float32Array, count: number, dim: number): Promise<Float32Array> {
  const out = await model.session.run({ [INPUT.name]: new ort.Tensor('float32', embeds, [count, dim]) });
  return outputOf(out, OUTPUT.name, LAION_AESTHETIC_VIT_L14.id).data as Float32Array;
}
