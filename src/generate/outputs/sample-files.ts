/**
 * A generated sample into its file: an image as a lossless RGB PNG, a video as H.264 mp4
 * (mp4-writer.ts), both written under a partial name and renamed into place (partial-file.ts), so
 * a file under its final name is complete. Which name a sample gets is the suite's layout
 * (sample-layouts.ts); what the pixels are is the generator's.
 */
import { existsSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { GenbenchError } from '../../core/errors.ts';
import { writeMp4 } from './mp4-writer.ts';
import { writeBytesAtomic } from './partial-file.ts';

export type SampleMediaKind = 'video' | 'image';

/** A sample as a generator hands it over: uint8 RGB pixels, height·width·3 bytes per frame. */
export type SampleMedia =
  | { kind: 'image'; rgb: Uint8Array; width: number; height: number }
  | { kind: 'video'; frames: readonly Uint8Array[]; width: number; height: number; fps: number };

/** Encodes an RGB image as PNG bytes (the encoding every image sample gets). */
export async function encodePng(rgb: Uint8Array, width: number, height: number): Promise<Buffer> {
  if (rgb.length !== width * height * 3) throw new GenbenchError('E_INPUT', `image has ${rgb.length} bytes, expected ${width}×${height}×3`);
  return sharp(rgb, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

/** Writes one sample to `path` atomically. */
export async function writeSampleFile(path: string, media: SampleMedia): Promise<void> {
  if (media.kind === 'image') writeBytesAtomic(path, await encodePng(media.rgb, media.width, media.height));
  else await writeMp4(path, media.frames, media.width, media.height, { fps: media.fps });
}

/** Writes a small text file beside the samples (GenEval's metadata.jsonl) atomically, unless it already holds exactly `text`. */
export function writeTextIfChanged(path: string, text: string): void {
  if (!(existsSync(path) && readFileSync(path, 'utf8') === text)) writeBytesAtomic(path, Buffer.from(text, 'utf8'));
}
