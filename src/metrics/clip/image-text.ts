/**
 * Image-text logits of video frames, as VBench's appearance_style takes them (vbench/utils.py
 * `clip_transform_Image(224)` and CLIP.forward, @45e79ec): each frame, an 8-bit RGB image handed
 * to PIL, goes through
 *   PIL `resize` (shorter edge 224, bicubic, Pillow's antialiased filter) → CenterCrop(224) →
 *   ToTensor (/255) → Normalize(CLIP mean/std)
 * — the PIL path, not the tensor Resize of `clip_transform` that embedFrameBatches (model.ts) runs —
 * then the ViT-B/32 image tower; each frame's logit against a text feature (text-tower.ts) is
 * similarity.ts `imageTextLogitF32`. The official code runs one frame per forward; the frames here
 * go `batch` per run (each frame's embedding does not depend on the others), and the transforms run
 * on worker threads (frame-jobs.ts), a few frames ahead of the model.
 */
import { GenbenchError } from '../../core/errors.ts';
import type { RgbImage } from '../../media/image.ts';
import type { SessionModel } from '../common/tensor-io.ts';
import { frameJobsAhead, sharedFrameJobPool } from './frame-jobs.ts';
import { encodeImages } from './model.ts';
import { CLIP_PIL_SIZE, clipTransformImage } from './processor.ts';
import { imageTextLogitF32 } from './similarity.ts';
import type { ClipTextFeature } from './text-tower.ts';

export { clipTransformImage };

const PLANE = 3 * CLIP_PIL_SIZE * CLIP_PIL_SIZE;

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
  // The transforms run on the frame-job workers, up to `ahead` frames in flight, taken back in frame order.
  const pool = sharedFrameJobPool();
  const ahead = frameJobsAhead();
  const queue: Promise<Float32Array | Uint8Array>[] = [];
  const take = async function* (): AsyncGenerator<number, void, undefined> {
    pixels.set(await queue.shift()!, n * PLANE);
    if (++n === batch) yield* await flush();
  };
  for await (const frame of frames) {
    const t = pool.run('clip-pil', frame);
    t.catch(() => {}); // handled when its turn comes
    queue.push(t);
    if (queue.length >= ahead) yield* take();
  }
  while (queue.length) yield* take();
  if (n > 0) yield* await flush();
}
