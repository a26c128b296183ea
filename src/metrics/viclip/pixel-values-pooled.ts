/**
 * processor.ts `viclipPixelValues` with each distinct frame's transform on the frame-job workers
 * (clip/frame-jobs.ts): the same values, the frames transformed in parallel.
 */
import type { RgbImage } from '../../media/image.ts';
import { sharedFrameJobPool } from '../clip/frame-jobs.ts';
import { VICLIP_TRANSFORM } from './processor.ts';

const PLANE = 3 * VICLIP_TRANSFORM.centerCrop * VICLIP_TRANSFORM.centerCrop;

export async function viclipPixelValuesPooled(frames: readonly RgbImage[]): Promise<Float32Array> {
  const pool = sharedFrameJobPool();
  const jobs = new Map<RgbImage, Promise<Float32Array | Uint8Array>>();
  for (const f of frames) if (!jobs.has(f)) jobs.set(f, pool.run('viclip', f));
  const out = new Float32Array(frames.length * PLANE);
  const done = await Promise.all(frames.map((f) => jobs.get(f)!));
  done.forEach((d, t) => out.set(d, t * PLANE));
  return out;
}
