/**
 * Decode a video to packed 8-bit RGB/BGR frames through an ffmpeg child process, streaming, with
 * the frames OpenCV 4.6's cv2.VideoCapture returns for the same file (measured byte for byte, see
 * tools/parity/decode_vs_opencv.py):
 *  - every decoded frame is passed through (no rate conversion);
 *  - the conversion uses ffmpeg's default scaler, with the colour handling OpenCV's bare swscale
 *    context has: BT.601 coefficients whatever the stream is tagged with, limited range unless the
 *    decoder outputs a full-range (yuvj) format. Left alone, ffmpeg would honour a BT.709 tag or a
 *    full-range flag on yuv420p and differ from OpenCV by up to ~50 levels;
 *  - a display rotation is applied after the conversion in OpenCV's direction (OpenCV 4.6 turns
 *    90°-tagged videos the other way round from ffmpeg's autorotate);
 *  - reading stops after nb_frames + 1 frames when the container stores a frame count (OpenCV's
 *    read loop does);
 *  - where the decoder rejects a packet, OpenCV's reader stops for good; ffmpeg goes on. Such a
 *    file (a truncated mp4, for example) ends in an E_DECODE error after the frames before it.
 *
 * The consumer pulls frames; when it is slow, ffmpeg blocks on a full pipe (no frame piles up in
 * memory). Stopping early (break, return, an exception in the loop, or the AbortSignal) kills
 * ffmpeg and waits for it to exit.
 */
import { GenbenchError } from '../core/errors.ts';
import { ffmpegPath, lastLines, passthroughOption } from './ffmpeg.ts';
import { probeVideo, type VideoProbe } from './video-probe.ts';
import { launchProcess } from './process-launcher.ts';

export type PixelFormat = 'rgb24' | 'bgr24';

export interface VideoFrame {
  /** 0-based index among the frames the reader returns. */
  index: number;
  width: number;
  height: number;
  /** height × width × 3 bytes, rows top to bottom, channels in the requested order. */
  data: Uint8Array;
}

export interface DecodeOptions {
  /** Channel order (default rgb24). OpenCV's own order is bgr24. */
  pixelFormat?: PixelFormat;
  /** Only these frame indices are yielded, in increasing order; the others are skipped without a copy. */
  indices?: Iterable<number>;
  /**
   * Recycle frame buffers: a yielded frame's `data` stays valid while the consumer receives the
   * next `retain` frames, then its memory is reused. Without it every frame gets its own buffer.
   */
  retain?: number;
  /**
   * Where frame buffers come from (with `retain`, the ring's buffers), e.g. SharedArrayBuffers
   * that worker threads read in place while the next `retain` frames are decoded. The caller owns
   * them: they are not reused after the generator ends.
   */
  allocate?: (byteLength: number) => ArrayBufferLike;
  /** ffmpeg decoder threads (default: ffmpeg's automatic choice). Frames are the same either way. */
  threads?: number;
  signal?: AbortSignal;
  /** A probe of the same file, to save running ffprobe again. */
  probe?: VideoProbe;
  /** Called with the ffmpeg process id once it runs (monitoring, tests). */
  onSpawn?: (pid: number) => void;
}

