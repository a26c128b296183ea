/**
 * uint8 RGB frames → H.264 mp4 through the bundled ffmpeg (src/media/ffmpeg.ts). Settings follow
 * what NOVA's export (imageio-ffmpeg's writer defaults, spec §5.3) produces: libx264, yuv420p,
 * quality 5 → CRF 25, the default "medium" preset, the requested constant frame rate; plus one
 * x264 thread so the bytes do not depend on the machine's core count. Frames are piped raw.
 */
import { spawn } from 'node:child_process';
import { GenbenchError } from '../../core/errors.ts';
import { ffmpegPath } from '../../media/ffmpeg.ts';
import { produceAtomic } from './partial-file.ts';

export interface Mp4Options {
  fps: number;
  /** x264 constant rate factor (default 25 = imageio-ffmpeg quality 5). */
  crf?: number;
}

/** ffmpeg arguments for an rgb24 pipe of width×height frames to `out`. */
export function mp4EncodeArgs(width: number, height: number, out: string, opts: Mp4Options): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(opts.fps), '-i', 'pipe:0',
    '-an', '-c:v', 'libx264', '-preset', 'medium', '-crf', String(opts.crf ?? 25), '-pix_fmt', 'yuv420p',
    '-x264-params', 'threads=1', '-r', String(opts.fps), '-f', 'mp4', out,
  ];
}

/** Encodes `frames` (height·width·3 bytes each) into `path` atomically. */
export async function writeMp4(path: string, frames: readonly Uint8Array[], width: number, height: number, opts: Mp4Options): Promise<void> {
  if (frames.length === 0) throw new GenbenchError('E_INPUT', `no frames to write to ${path}`);
  if (width % 2 || height % 2) throw new GenbenchError('E_INPUT', `yuv420p needs even frame sizes, got ${width}×${height}`);
  for (const f of frames) if (f.length !== width * height * 3) throw new GenbenchError('E_INPUT', `a frame has ${f.length} bytes, expected ${width}×${height}×3`);
  const ff = ffmpegPath();
  await produceAtomic(path, (tmp) => new Promise<void>((resolve, reject) => {
    const child = spawn(ff, mp4EncodeArgs(width, height, tmp, opts), { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { if (err.length < 16384) err += d.toString(); });
    child.on('error', (e) => reject(new GenbenchError('E_NOT_FOUND', `cannot run ffmpeg (${ff}): ${e.message}`, 'set GENBENCH_FFMPEG to a working ffmpeg binary')));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new GenbenchError('E_RUN', `ffmpeg failed writing ${path} (exit ${code}): ${err.trim()}`, 'check the disk space and the ffmpeg build (it needs libx264)'))));
    child.stdin.on('error', () => { /* reported through close */ });
    (async () => {
      for (const f of frames) if (!child.stdin.write(f)) await new Promise((r) => child.stdin.once('drain', r));
      child.stdin.end();
    })();
  }));
}
