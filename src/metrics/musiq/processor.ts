/**
 * VBench imaging_quality's frame preprocessing and MUSIQ's multiscale patch extraction (spec §7.2,
 * §7.3), as pure functions on float32 planar tensors.
 *
 * 1. `imagingQualityTransform` = vbench/imaging_quality.py `transform(images, mode)` on one frame
 *    (float 0..255 from load_video): 'longer' resizes when max(H,W) > 512 to
 *    (int(512/max·H), int(512/max·W)) — evaluated in float64, so the long side can come out 511 —
 *    with torchvision Resize (bilinear, antialias=False, no clamp); then /255.
 * 2. `musiqPatches` = the inference branch of pyiqa MUSIQ.forward: x = (x − 0.5)·2, then
 *    pyiqa/data/multiscale_trans_util.py get_multiscale_patches(patch 32, stride 32, hash grid 10,
 *    longer_side_lengths [224, 384], max_seq_len_from_original_res −1): for each longer side L
 *    (scale id 0, 1) a bicubic resize (align_corners=False, A = −0.75, no antialias, no clamp) to
 *    (round_half_even(h·L/max), round_half_even(w·L/max)), TF-"SAME" zero-padded 32×32 patches in
 *    row-major order, each flattened in F.unfold order (channel, row, column), followed by the
 *    hashed spatial index, the scale id and the mask 1; padded with all-zero rows (or cut) to
 *    ceil(L/32)² tokens; then every patch of the unresized frame (scale id 2, no pad or cut).
 *
 * The result is the packed tensor the official network consumes, i.e. the input `patches`
 * [1, N, 3075] of the genbench 'musiq-spaq' ONNX contract (spec.ts). The resize limit (512), the
 * patch size, hash grid and longer sides are read from the table's `preprocess`.
 */
import { planarTensor, rgbToPlanarFloat, type PlanarTensor, type RgbImage } from '../../media/image.ts';
import { applyPost, torchInterpolate, torchInterpolateRgb } from '../../media/resize/torch-interpolate.ts';
import { roundHalfEven } from '../../core/pycompat/round.ts';
import { centerCropTensor, divide255, resizeTensor } from '../../media/resize/torchvision.ts';
import { MUSIQ_SPAQ } from './spec.ts';

const f32 = Math.fround;
const { resize: RESIZE, patches: PATCHES } = MUSIQ_SPAQ.preprocess;

export const MUSIQ_PATCH_SIZE = PATCHES.size;
export const MUSIQ_HASH_GRID = PATCHES.hashGrid;
export const MUSIQ_LONGER_SIDE_LENGTHS = PATCHES.longerSideLengths;
/** Values per token: 3·32·32 pixels, then spatial index, scale id, mask (the contract's last input dim). */
export const MUSIQ_TOKEN_DIM = MUSIQ_SPAQ.inputs[0].shape[2];

export type ImagingQualityMode = 'longer' | 'shorter' | 'shorter_centercrop' | 'None';

/**
 * The size `transform(images, mode)` resizes an H×W frame to, or null when it keeps the frame:
 * 'longer' keys on max(H,W) > 512, 'shorter' / 'shorter_centercrop' on min(H,W) > 512;
 * scale = 512/side and the new size is (int(scale·H), int(scale·W)) in float64.
 */
export function imagingQualityResizeSize(height: number, width: number, mode: ImagingQualityMode): [number, number] | null {
  if (mode === 'None') return null;
  const side = mode === 'longer' ? Math.max(height, width) : Math.min(height, width);
  if (!(side > RESIZE.limit)) return null;
  const scale = RESIZE.limit / side;
  return [Math.trunc(scale * height), Math.trunc(scale * width)];
}

/** `transform(images, mode)` on one frame: float 3×H×W in [0,1] (the bilinear resize never overshoots). */
export function imagingQualityTransform(frame: RgbImage, mode: ImagingQualityMode = 'longer'): PlanarTensor {
  let x = rgbToPlanarFloat(frame);
  const size = imagingQualityResizeSize(frame.height, frame.width, mode);
  if (size) {
    x = resizeTensor(x, size, { mode: RESIZE.interpolation, antialias: RESIZE.antialias });
    if (mode === 'shorter_centercrop') x = centerCropTensor(x, RESIZE.limit);
  }
  return divide255(x);
}

/** `resize_preserve_aspect_ratio`: (round(h·L/max(h,w)), round(w·L/max(h,w))), Python's half-to-even round. */
export function musiqScaleSize(height: number, width: number, longerSide: number): [number, number] {
  const ratio = longerSide / Math.max(height, width);
  return [roundHalfEven(height * ratio), roundHalfEven(width * ratio)];
}

/** `int(np.ceil(L / 32) ** 2)`: the token budget of scale L (49 for 224, 144 for 384). */
export function musiqMaxSeqLen(longerSide: number): number {
  const n = Math.ceil(longerSide / MUSIQ_PATCH_SIZE);
  return n * n;
}

/**
 * PyTorch's legacy `nearest` interpolation of arange(grid) to `count` samples (1-D, CPU):
 * min(floor(float32(i · float32(grid/count))), grid − 1); identity when count == grid.
 */
export function nearestGridIndex(i: number, count: number, grid = MUSIQ_HASH_GRID): number {
  if (count === grid) return i;
  const scale = f32(grid / count);
  return Math.min(Math.floor(f32(i * scale)), grid - 1);
}

/** `get_hashed_spatial_pos_emb_index`: hash_h·grid + hash_w for each patch, row-major. */
export function hashedSpatialPositions(countH: number, countW: number, grid = MUSIQ_HASH_GRID): Int32Array {
  const out = new Int32Array(countH * countW);
  for (let r = 0; r < countH; r++) {
    const hh = nearestGridIndex(r, countH, grid);
    for (let c = 0; c < countW; c++) out[r * countW + c] = hh * grid + nearestGridIndex(c, countW, grid);
  }
  return out;
}

