/**
 * UMT ViT-L/16 Kinetics-400 as a typed call: `classifyVideo` runs `count` clips' pixel values
 * (processor.ts) through the classifier and returns each clip's top classes as VBench decides them
 * (postprocess.ts), with the raw logits.
 */
import * as ort from 'onnxruntime-node';
import { GenbenchError } from '../../core/errors.ts';
import type { SessionModel } from '../common/tensor-io.ts';
import { topClasses, type TopClass } from './postprocess.ts';
import { UMT_CLASSES, UMT_VIT_L16_K400 } from './spec.ts';

const [INPUT] = UMT_VIT_L16_K400.inputs;
const [OUTPUT] = UMT_VIT_L16_K400.outputs;

export interface ClipClassification {
  /** The 400 logits (before the sigmoid). */
  logits: Float32Array;
  /** The top 5 classes, highest first, with VBench's keep decision. */
  top: TopClass[];
}

/** Logits of `count` clips (`pixels`: count × 3 × 16 × 224 × 224, umtPixelValues of each): [count × 400]. */
export async function videoLogits(model: SessionModel, pixels: Float32Array, count = 1): Promise<Float32Array> {
  const [, channels, frames, height, width] = INPUT.shape;
  const res = await model.session.run({ [INPUT.name]: new ort.Tensor('float32', pixels, [count, channels, frames, height, width]) });
  const t = res[OUTPUT.name];
  if (!t || t.type !== 'float32' || t.dims.length !== 2 || t.dims[0] !== count || t.dims[1] !== UMT_CLASSES) {
    throw new GenbenchError(
      'E_SIGNATURE',
      `the UMT model returned ${t ? `${t.type} ${JSON.stringify(t.dims)}` : 'nothing'} for ${OUTPUT.name}, expected float32 [${count}, ${UMT_CLASSES}]`,
      `use a model with the ${UMT_VIT_L16_K400.id} contract`,
    );
  }
  return t.data as Float32Array;
}

/** The classification of each of `count` clips. */
export async function classifyVideo(model: SessionModel, pixels: Float32Array, count = 1): Promise<ClipClassification[]> {
  const all = await videoLogits(model, pixels, count);
  return Array.from({ length: count }, (_, i) => {
    const logits = all.slice(i * UMT_CLASSES, (i + 1) * UMT_CLASSES);
    return { logits, top: topClasses(logits) };
  });
}
