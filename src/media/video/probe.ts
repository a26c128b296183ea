import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { promisify } from 'node:util';
import { GenbenchError } from '../../core/errors.ts';
import { ffprobePath } from './tools.ts';

const execFileAsync = promisify(execFile);

export interface VideoInfo {
  width: number;
  height: number;
  codec: string;
  /** Frames per second as OpenCV's CAP_PROP_FPS reports it: the stream's average frame rate. */
  fps: number;
  /** Average frame rate as a rational, e.g. "30000/1001". */
  avgFrameRate: string;
  /** Frame count as OpenCV's CAP_PROP_FRAME_COUNT reports it (container's count, or duration × fps). */
  frameCountHint: number;
  durationSec: number | null;
}

function rational(r: string | undefined): number {
  if (!r) return 0;
  const [n, d] = r.split('/').map(Number);
  if (!d || !Number.isFinite(n!) || !Number.isFinite(d)) return 0;
  return n! / d;
}

/** Probe the first video stream (ffprobe). Missing file → E_NOT_FOUND; no video stream → E_DECODE. */
export async function probeVideo(path: string): Promise<VideoInfo> {
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
  } catch {
    throw new GenbenchError('E_NOT_FOUND', `video not found: ${path}`);
  }
  let stdout: string;
  try {
    ({ stdout } = await execFileAsync(
      ffprobePath(),
      ['-v', 'error', '-select_streams', 'v:0', '-show_streams', '-show_format', '-of', 'json', path],
      { maxBuffer: 16 << 20 },
    ));
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? '';
    throw new GenbenchError('E_DECODE', `cannot read video ${path}: ${lastLines(stderr) || 'ffprobe failed'}`, 'the file is not a video ffmpeg can decode');
  }
  const j = JSON.parse(stdout) as { streams?: Record<string, string | number>[]; format?: Record<string, string> };
  const s = j.streams?.[0];
  if (!s) throw new GenbenchError('E_DECODE', `no video stream in ${path}`, 'the file is not a video');
  const avg = rational(String(s.avg_frame_rate ?? ''));
  const fps = avg > 1e-6 ? avg : rational(String(s.r_frame_rate ?? ''));
  const durationSec = Number(s.duration ?? j.format?.duration ?? NaN);
  const nb = Number(s.nb_frames ?? 0);
  const frameCountHint = nb > 0 ? nb : Number.isFinite(durationSec) ? Math.floor(durationSec * fps + 0.5) : 0;
  return {
    width: Number(s.width),
    height: Number(s.height),
    codec: String(s.codec_name),
    fps,
    avgFrameRate: String(avg > 1e-6 ? s.avg_frame_rate : s.r_frame_rate),
    frameCountHint,
    durationSec: Number.isFinite(durationSec) ? durationSec : null,
  };
}

export function lastLines(text: string, n = 3): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}
