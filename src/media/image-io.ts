/**
 * Image files ⇄ 8-bit RGB, through sharp (libvips). Reading matches Pillow's
 * `Image.open(p).convert("RGB")`: no EXIF rotation, no colour management (embedded ICC profiles
 * are ignored, as Pillow ignores them), alpha dropped without compositing, grey replicated.
 * With `exifTranspose: true` it matches `ImageOps.exif_transpose(Image.open(p)).convert("RGB")`
 * (the EXIF Orientation tag applied; GenEval reads its samples so).
 */
import { stat } from 'node:fs/promises';
import sharp from 'sharp';
import { GenbenchError, oneLine } from '../core/errors.ts';
import { rgbImage, type RgbImage } from './image.ts';

export async function readRgbImage(path: string, options: { exifTranspose?: boolean } = {}): Promise<RgbImage> {
  try {
    await stat(path);
  } catch {
    throw new GenbenchError('E_NOT_FOUND', `image not found: ${path}`, 'check the path and the file name');
  }
  try {
    const { data, info } = await sharp(path, { failOn: 'error', autoOrient: options.exifTranspose ?? false })
      .keepIccProfile()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels, expected 3`);
    return rgbImage(info.width, info.height, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  } catch (e) {
    throw new GenbenchError('E_DECODE', `cannot decode image ${path}: ${oneLine((e as Error).message)}`, 'the file is corrupt or not an image (PNG, JPEG, WebP, TIFF, GIF)', { cause: e });
  }
}

/** Writes a PNG (lossless; compression level does not change pixels). */
export async function writePng(path: string, img: RgbImage): Promise<void> {
  await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } }).png().toFile(path);
}
