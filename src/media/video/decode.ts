import { spawn } from 'node:child_process';
import { GenbenchError } from '../../core/errors.ts';
import { lastLines, probeVideo, type VideoInfo } from './probe.ts';
import { ffmpegPath, passthroughArgs } from './tools.ts';

export interface Frame {
  index: number;
  width: number;
  height: number;
  /** HWC, 3 bytes per pixel, in the requested channel order. */
  data: Uint8Array;
}

export interface DecodeOptions {
  pixelFormat?: 'rgb24' | 'bgr24';
  /** Only these frame indices are yielded (the others are decoded and dropped without copying). */
  indices?: readonly number[];
  /** Decoder threads (ffmpeg -threads); frames are identical whatever the count. */
  threads?: number;
  signal?: AbortSignal;
  /** Reuse a probe already made. */
  info?: VideoInfo;
}

/**
 * Decode a video's frames in order, streaming, through an ffmpeg child process. Frames are passed
 * through as decoded (no rate conversion), converted with ffmpeg's default scaler: the same bytes
 * OpenCV's VideoCapture returns (measured on every video of the shared media). Frames the decoder
 * cannot read are skipped exactly as OpenCV skips them. Stopping early (break, abort) kills ffmpeg.
 */
export async function* decodeFrames(path: string, opts: DecodeOptions = {}): AsyncGenerator<Frame, void, undefined> {
  const info = opts.info ?? (await probeVideo(path));
  const { width, height } = info;
  if (!(width > 0 && height > 0)) throw new GenbenchError('E_DECODE', `video ${path} reports no frame size`);
  const frameBytes = width * height * 3;
  const wanted = opts.indices ? new Set(opts.indices) : undefined;
  const lastWanted = opts.indices && opts.indices.length > 0 ? Math.max(...opts.indices) : Infinity;
  const ff = ffmpegPath();
  const args = [
    '-nostdin', '-hide_banner', '-v', 'error',
    ...(opts.threads ? ['-threads', String(opts.threads)] : []),
    '-i', path,
    '-map', '0:v:0', ...passthroughArgs(ff),
    '-f', 'rawvideo', '-pix_fmt', opts.pixelFormat ?? 'rgb24', 'pipe:1',
  ];
  const child = spawn(ff, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 64 * 1024) stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const spawnError = new Promise<never>((_, reject) =>
    child.on('error', (e) => reject(new GenbenchError('E_DECODE', `cannot start ffmpeg (${ff}): ${e.message}`))),
  );
  spawnError.catch(() => {});
  const onAbort = (): void => {
    child.kill('SIGKILL');
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let index = 0;
  let buf: Uint8Array | null = wanted && !wanted.has(0) ? null : new Uint8Array(frameBytes);
  let filled = 0;
  let finished = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < chunk.length) {
        const take = Math.min(frameBytes - filled, chunk.length - off);
        if (buf) buf.set(chunk.subarray(off, off + take), filled);
        filled += take;
        off += take;
        if (filled === frameBytes) {
          if (buf) yield { index, width, height, data: buf };
          index += 1;
          filled = 0;
          if (index > lastWanted) {
            finished = true;
            return;
          }
          buf = wanted && !wanted.has(index) ? null : new Uint8Array(frameBytes);
        }
      }
    }
    const code = await Promise.race([exited, spawnError]);
    if (opts.signal?.aborted) throw new GenbenchError('E_RUN', 'decoding interrupted');
    if (code !== 0) {
      throw new GenbenchError('E_DECODE', `ffmpeg could not decode ${path} (exit ${code}): ${lastLines(stderr) || 'no message'}`, 'the file is damaged or not a video');
    }
    finished = true;
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (!finished || child.exitCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
}

/** Number of frames the decoder actually delivers (what OpenCV's read loop would count). */
export async function countDecodableFrames(path: string, opts: Omit<DecodeOptions, 'indices'> = {}): Promise<number> {
  let n = 0;
  for await (const _ of decodeFrames(path, opts)) n += 1;
  return n;
}
