/**
 * Image-text logits of video frames, as VBench's appearance_style takes them (vbench/utils.py
 * `clip_transform_Image(224)` and CLIP.forward, @45e79ec): each frame, an 8-bit RGB image handed
 * to PIL, goes through
 *   PIL `resize` (shorter edge 224, bicubic, Pillow's antialiased filter) → CenterCrop(224) →
 *   ToTensor (/255) → Normalize(CLIP mean/std)
 * — the PIL path, not the tensor Resize of `clip_transform` that embedFrameBatches (model.ts) runs —
 * then the ViT-B/32 image tower; each frame's logit against a text feature (text-tower.ts) is
 * similarity.ts `imageTextLogitF32`. The official code runs one frame per forward; the frames here
 * go `batch` per run (each frame's embedding does not depend on the others).
 */
import { GenbenchError } from '../../core/errors.ts';
import type { PlanarTensor, RgbImage } from '../../media/image.ts';
import { centerCropImage, normalizeInPlace, resizeImage, toTensor } from '../../media/resize/torchvision.ts';
import type { SessionModel } from '../common/tensor-io.ts';
import { encodeImages } from './model.ts';
import { imageTextLogitF32 } from './similarity.ts';
import { CLIP_VIT_B32_IMAGE } from './spec.ts';
import type { ClipTextFeature } from './text-tower.ts';

/** The sizes and constants of the B/32 image tower's table (PIL path: its `impl` note is about the tensor path). */
const T = CLIP_VIT_B32_IMAGE.preprocess;
const SIZE = T.centerCrop;
const PLANE = 3 * SIZE * SIZE;

/** vbench/utils.py clip_transform_Image(224) on one decoded frame: PIL bicubic resize, center crop, ToTensor, Normalize. */
export function clipTransformImage(frame: RgbImage): PlanarTensor {
  const resized = resizeImage(frame, T.resize.size, T.resize.interpolation);
  return normalizeInPlace(toTensor(centerCropImage(resized, SIZE)), T.normalize.mean, T.normalize.std);
}

/**
 * The float32 logit of every frame of `frames` against `text`, in frame order (`logits_per_text[0][0]`
 * of CLIP.forward(frame, text)); `batch` frames per run of the image tower.
 */
export async function* frameTextLogits(imageModel: SessionModel, frames: AsyncIterable<RgbImage>, text: ClipTextFeature, batch = 16): AsyncGenerator<number, void, undefined> {
  const pixels = new Float32Array(batch * PLANE);
  let n = 0;
  const flush = async (): Promise<number[]> => {
    const e = await encodeImages(imageModel, pixels.subarray(0, n * PLANE), n);
    if (e.dim !== text.unit.length) {
      throw new GenbenchError('E_SIGNATURE', `the image tower gives ${e.dim}-value embeddings, the text tower ${text.unit.length}`, 'use the image and text towers of the same CLIP model (clip-vit-b32-image and clip-vit-b32-text)');
    }
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(imageTextLogitF32(e.data.subarray(i * e.dim, (i + 1) * e.dim), text.unit, text.logitScale));
    n = 0;
    return out;
  };
  for await (const frame of frames) {
    pixels.set(clipTransformImage(frame).data, n * PLANE);
    if (++n === batch) yield* await flush();
  }
  if (n > 0) yield* await flush();
}
