import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import sharp, { type Sharp } from 'sharp';

/** A thumbnail embedded in the HTML: a still (images) or a strip of frames played by CSS (videos). */
export type Thumbnail =
  | { kind: 'image'; dataUri: string; width: number; height: number }
  | { kind: 'strip'; dataUri: string; frameWidth: number; height: number; frames: number };

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.bmp', '.tif', '.tiff']);
const VIDEO_EXT = new Set(['.mp4', '.avi', '.mov', '.mkv', '.webm', '.gif']);
const THUMB_WIDTH = 160;
const STRIP_FRAMES = 8;

/** An RGB24 frame as the video decoder yields it. */
export interface RgbFrame {
  index: number;
  width: number;
  height: number;
  data: Uint8Array;
}

/** Frames of a video, or null when no decoder is available. */
export type FrameSource = (path: string) => AsyncIterable<RgbFrame> | null;

async function jpegDataUri(img: Sharp): Promise<{ uri: string; width: number; height: number }> {
  const { data, info } = await img.jpeg({ quality: 72, mozjpeg: false }).toBuffer({ resolveWithObject: true });
  return { uri: `data:image/jpeg;base64,${data.toString('base64')}`, width: info.width, height: info.height };
}

export async function imageThumbnail(path: string): Promise<Thumbnail> {
  const t = await jpegDataUri(sharp(path, { animated: false }).rotate().resize({ width: THUMB_WIDTH, withoutEnlargement: true }).flatten({ background: '#ffffff' }));
  return { kind: 'image', dataUri: t.uri, width: t.width, height: t.height };
}

/**
 * Up to STRIP_FRAMES frames spread over the video, side by side in one JPEG. The decoder streams;
 * we keep at most 2·STRIP_FRAMES small frames, thinning them as the video goes on.
 */
export async function videoStrip(frames: AsyncIterable<RgbFrame>): Promise<Thumbnail | null> {
  let kept: { index: number; png: Buffer; height: number }[] = [];
  let stride = 1;
  let seen = 0;
  for await (const f of frames) {
    if (seen % stride === 0) {
      const small = await sharp(Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength), { raw: { width: f.width, height: f.height, channels: 3 } })
        .resize({ width: THUMB_WIDTH })
        .png()
        .toBuffer({ resolveWithObject: true });
      kept.push({ index: f.index, png: small.data, height: small.info.height });
      if (kept.length >= 2 * STRIP_FRAMES) {
        kept = kept.filter((_, i) => i % 2 === 0);
        stride *= 2;
      }
    }
    seen += 1;
  }
  if (kept.length === 0) return null;
  const pick = kept.length <= STRIP_FRAMES ? kept : Array.from({ length: STRIP_FRAMES }, (_, k) => kept[Math.floor((k * kept.length) / STRIP_FRAMES)]!);
  const height = Math.min(...pick.map((p) => p.height));
  const strip = sharp({ create: { width: THUMB_WIDTH * pick.length, height, channels: 3, background: '#000000' } }).composite(
    pick.map((p, k) => ({ input: p.png, left: k * THUMB_WIDTH, top: 0 })),
  );
  const t = await jpegDataUri(strip);
  return { kind: 'strip', dataUri: t.uri, frameWidth: THUMB_WIDTH, height, frames: pick.length };
}

/** A thumbnail for a sample file, or null when the file is gone or cannot be read (the report never fails on it). */
export async function thumbnailFor(path: string, frameSource: FrameSource | null): Promise<Thumbnail | null> {
  if (!path || !existsSync(path)) return null;
  const ext = extname(path).toLowerCase();
  try {
    if (VIDEO_EXT.has(ext) && frameSource) {
      const frames = frameSource(path);
      if (frames) return await videoStrip(frames);
    }
    if (IMAGE_EXT.has(ext)) return await imageThumbnail(path);
  } catch {
    return null;
  }
  return null;
}
