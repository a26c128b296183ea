/**
 * UMT's clip preprocessing, as the table declares it (vbench/human_action.py data_transform):
 * every frame resized with OpenCV's INTER_LINEAR to short side 256 (left alone when the short side
 * is 256 already), center-cropped to 224, then ClipToTensor (float32, /255) and the ImageNet
 * Normalize in float32. Output: the classifier's `pixel_values` for one clip, [3, T, 224, 224]
 * (channel-major, then time, as ClipToTensor lays it out).
 */
import type { RgbImage } from '../../media/image.ts';
import { opencvResizeLinear } from '../../media/resize/opencv-resize.ts';
import { centerCropOffsets } from '../../media/resize/torchvision.ts';
import { UMT_VIT_L16_K400 } from './spec.ts';

const f32 = Math.fround;

/** The transform the classifier declares (plain data). */
export const UMT_TRANSFORM = UMT_VIT_L16_K400.preprocess;
const CROP = UMT_TRANSFORM.centerCrop;

/** functional.py get_resize_sizes: [height, width] with the short side `size` (ties: width kept as the long side). */
export function umtResizeSize(height: number, width: number, size: number): [number, number] {
  return width < height ? [Math.trunc((size * height) / width), size] : [size, Math.trunc((size * width) / height)];
}

/** resize_clip's shortcut: a frame whose short side already equals `size` is not resized. */
function keepsSize(height: number, width: number, size: number): boolean {
  return (width <= height && width === size) || (height <= width && height === size);
}

/** Resize(256) and CenterCrop(224) of one frame: 224×224 uint8 RGB. */
export function umtResizeCrop(frame: RgbImage): RgbImage {
  const size = UMT_TRANSFORM.resize.size;
  let img = { width: frame.width, height: frame.height, channels: 3, data: frame.data };
  if (!keepsSize(frame.height, frame.width, size)) {
    const [h, w] = umtResizeSize(frame.height, frame.width, size);
    img = opencvResizeLinear(img, w, h);
  }
  // video_transforms.CenterCrop: x1 = int(round((w − 224)/2)), y1 likewise (half to even)
  const [top, left] = centerCropOffsets(img.height, img.width, CROP, CROP);
  const out = new Uint8Array(CROP * CROP * 3);
  for (let y = 0; y < CROP; y++) {
    const src = ((top + y) * img.width + left) * 3;
    out.set(img.data.subarray(src, src + CROP * 3), y * CROP * 3);
  }
  return { width: CROP, height: CROP, data: out };
}

/**
 * `pixel_values` of one clip from its sampled frames (readMiddleFrames: a repeated frame is the
 * same object, resized once): [3, frames.length, 224, 224].
 */
export function umtPixelValues(frames: readonly RgbImage[]): Float32Array {
  const cropped = new Map<RgbImage, Uint8Array>();
  return umtClipTensor(
    frames.map((frame) => {
      let c = cropped.get(frame);
      if (!c) cropped.set(frame, (c = umtResizeCrop(frame).data));
      return c;
    }),
  );
}

/** ClipToTensor + Normalize of a clip's 224×224 RGB crops (umtResizeCrop of each frame): [3, crops.length, 224, 224]. */
export function umtClipTensor(crops: readonly Uint8Array[]): Float32Array {
  const T = crops.length;
  const plane = CROP * CROP;
  const out = new Float32Array(3 * T * plane);
  const { mean, std } = UMT_TRANSFORM.normalize;
  const m = mean.map((v) => f32(v));
  const s = std.map((v) => f32(v));
  crops.forEach((d, t) => {
    for (let ch = 0; ch < 3; ch++) {
      const base = (ch * T + t) * plane;
      for (let i = 0; i < plane; i++) out[base + i] = f32(f32(f32(d[i * 3 + ch]! / 255) - m[ch]!) / s[ch]!);
    }
  });
  return out;
}