/** TF "SAME" padding of `extract_image_patches` (kernel = stride = 32): [count, padBefore, padAfter] per axis. */
export function samePatchPadding(size: number, patch = MUSIQ_PATCH_SIZE): [number, number, number] {
  const count = Math.ceil(size / patch);
  const pad = (count - 1) * patch + patch - size;
  const before = Math.floor(pad / 2);
  return [count, before, pad - before];
}

/**
 * `_extract_patches_and_positions_from_image` for one image: tokens written into `out` from token
 * `offset`; `maxSeqLen` < 0 keeps every patch, otherwise exactly maxSeqLen tokens are written
 * (padding rows stay zero: the caller passes a zeroed buffer). Returns the number of tokens written.
 */
export function writePatchTokens(x: PlanarTensor, scaleId: number, maxSeqLen: number, out: Float32Array, offset: number): number {
  const P = MUSIQ_PATCH_SIZE;
  const { height: h, width: w, channels } = x;
  if (channels !== 3) throw new RangeError(`MUSIQ needs 3 channels, got ${channels}`);
  const [countH, top] = samePatchPadding(h);
  const [countW, left] = samePatchPadding(w);
  const positions = hashedSpatialPositions(countH, countW);
  const n = countH * countW;
  const kept = maxSeqLen < 0 ? n : Math.min(n, maxSeqLen);
  const plane = h * w;
  for (let t = 0; t < kept; t++) {
    const pr = Math.floor(t / countW);
    const pc = t % countW;
    const base = (offset + t) * MUSIQ_TOKEN_DIM;
    for (let c = 0; c < 3; c++) {
      for (let ky = 0; ky < P; ky++) {
        const y = pr * P + ky - top;
        if (y < 0 || y >= h) continue; // zero padding
        const row = c * plane + y * w;
        const dst = base + c * P * P + ky * P;
        for (let kx = 0; kx < P; kx++) {
          const xx = pc * P + kx - left;
          if (xx >= 0 && xx < w) out[dst + kx] = x.data[row + xx]!;
        }
      }
    }
    out[base + MUSIQ_TOKEN_DIM - 3] = positions[t]!;
    out[base + MUSIQ_TOKEN_DIM - 2] = scaleId;
    out[base + MUSIQ_TOKEN_DIM - 1] = 1;
  }
  return maxSeqLen < 0 ? n : maxSeqLen;
}

/** Token count of `musiqPatches` for an h×w frame: 49 + 144 + ceil(h/32)·ceil(w/32). */
export function musiqTokenCount(height: number, width: number): number {
  let n = 0;
  for (const L of MUSIQ_LONGER_SIDE_LENGTHS) n += musiqMaxSeqLen(L);
  return n + Math.ceil(height / MUSIQ_PATCH_SIZE) * Math.ceil(width / MUSIQ_PATCH_SIZE);
}

export interface MusiqTokens {
  /** [tokens, 3075] row-major, float32. */
  data: Float32Array;
  tokens: number;
}

/** MUSIQ's inference-branch input: (x − 0.5)·2 and get_multiscale_patches, for a 3×h×w frame in [0,1]. */
export function musiqPatches(frame: PlanarTensor): MusiqTokens {
  return musiqPatchesOfScaled(signedScale(frame));
}

/** MUSIQ's forward input scaling (x − 0.5)·2, into a new tensor. */
function signedScale(x: PlanarTensor): PlanarTensor {
  const out = planarTensor(x.channels, x.height, x.width);
  const src = x.data;
  const dst = out.data;
  for (let i = 0; i < src.length; i++) dst[i] = f32(f32(src[i]! - 0.5) * 2);
  return out;
}

/**
 * `imagingQualityTransform` followed by MUSIQ's (x − 0.5)·2, with both steps fused into the resize
 * (the same float32 operations in the same order: f32(f32(f32(v/255) − 0.5)·2)).
 */
export function musiqScaledInput(frame: RgbImage, mode: ImagingQualityMode = 'longer'): PlanarTensor {
  const size = imagingQualityResizeSize(frame.height, frame.width, mode);
  if (size && mode === 'shorter_centercrop') return signedScale(imagingQualityTransform(frame, mode));
  if (!size) return applyPost(rgbToPlanarFloat(frame), { kind: 'div255Signed' });
  return torchInterpolateRgb(frame, size[0], size[1], RESIZE.interpolation, undefined, { kind: 'div255Signed' });
}

/** get_multiscale_patches on a frame already scaled to [−1, 1] ((x − 0.5)·2). */
export function musiqPatchesOfScaled(norm: PlanarTensor): MusiqTokens {
  const tokens = musiqTokenCount(norm.height, norm.width);
  const data = new Float32Array(tokens * MUSIQ_TOKEN_DIM);
  let offset = 0;
  MUSIQ_LONGER_SIDE_LENGTHS.forEach((L, scaleId) => {
    const [rh, rw] = musiqScaleSize(norm.height, norm.width, L);
    const resized = torchInterpolate(norm, rh, rw, PATCHES.interpolation, { antialias: false });
    offset += writePatchTokens(resized, scaleId, musiqMaxSeqLen(L), data, offset);
  });
  offset += writePatchTokens(norm, MUSIQ_LONGER_SIDE_LENGTHS.length, -1, data, offset);
  if (offset !== tokens) throw new Error(`MUSIQ token count ${offset} != ${tokens}`);
  return { data, tokens };
}
