/**
 * AMT's input and output conversions (vbench/third_party/amt/utils/utils.py @45e79ec, as the
 * table's `preprocess` declares them):
 *  - input (`img2tensor`, then `InputPadder(shape, 16).pad`): uint8 RGB, HWC → planar float32
 *    `/ 255.0`, replicate-padded to multiples of 16 (left/top get pad // 2, right/bottom the rest);
 *  - output (`tensor2img`): `(x * 255.)` in float32, `clip(0, 255)`, `astype(uint8)` —
 *    truncation toward zero, no rounding; NaN becomes 0, as numpy's cast does on x86-64.
 */
import { inputPadding, replicatePadPlanar, type Padding } from '../common/input-padder.ts';
import { AMT_S } from './spec.ts';

export type { Padding } from '../common/input-padder.ts';

const { pad: PAD, values: VALUES } = AMT_S.preprocess;

/** The padding divisor: `int(16 / scale)` with scale 1. */
export const AMT_PAD_DIVISOR = PAD.divisor;

/** `InputPadder(dims, divisor)._pad` for an image of `height` × `width`. */
export function padAmounts(height: number, width: number, divisor = AMT_PAD_DIVISOR): Padding {
  return inputPadding(height, width, divisor);
}

/** uint8 → float32 as `torch.tensor(uint8) / 255.0` computes it. */
const BYTE_VALUES = Float32Array.from({ length: 256 }, (_, v) => Math.fround(v / VALUES.divide));

/**
 * `InputPadder.pad(img2tensor(frame))`: an RGB frame (H × W × 3 bytes, rows top to bottom) as a
 * float32 planar [3, Hp, Wp] tensor in 0..1 with replicate padding. `out` is reused when given.
 */
export function paddedInputTensor(rgb: Uint8Array, width: number, height: number, pad: Padding, out?: Float32Array): Float32Array {
  return replicatePadPlanar(rgb, width, height, pad, BYTE_VALUES, out);
}

/** `tensor2img` of one value: float32 `x * 255`, clip to 0..255, truncate to uint8 (NaN → 0). */
export function toUint8(x: number): number {
  const v = Math.fround(x * 255);
  if (!(v > 0)) return 0; // negatives, −0 and NaN
  if (v >= 255) return 255;
  return Math.trunc(v);
}
