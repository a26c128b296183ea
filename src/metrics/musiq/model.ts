/** MUSIQ as a typed call: one frame (or its tokens, processor.ts) → its MOS on the 0–100 scale. */
import * as ort from 'onnxruntime-node';
import type { PlanarTensor } from '../../media/image.ts';
import type { ModelRunner } from '../../runtime/session-workers.ts';
import { outputOf } from '../common/tensor-io.ts';
import { MUSIQ_TOKEN_DIM, musiqPatches, type MusiqTokens } from './processor.ts';
import { MUSIQ_SPAQ } from './spec.ts';

const [INPUT] = MUSIQ_SPAQ.inputs;
const [OUTPUT] = MUSIQ_SPAQ.outputs;

/**
 * MOS of one frame through a 'musiq-spaq' session or runner: `frame` is a float 3×h×w tensor in
 * [0,1] (after VBench's transform), or the tokens musiqPatches / musiqPatchesOfScaled made of it.
 */
export async function musiqScore(session: ModelRunner | Pick<ort.InferenceSession, 'run'>, frame: PlanarTensor | MusiqTokens): Promise<number> {
  const { data, tokens } = 'tokens' in frame ? frame : musiqPatches(frame);
  const out = await session.run({ [INPUT.name]: new ort.Tensor('float32', data, [1, tokens, MUSIQ_TOKEN_DIM]) });
  return Number((outputOf(out, OUTPUT.name, MUSIQ_SPAQ.id).data as Float32Array)[0]);
}
