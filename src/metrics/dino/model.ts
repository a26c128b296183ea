/**
 * DINO ViT-B/16 as a typed call: the features of every frame of a stream, in order — each frame
 * through dino_transform (processor.ts, on the transform workers), one frame per run (frames keep
 * their aspect ratio, so their sizes differ between videos), the CLS features as the graph gives
 * them (not normalised).
 */
import * as ort from 'onnxruntime-node';
import type { RgbImage } from '../../media/image.ts';
import { transformFrames } from '../common/frame-transform-pool.ts';
import { outputOf, type SessionModel } from '../common/tensor-io.ts';
import { DINO_TRANSFORM } from './processor.ts';
import { DINO_VITB16 } from './spec.ts';

const [INPUT] = DINO_VITB16.inputs;
const [OUTPUT] = DINO_VITB16.outputs;

/** The raw CLS features of each frame, in frame order (one run per frame). */
export async function* embedFrames(model: SessionModel, frames: AsyncIterable<RgbImage>): AsyncGenerator<Float32Array, void, undefined> {
  for await (const x of transformFrames(frames, DINO_TRANSFORM)) {
    const out = await model.session.run({ [INPUT.name]: new ort.Tensor('float32', x.data, [1, 3, x.height, x.width]) });
    yield outputOf(out, OUTPUT.name, DINO_VITB16.id).data as Float32Array;
  }
}