const STDERR_KEEP = 64 * 1024;
/** What ffmpeg prints when the decoder rejects a packet (4.x–6.x, and 7.x's wording). */
const DECODER_REJECTED = /^.*(?:Error while decoding stream #\d+:\d+|\bDecoding error:).*$/m;
/** Muxer chatter about timestamps of passed-through frames: harmless here, and not a reason. */
const TIMESTAMP_NOISE = /non monotonically increasing dts|Non-monotonous DTS/i;

function stderrSummary(stderr: string): string {
  return lastLines(stderr.split('\n').filter((l) => !TIMESTAMP_NOISE.test(l)).join('\n'));
}
/** Pixel formats that hold limited-range YUV unless named yuvj (OpenCV ignores range tags). */
const YUV_LIMITED_BY_DEFAULT = /^(yuv(?!j)|yuva|yuyv|uyvy|yvyu|nv\d|p0\d\d|p2\d\d|p4\d\d|y2\d\d|ayuv|vuya|xv\d)/;

/** The ffmpeg filter chain that reproduces OpenCV's conversion of this stream. */
export function opencvFilterChain(probe: Pick<VideoProbe, 'pixelFormat' | 'rotation'>, pixelFormat: PixelFormat): string {
  const tags = YUV_LIMITED_BY_DEFAULT.test(probe.pixelFormat) ? 'setparams=colorspace=unknown:range=tv' : 'setparams=colorspace=unknown';
  const turn = { 0: [], 90: ['transpose=clock'], 180: ['hflip', 'vflip'], 270: ['transpose=cclock'] }[probe.rotation];
  // OpenCV converts to BGR24; RGB is that with the channels swapped (a direct yuv→rgb24
  // conversion of 10-bit video differs from it by a few levels).
  return [tags, 'format=bgr24', ...turn, ...(pixelFormat === 'rgb24' ? ['format=rgb24'] : [])].join(',');
}

/** The ffmpeg command line (without the binary) that decodes `path` as OpenCV would. */
export function decodeArgs(
  path: string,
  probe: Pick<VideoProbe, 'pixelFormat' | 'rotation'>,
  opts: { pixelFormat: PixelFormat; threads?: number; maxFrames?: number; passthrough: string[] },
): string[] {
  return [
    '-nostdin', '-hide_banner', '-loglevel', 'error',
    ...(opts.threads ? ['-threads', String(opts.threads)] : []),
    '-noautorotate',
    '-i', path,
    '-map', '0:v:0', '-an', '-sn', '-dn',
    ...opts.passthrough,
    ...(opts.maxFrames !== undefined && Number.isFinite(opts.maxFrames) ? ['-frames:v', String(opts.maxFrames)] : []),
    '-vf', opencvFilterChain(probe, opts.pixelFormat),
    '-f', 'rawvideo', '-pix_fmt', opts.pixelFormat, 'pipe:1',
  ];
}

function wantedSet(indices: Iterable<number> | undefined): { wanted: Set<number> | null; last: number } {
  if (indices === undefined) return { wanted: null, last: Infinity };
  const wanted = new Set<number>();
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0) throw new GenbenchError('E_USAGE', `frame index ${i} is not a non-negative integer`);
    wanted.add(i);
  }
  return { wanted, last: wanted.size ? Math.max(...wanted) : -1 };
}

/**
 * Frames of `path` in order, as OpenCV's reader returns them (see the module comment).
 * Errors: E_NOT_FOUND (no file), E_DECODE (not a video, damaged, ffmpeg failed; the message ends
 * with ffmpeg's last lines), E_RUN (aborted through the signal).
 */
