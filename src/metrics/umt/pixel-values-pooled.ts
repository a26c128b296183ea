/**
 * processor.ts `umtPixelValues` with each distinct frame's resize and crop on the frame-job workers
 * (clip/frame-jobs.ts): the same values, the frames resized in parallel.
 */
import type { RgbImage } from '../../media/image.ts';
import { sharedFrameJobPool } from '../clip/frame-jobs.ts';
import { umtClipTensor } from './processor.ts';

export async function umtPixelValuesPooled(frames: readonly RgbImage[]): Promise<Float32Array> {
  const pool = sharedFrameJobPool();
  const jobs = new Map<RgbImage, Promise<Float32Array | Uint8Array>>();
  for (const f of frames) if (!jobs.has(f)) jobs.set(f, pool.run('umt-crop', f));
  const crops = await Promise.all(frames.map((f) => jobs.get(f)!));
  return umtClipTensor(crops as Uint8Array[]);
}
