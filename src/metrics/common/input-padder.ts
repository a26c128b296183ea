/**
 * The `InputPadder` that VBench's RAFT (divisor 8) and AMT (divisor 16) share: per axis
 * pad = ((s // d + 1)·d − s) % d, the left/top side gets pad // 2 and the right/bottom the rest
 * (RAFT's 'sintel' mode), and F.pad(mode='replicate') repeats the edge pixels.
 */

export interface Padding {
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Padded height and width (what the model sees). */
  height: number;
  width: number;
}

export function inputPadding(height: number, width: number, divisor: number): Padding {
  const padH = ((Math.floor(height / divisor) + 1) * divisor - height) % divisor;
  const padW = ((Math.floor(width / divisor) + 1) * divisor - width) % divisor;
  const left = Math.floor(padW / 2);
  const top = Math.floor(padH / 2);
  return { left, right: padW - left, top, bottom: padH - top, height: height + padH, width: width + padW };
}

/**
 * A packed RGB uint8 frame (H×W×3, rows top to bottom) as a planar float32 [3, Hp, Wp] tensor,
 * replicate-padded; each byte v becomes `values[v]` (the model's input scaling). `out` is reused
 * when it has the right length.
 */
export function replicatePadPlanar(
  rgb: Uint8Array,
  width: number,
  height: number,
  pad: Pick<Padding, 'left' | 'right' | 'top' | 'bottom'>,
  values: Float32Array,
  out?: Float32Array,
): Float32Array {
  if (rgb.length !== width * height * 3) throw new RangeError(`frame has ${rgb.length} bytes, expected ${width}x${height}x3`);
  const hp = height + pad.top + pad.bottom;
  const wp = width + pad.left + pad.right;
  const plane = hp * wp;
  const t = out && out.length === 3 * plane ? out : new Float32Array(3 * plane);
  for (let y = 0; y < hp; y++) {
    const rowIn = Math.min(height - 1, Math.max(0, y - pad.top)) * width * 3;
    const rowOut = y * wp;
    for (let x = 0; x < wp; x++) {
      const i = rowIn + Math.min(width - 1, Math.max(0, x - pad.left)) * 3;
      const o = rowOut + x;
      t[o] = values[rgb[i]!]!;
      t[plane + o] = values[rgb[i + 1]!]!;
      t[2 * plane + o] = values[rgb[i + 2]!]!;
    }
  }
  return t;
}
