/**
 * In-memory images: 8-bit interleaved RGB (what PIL's "RGB" mode and our decoders hold) and
 * float32 planar tensors (what torchvision's tensor transforms work on, C×H×W).
 */

/** height × width × 3 bytes, rows top to bottom, R G B per pixel. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A C×H×W float32 tensor, planes in channel order, rows top to bottom. */
export interface PlanarTensor {
  channels: number;
  height: number;
  width: number;
  data: Float32Array;
}

export function rgbImage(width: number, height: number, data?: Uint8Array): RgbImage {
  const size = width * height * 3;
  if (data && data.length !== size) {
    throw new RangeError(`an RGB image of ${width}×${height} needs ${size} bytes, got ${data.length}`);
  }
  return { width, height, data: data ?? new Uint8Array(size) };
}

export function planarTensor(channels: number, height: number, width: number, data?: Float32Array): PlanarTensor {
  const size = channels * height * width;
  if (data && data.length !== size) {
    throw new RangeError(`a ${channels}×${height}×${width} tensor needs ${size} values, got ${data.length}`);
  }
  return { channels, height, width, data: data ?? new Float32Array(size) };
}

/** HWC uint8 → CHW float32 holding the same values 0..255 (torch `permute(2,0,1).float()`). */
export function rgbToPlanarFloat(img: RgbImage): PlanarTensor {
  const { width, height, data } = img;
  const plane = width * height;
  const out = new Float32Array(3 * plane);
  // One channel at a time: sequential writes are several times faster than interleaved ones.
  for (let c = 0; c < 3; c++) {
    const o = out.subarray(c * plane, (c + 1) * plane);
    for (let p = 0, s = c; p < plane; p++, s += 3) o[p] = data[s]!;
  }
  return { channels: 3, height, width, data: out };
}

/** The same pixels in B G R order (what cv2.imread/imdecode hands on): a new buffer. */
export function rgbToBgr(img: RgbImage): Uint8Array {
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i += 3) {
    out[i] = img.data[i + 2]!;
    out[i + 1] = img.data[i + 1]!;
    out[i + 2] = img.data[i]!;
  }
  return out;
}
