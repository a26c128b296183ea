/** The goldens made by tools/parity/make-temporal-flickering-golden.ts, typed. */
import { readFileSync } from 'node:fs';

export interface DecodeGoldenRow {
  file: string;
  group: string;
  sha256: string;
  opencv_frames: number;
  our_frames: number;
  max_abs_diff_bgr24: number | null;
  max_abs_diff_rgb24: number | null;
  opencv_fps: number;
  opencv_frame_count: number;
  opencv_size: [number, number];
  our_error: string | null;
  /** OpenCV's frames: the first 8 hex digits of sha256 of each BGR frame, concatenated. */
  opencv_frame_sha256_8: string;
}

export interface FlickerGoldenRow {
  file: string;
  group: string;
  made: string;
  sha256: string;
  frames_read: number;
  opencv_fps: number;
  opencv_frame_count: number;
  score: number | null | 'nan';
  outcome: string;
}

const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../golden/${name}`, import.meta.url), 'utf8')) as T;

export const decodeGolden = read<{ opencv: string; ffmpeg: string; videos: DecodeGoldenRow[] }>('decode-vs-opencv.json');
export const flickerGolden = read<{
  opencv: string;
  numpy: string;
  ffmpeg_for_generated: string;
  videos: FlickerGoldenRow[];
  aggregate: { videos: string[]; score: number };
}>('vbench-temporal-flickering.json');

/** OpenCV's per-frame hashes of a video, in order. */
export function opencvFrameHashes(row: DecodeGoldenRow): string[] {
  return row.opencv_frame_sha256_8.match(/.{8}/g) ?? [];
}
