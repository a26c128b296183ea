/**
 * A fixed number of frames of a video at VBench's 'middle' positions (frame-indices.ts), as the
 * official readers hand them on for temporal_style / overall_consistency (read_frames_decord_by_fps,
 * 8 frames) and human_action (load_video with num_frames=16): `vlen` = the number of frames the
 * reader returns, the indices picked from it, and the frames at those indices (a short video
 * repeats its last one).
 *
 * `vlen` must be known before the indices are; the decoder's frame count is what the project takes
 * as the reader's (video-decode.ts reproduces OpenCV's reader, the goldens' decord stand-in). One
 * pass decodes the whole video, keeping copies of the frames at the indices the probe's frame count
 * gives; when the decoded count differs from it (a container whose stored count is wrong, or none),
 * a second pass reads the right ones. Memory: the distinct frames kept, whatever the video's length.
 */
import { GenbenchError } from '../core/errors.ts';
import type { RgbImage } from './image.ts';
import { middleFrameIndices } from './frame-indices.ts';
import { decodeVideoFrames } from './video-decode.ts';
import { probeVideo } from './video-probe.ts';

export interface MiddleFrames {
  /** `count` frames in index order; a repeated index gives the same object again. */
  frames: RgbImage[];
  /** The frame indices taken (middleFrameIndices(count, frameCount)). */
  indices: number[];
  /** Frames the reader returned (VBench's `len(video_reader)`). */
  frameCount: number;
}

/**
 * The `count` frames VBench's 'middle' sampling takes from `path`. Errors: E_NOT_FOUND (no file),
 * E_DECODE (no frame at all: the official code fails with an IndexError there; damaged or not a video).
 */
export async function readMiddleFrames(path: string, count: number, opts: { signal?: AbortSignal } = {}): Promise<MiddleFrames> {
  const { signal } = opts;
  const probe = await probeVideo(path, { signal });
  const guess = probe.frameCountKnown && probe.frameCount > 0 ? probe.frameCount : 0;
  const kept = new Map<number, RgbImage>();
  const wanted = new Set(guess > 0 ? middleFrameIndices(count, guess) : []);
  let frameCount = 0;
  // One reused buffer (retain 0): only the wanted frames are copied out.
  for await (const f of decodeVideoFrames(path, { pixelFormat: 'rgb24', retain: 0, signal, probe })) {
    frameCount = f.index + 1;
    if (wanted.has(f.index)) kept.set(f.index, { width: f.width, height: f.height, data: f.data.slice() });
  }
  if (frameCount === 0) {
    throw new GenbenchError('E_DECODE', `${path}: no frame could be read`, 'the file is empty, damaged or not a video (the official code stops the whole run with an IndexError here)');
  }
  const indices = middleFrameIndices(count, frameCount);
  if (frameCount !== guess) {
    kept.clear();
    for await (const f of decodeVideoFrames(path, { pixelFormat: 'rgb24', indices: new Set(indices), signal, probe })) {
      kept.set(f.index, { width: f.width, height: f.height, data: f.data });
    }
  }
  const frames = indices.map((i) => {
    const f = kept.get(i);
    if (!f) throw new GenbenchError('E_DECODE', `${path}: frame ${i} of ${frameCount} could not be read again`, 'the file changed while it was read, or is damaged');
    return f;
  });
  return { frames, indices, frameCount };
}
