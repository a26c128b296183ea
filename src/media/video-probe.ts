/**
 * Probe a video the way OpenCV's FFmpeg reader (cv2.VideoCapture, OpenCV 4.6) describes it:
 * CAP_PROP_FPS, CAP_PROP_FRAME_COUNT, CAP_PROP_FRAME_WIDTH/HEIGHT, and the display rotation it
 * applies. Uses ffprobe: `ffmpeg -i` prints frame rates rounded to two decimals (29.97 for
 * 456000/15217 ≈ 29.9665), which is not what OpenCV reports.
 */
import { runProcess } from './process-launcher.ts';
import { statSync } from 'node:fs';
import { GenbenchError } from '../core/errors.ts';
import { ffprobePath, lastLines } from './ffmpeg.ts';

export interface VideoProbe {
  path: string;
  /** Container as ffprobe names it, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string;
  codec: string;
  /** Decoder output pixel format, e.g. "yuv420p", "yuvj420p", "rgb24". */
  pixelFormat: string;
  /** Frame size as OpenCV reports it (width and height swapped for a 90°/270° rotation). */
  width: number;
  height: number;
  /** Rotation OpenCV applies to every frame (0, 90, 180 or 270; 90 = clockwise). */
  rotation: 0 | 90 | 180 | 270;
  /** CAP_PROP_FPS: the stream's average frame rate (r_frame_rate is not used), 1/time_base if that is 0. */
  fps: number;
  avgFrameRate: string;
  rFrameRate: string;
  timeBase: string;
  /** CAP_PROP_FRAME_COUNT: the container's frame count, or ⌊duration·fps + 0.5⌋ when it has none. */
  frameCount: number;
  /** False when neither a frame count nor a duration is known; frameCount then holds OpenCV's INT64_MIN. */
  frameCountKnown: boolean;
  /** The container's frame count (0 = not stored). OpenCV stops reading after nbFrames + 1 frames. */
  nbFrames: number;
  /** Duration in seconds as OpenCV computes it (container duration, else stream duration); null if unknown. */
  durationSec: number | null;
  colorRange: string;
  colorSpace: string;
}

/** OpenCV's threshold for "zero" frame rates and durations (cap_ffmpeg_impl.hpp). */
const EPS_ZERO = 0.000025;
/** AV_NOPTS_VALUE, what OpenCV computes with when a duration is unknown. */
const NOPTS = -(2 ** 63);

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  pix_fmt?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  time_base?: string;
  nb_frames?: string;
  duration_ts?: number;
  color_range?: string;
  color_space?: string;
  side_data_list?: { side_data_type?: string; rotation?: number }[];
}
interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string };
}

/** AVRational as a double, 0 when either part is 0 (OpenCV's r2d). */
export function rationalToDouble(r: string | undefined): number {
  if (!r) return 0;
  const m = /^(-?\d+)\/(-?\d+)$/.exec(r.trim());
  if (!m) return 0;
  const num = Number(m[1]);
  const den = Number(m[2]);
  return num === 0 || den === 0 ? 0 : num / den;
}

/** OpenCV's CAP_PROP_FPS from the stream's rationals. */
export function opencvFps(avgFrameRate: string | undefined, timeBase: string | undefined): number {
  const fps = rationalToDouble(avgFrameRate);
  return fps < EPS_ZERO ? 1 / rationalToDouble(timeBase) : fps;
}

/** A C cast of a double to int64 as x86-64 does it (out of range → INT64_MIN). */
function toInt64(x: number): number {
  return Number.isFinite(x) && x >= -(2 ** 63) && x < 2 ** 63 ? x : NOPTS;
}

/**
 * OpenCV's CAP_PROP_FRAME_COUNT: nb_frames when stored, else ⌊sec·fps + 0.5⌋ with sec the
 * container duration (µs / 10⁶), or stream duration × time_base when that is below EPS_ZERO.
 */
export function opencvFrameCount(p: {
  nbFrames: number;
  formatDurationUs: number | null;
  streamDurationTs: number | null;
  timeBase: string | undefined;
  fps: number;
}): { frameCount: number; known: boolean; durationSec: number | null } {
  let sec = (p.formatDurationUs ?? NOPTS) / 1_000_000;
  let known = p.formatDurationUs !== null;
  if (sec < EPS_ZERO) {
    sec = (p.streamDurationTs ?? NOPTS) * rationalToDouble(p.timeBase);
    known = p.streamDurationTs !== null;
  }
  const durationSec = known ? sec : null;
  if (p.nbFrames > 0) return { frameCount: p.nbFrames, known: true, durationSec };
  return { frameCount: toInt64(Math.floor(sec * p.fps + 0.5)), known, durationSec };
}

/** OpenCV's rotation from the display matrix angle (ffprobe's `rotation`, counter-clockwise degrees). */
export function opencvRotation(displayMatrixDegrees: number | undefined): 0 | 90 | 180 | 270 {
  if (displayMatrixDegrees === undefined || !Number.isFinite(displayMatrixDegrees)) return 0;
  const a = ((Math.round(displayMatrixDegrees) % 360) + 360) % 360;
  return a === 90 || a === 180 || a === 270 ? a : 0;
}

