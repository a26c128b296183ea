/**
 * The selftest's inputs, made by the selftest itself: a small RGB image whose pixels are a
 * formula of (x, y, channel) — tools/parity/selftest_golden.py computes the same formula with
 * numpy — and the lavfi recipe of its test video (the same in that script).
 */
import { rgbImage, type RgbImage } from '../media/image.ts';

export const SELFTEST_WIDTH = 29;
export const SELFTEST_HEIGHT = 21;

/** height × width × 3 bytes: (x·37 + y·91 + c·53 + ((x·y·7) xor (y·13 + c·29))) mod 256. */
export function selftestImage(width = SELFTEST_WIDTH, height = SELFTEST_HEIGHT): RgbImage {
  const img = rgbImage(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        img.data[(y * width + x) * 3 + c] = (x * 37 + y * 91 + c * 53 + ((x * y * 7) ^ (y * 13 + c * 29))) % 256;
      }
    }
  }
  return img;
}

/** ffmpeg input of the test video (a lavfi pattern, 4 frames of 32×24). */
export const SELFTEST_LAVFI = 'testsrc2=size=32x24:rate=5:duration=0.8';
/** Lossless FFV1 in Matroska, tagged BT.709 (the decoder must convert with BT.601 as OpenCV does). */
export const SELFTEST_ENCODE = ['-pix_fmt', 'yuv420p', '-c:v', 'ffv1', '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-f', 'matroska'];
