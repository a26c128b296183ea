import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FrameSource } from './thumbnails.ts';

/**
 * The project's video decoder (src/media/video-decode.ts, an async iterator of RGB24 frames) as a
 * frame source for thumbnails, or null while that module is not there: the HTML then shows
 * thumbnails for images only.
 */
export async function loadVideoFrameSource(): Promise<FrameSource | null> {
  const url = new URL('../../media/video-decode.ts', import.meta.url);
  if (!existsSync(fileURLToPath(url))) return null;
  try {
    const mod = (await import(url.href)) as Record<string, unknown>;
    const decode = (mod.decodeVideoFrames ?? mod.decodeFrames ?? mod.decodeVideo) as ((path: string) => AsyncIterable<never>) | undefined;
    if (typeof decode !== 'function') return null;
    return (path) => decode(path);
  } catch {
    return null;
  }
}
