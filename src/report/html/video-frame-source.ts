import { decodeVideoFrames } from '../../media/video-decode.ts';
import type { FrameSource } from './thumbnails.ts';

/** The project's streaming video decoder as a frame source for thumbnails and animated strips. */
export async function loadVideoFrameSource(): Promise<FrameSource | null> {
  return (path) => decodeVideoFrames(path);
}