async function runFfprobe(path: string, signal?: AbortSignal): Promise<string> {
  const args = ['-v', 'error', '-select_streams', 'v:0', '-show_streams', '-show_format', '-of', 'json', path];
  let failure: string;
  try {
    const r = await runProcess(ffprobePath(), args, { maxBytes: 16 << 20, timeoutMs: 120_000, signal });
    if (r.exit.code === 0) return r.stdout;
    failure = lastLines(r.stderr) || r.exit.error || `ffprobe exited with ${r.exit.code ?? r.exit.signal}`;
  } catch (e) {
    if (e instanceof GenbenchError) throw e;
    failure = (e as Error).message;
  }
  if (signal?.aborted) throw new GenbenchError('E_RUN', `probing ${path} interrupted`, undefined, { cause: signal.reason });
  throw new GenbenchError('E_DECODE', `cannot read video ${path}: ${failure}`, 'the file is damaged or not a video ffmpeg can open');
}

/**
 * Probe the first video stream of a file (the stream OpenCV reads). Missing file → E_NOT_FOUND;
 * empty file, non-video file or no video stream → E_DECODE with the reason.
 */
export async function probeVideo(path: string, opts: { signal?: AbortSignal } = {}): Promise<VideoProbe> {
  let size: number;
  let mtimeMs: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a regular file');
    size = st.size;
    mtimeMs = st.mtimeMs;
  } catch {
    throw new GenbenchError('E_NOT_FOUND', `video not found: ${path}`, 'check the path');
  }
  if (size === 0) throw new GenbenchError('E_DECODE', `cannot read video ${path}: the file is empty (0 bytes)`, 'the file is damaged or not a video');
  // Every dimension of a run probes the same files: keep recent probes of unchanged files (and
  // share a probe in flight: a scheduler may ask for a file ahead of scoring it).
  const key = `${path}\0${size}\0${mtimeMs}`;
  const hit = probeCache.get(key);
  if (hit) return hit;
  const probe = probeUncached(path, opts.signal).then((p) => Object.freeze(p));
  if (probeCache.size >= PROBE_CACHE_SIZE) probeCache.delete(probeCache.keys().next().value!);
  probeCache.set(key, probe);
  // A failed probe is not kept (the next call tries again, e.g. after an interruption).
  probe.catch(() => probeCache.get(key) === probe && probeCache.delete(key));
  return probe;
}

const PROBE_CACHE_SIZE = 256;
const probeCache = new Map<string, Promise<VideoProbe>>();

async function probeUncached(path: string, signal: AbortSignal | undefined): Promise<VideoProbe> {
  const opts = { signal };
  const out = JSON.parse(await runFfprobe(path, opts.signal)) as FfprobeOutput;
  const s = out.streams?.find((x) => x.codec_type === 'video') ?? out.streams?.[0];
  if (!s || s.codec_type !== 'video') throw new GenbenchError('E_DECODE', `no video stream in ${path}`, 'the file is not a video');
  const codedW = Number(s.width ?? 0);
  const codedH = Number(s.height ?? 0);
  if (!(codedW > 0 && codedH > 0)) throw new GenbenchError('E_DECODE', `video ${path} has no frame size (${s.codec_name ?? 'unknown codec'})`, 'the file is damaged or not a video');
  const rotation = opencvRotation(s.side_data_list?.find((d) => d.side_data_type === 'Display Matrix')?.rotation);
  const fps = opencvFps(s.avg_frame_rate, s.time_base);
  const nbFrames = Number(s.nb_frames ?? 0) || 0;
  const fmtDur = out.format?.duration !== undefined ? Number(out.format.duration) : NaN;
  const count = opencvFrameCount({
    nbFrames,
    formatDurationUs: Number.isFinite(fmtDur) ? Math.round(fmtDur * 1_000_000) : null,
    streamDurationTs: typeof s.duration_ts === 'number' ? s.duration_ts : null,
    timeBase: s.time_base,
    fps,
  });
  const swap = rotation === 90 || rotation === 270;
  return {
    path,
    container: out.format?.format_name ?? 'unknown',
    codec: s.codec_name ?? 'unknown',
    pixelFormat: s.pix_fmt ?? 'unknown',
    width: swap ? codedH : codedW,
    height: swap ? codedW : codedH,
    rotation,
    fps,
    avgFrameRate: s.avg_frame_rate ?? '0/0',
    rFrameRate: s.r_frame_rate ?? '0/0',
    timeBase: s.time_base ?? '0/0',
    frameCount: count.frameCount,
    frameCountKnown: count.known,
    nbFrames,
    durationSec: count.durationSec,
    colorRange: s.color_range ?? 'unknown',
    colorSpace: s.color_space ?? 'unknown',
  };
}

/** Dimension.prefetch for video dimensions: probe the file ahead of scoring it (errors surface when it is scored). */
export function prefetchVideoProbe(sample: { path: string }): void {
  probeVideo(sample.path).catch(() => {});
}