export async function* decodeVideoFrames(path: string, opts: DecodeOptions = {}): AsyncGenerator<VideoFrame, void, undefined> {
  const signal = opts.signal;
  const aborted = (): GenbenchError => new GenbenchError('E_RUN', `decoding ${path} interrupted`, undefined, { cause: signal?.reason });
  if (signal?.aborted) throw aborted();
  const probe = opts.probe ?? (await probeVideo(path, { signal }));
  const { width, height } = probe;
  const frameBytes = width * height * 3;
  const pixelFormat = opts.pixelFormat ?? 'rgb24';
  const { wanted, last } = wantedSet(opts.indices);
  if (last < 0) return;
  // OpenCV refuses to read past nb_frames + 1 frames.
  const cap = probe.nbFrames > 0 ? probe.nbFrames + 1 : Infinity;
  const limit = Math.min(cap, last + 1);
  const stopsForIndices = last + 1 < cap;
  const ff = ffmpegPath();
  const args = decodeArgs(path, probe, { pixelFormat, threads: opts.threads, maxFrames: limit, passthrough: passthroughOption(ff) });
  if (signal?.aborted) throw aborted();

  let stderr = '';
  let rejection: string | undefined;
  const child = await launchProcess(ff, args, {
    onStderr: (d) => {
      stderr += d;
      rejection ??= DECODER_REJECTED.exec(stderr)?.[0].trim();
      if (stderr.length > 2 * STDERR_KEEP) stderr = stderr.slice(-STDERR_KEEP);
    },
  });
  const onAbort = (): void => child.kill('SIGKILL');
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  if (child.pid !== undefined) opts.onSpawn?.(child.pid);

  const ring: Uint8Array[] = [];
  const ringSize = opts.retain !== undefined ? Math.max(0, Math.floor(opts.retain)) + 1 : 0;
  let ringNext = 0;
  const newBuffer = (): Uint8Array => (opts.allocate ? new Uint8Array(opts.allocate(frameBytes), 0, frameBytes) : new Uint8Array(frameBytes));
  const takeBuffer = (): Uint8Array => {
    if (ringSize === 0) return newBuffer();
    let b = ring[ringNext];
    if (!b) ring[ringNext] = b = newBuffer();
    ringNext = (ringNext + 1) % ringSize;
    return b;
  };

  let index = 0;
  let filled = 0;
  let buf: Uint8Array | null = wanted && !wanted.has(0) ? null : takeBuffer();
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < chunk.length && index < limit) {
        const take = Math.min(frameBytes - filled, chunk.length - off);
        if (buf) buf.set(chunk.subarray(off, off + take), filled);
        filled += take;
        off += take;
        if (filled < frameBytes) continue;
        if (buf) {
          yield { index, width, height, data: buf };
          if (signal?.aborted) throw aborted();
        }
        index += 1;
        filled = 0;
        buf = index < limit && (!wanted || wanted.has(index)) ? takeBuffer() : null;
      }
      // Every requested frame was delivered: stop without waiting for the rest of the video.
      if (index >= limit && stopsForIndices) return;
    }
    const { code, signal: sig, error: spawnError } = await child.exited;
    if (signal?.aborted) throw aborted();
    if (spawnError !== undefined) throw new GenbenchError('E_DECODE', `cannot run ffmpeg (${ff}) on ${path}: ${spawnError}`, 'set GENBENCH_FFMPEG to a working ffmpeg');
    if (code !== 0) {
      const why = stderrSummary(stderr) || (sig ? `killed by ${sig}` : 'no message');
      throw new GenbenchError('E_DECODE', `ffmpeg could not decode ${path} (exit ${code ?? sig}): ${why}`, 'the file is damaged or not a video');
    }
    if (filled > 0) {
      throw new GenbenchError('E_DECODE', `ffmpeg ended ${path} inside frame ${index} (${filled} of ${frameBytes} bytes): ${stderrSummary(stderr) || 'no message'}`, 'the frame size changed inside the video');
    }
    if (rejection) {
      throw new GenbenchError(
        'E_DECODE',
        `${path} is damaged: the decoder rejected a packet ("${rejection}"; ffmpeg: ${stderrSummary(stderr)}); OpenCV's reader stops for good at such a packet, so its frames (and the official scores) cannot be reproduced exactly`,
        'the file is damaged (truncated?): re-encode or replace it',
      );
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (!child.hasExited) child.kill('SIGKILL');
    await child.exited;
  }
}

/** How many frames OpenCV's reader returns for the file (decodes the whole file into one reused buffer). */
export async function countDecodedFrames(path: string, opts: Pick<DecodeOptions, 'signal' | 'threads' | 'probe'> = {}): Promise<number> {
  let n = 0;
  for await (const f of decodeVideoFrames(path, { ...opts, pixelFormat: 'bgr24', retain: 0 })) n = f.index + 1;
  return n;
}
