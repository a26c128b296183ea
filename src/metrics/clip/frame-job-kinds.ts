/**
 * The per-frame transforms of the semantic dimensions that frame-jobs.ts runs on worker threads
 * (plain functions of one decoded frame; the same code runs inline when there are no workers):
 *  - 'clip-pil': appearance_style's clip_transform_Image(224) (PIL bicubic path) → float32 [3,224,224];
 *  - 'viclip': ViCLIP's clip_transform(224) on a uint8 frame → float32 [3,224,224];
 *  - 'umt-crop': UMT's Resize(256) + CenterCrop(224) → uint8 224×224 RGB (normalised by the caller,
 *    which lays the clip out channel-major).
 */
import type { RgbImage } from '../../media/image.ts';
import { umtResizeCrop } from '../umt/processor.ts';
import { viclipFrameTransform } from '../viclip/processor.ts';
import { clipTransformImage } from './processor.ts';

export type FrameJob = 'clip-pil' | 'viclip' | 'umt-crop';

export interface FrameJobRequest {
  id: number;
  job: FrameJob;
  width: number;
  height: number;
  /** The frame's bytes (transferred). */
  pixels: Uint8Array;
}

export interface FrameJobReply {
  id: number;
  data?: ArrayBuffer;
  /** True: `data` holds float32 values, else uint8. */
  float?: boolean;
  error?: string;
}

export function runFrameJob(job: FrameJob, frame: RgbImage): Float32Array | Uint8Array {
  switch (job) {
    case 'clip-pil':
      return clipTransformImage(frame).data;
    case 'viclip': {
      const out = new Float32Array(3 * 224 * 224);
      viclipFrameTransform(frame, out);
      return out;
    }
    case 'umt-crop':
      return umtResizeCrop(frame).data;
    default:
      throw new Error(`unknown frame job ${String(job)}`);
  }
}
