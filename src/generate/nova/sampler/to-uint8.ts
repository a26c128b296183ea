/**
 * VAE output in [−1, 1] → uint8 as image_processor.py's pt_to_numpy does it:
 * clamp(x·127.5 + 127.5, 0, 255) in float32 (two roundings), then truncation toward zero; channels
 * moved last. NaN (which torch's byte cast leaves undefined) becomes 0.
 */
const f = Math.fround;

export function toUint8Value(x: number): number {
  const v = f(f(x * 127.5) + 127.5);
  if (!(v > 0)) return 0;
  return v >= 255 ? 255 : Math.trunc(v);
}

/** (3, H, W) planar → H·W·3 interleaved RGB bytes. */
export function imageToRgb(x: Float32Array, height: number, width: number): Uint8Array {
  const hw = height * width;
  const out = new Uint8Array(hw * 3);
  for (let c = 0; c < 3; c++) for (let i = 0; i < hw; i++) out[i * 3 + c] = toUint8Value(x[c * hw + i]!);
  return out;
}

/** (3, T, H, W) planar video → T frames of H·W·3 interleaved RGB bytes. */
export function videoToRgbFrames(x: Float32Array, frames: number, height: number, width: number): Uint8Array[] {
  const hw = height * width;
  const out: Uint8Array[] = [];
  for (let t = 0; t < frames; t++) {
    const fr = new Uint8Array(hw * 3);
    for (let c = 0; c < 3; c++) {
      const base = (c * frames + t) * hw;
      for (let i = 0; i < hw; i++) fr[i * 3 + c] = toUint8Value(x[base + i]!);
    }
    out.push(fr);
  }
  return out;
}
