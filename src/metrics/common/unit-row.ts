/** A row divided by its L2 norm in float32, as PyTorch's `x / x.norm(dim=-1, keepdim=True)` computes it. */

const f32 = Math.fround;

/** `x / x.norm(dim=-1, keepdim=True)` on one float32 row (no epsilon, as openai/CLIP and VBench divide; a zero row gives NaN there too). */
export function unitRowF32(x: ArrayLike<number>): Float32Array {
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += x[i]! * x[i]!;
  const n = f32(Math.sqrt(ss));
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f32(x[i]! / n);
  return out;
}
