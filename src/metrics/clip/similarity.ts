/**
 * CLIP's image-text logit as openai/CLIP `CLIP.forward` computes it in float32 (the CPU path):
 * both features divided by their L2 norm, then `logits_per_image = (logit_scale · image) @ text.T`
 * — the scale multiplies the normalised image features first (Python evaluates `a * b @ c` left to
 * right). Pure maths on float32 rows; the towers are text-tower.ts and model.ts.
 */

import { unitRowF32 } from '../common/unit-row.ts';

export { unitRowF32 };

const f32 = Math.fround;

/**
 * One entry of `logits_per_image` in float32: `scale` is the text tower's exp(logit_scale),
 * `image` an unnormalised image embedding, `textUnit` the normalised text feature (unitRowF32).
 */
export function imageTextLogitF32(image: ArrayLike<number>, textUnit: ArrayLike<number>, scale: number): number {
  if (image.length !== textUnit.length) throw new RangeError(`image embedding has ${image.length} values, the text feature ${textUnit.length}`);
  const s = f32(scale);
  const imageUnit = unitRowF32(image);
  let dot = 0;
  for (let i = 0; i < imageUnit.length; i++) dot += f32(s * imageUnit[i]!) * textUnit[i]!;
  return f32(dot);
}
