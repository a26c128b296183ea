import { accessSync, constants } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { GenbenchError } from '../../core/errors.ts';

const require = createRequire(import.meta.url);

function executable(path: string, what: string, envVar: string): string {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    throw new GenbenchError('E_NOT_FOUND', `${what} is not executable: ${path}`, `reinstall with npm ci, or set ${envVar} to an ${what} binary`);
  }
}

let ffmpegCached: string | undefined;
let ffprobeCached: string | undefined;

/** ffmpeg binary: GENBENCH_FFMPEG, else the static build that @ffmpeg-installer/ffmpeg installs. */
export function ffmpegPath(): string {
  if (process.env.GENBENCH_FFMPEG) return executable(process.env.GENBENCH_FFMPEG, 'ffmpeg', 'GENBENCH_FFMPEG');
  ffmpegCached ??= executable((require('@ffmpeg-installer/ffmpeg') as { path: string }).path, 'ffmpeg', 'GENBENCH_FFMPEG');
  return ffmpegCached;
}

/** ffprobe binary: GENBENCH_FFPROBE, else the static build that @ffprobe-installer/ffprobe installs. */
export function ffprobePath(): string {
  if (process.env.GENBENCH_FFPROBE) return executable(process.env.GENBENCH_FFPROBE, 'ffprobe', 'GENBENCH_FFPROBE');
  ffprobeCached ??= executable((require('@ffprobe-installer/ffprobe') as { path: string }).path, 'ffprobe', 'GENBENCH_FFPROBE');
  return ffprobeCached;
}

const versionCache = new Map<string, number>();

/** Major version of an ffmpeg binary (N-… git builds are treated as current). */
export function ffmpegMajorVersion(path = ffmpegPath()): number {
  let v = versionCache.get(path);
  if (v === undefined) {
    const out = execFileSync(path, ['-version'], { encoding: 'utf8' });
    const m = /ffmpeg version (?:n)?(\d+)\./.exec(out);
    const git = /ffmpeg version N-(\d+)/.exec(out);
    // Static git builds: N-47683 is the 4.1 era; later N- numbers are newer.
    v = m ? Number(m[1]) : git ? (Number(git[1]) < 100000 ? 4 : 7) : 4;
    versionCache.set(path, v);
  }
  return v;
}

/** The flag that passes frames through as decoded (no duplication or dropping to a constant rate). */
export function passthroughArgs(path = ffmpegPath()): string[] {
  return ffmpegMajorVersion(path) >= 5 ? ['-fps_mode', 'passthrough'] : ['-vsync', '0'];
}
