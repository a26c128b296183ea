/**
 * Where the ffmpeg and ffprobe binaries are, and what the ffmpeg binary supports.
 *
 * ffmpeg: `GENBENCH_FFMPEG`, else the static build that `@ffmpeg-installer/ffmpeg` installs (4.1).
 * ffprobe: `GENBENCH_FFPROBE`, else an `ffprobe` next to `GENBENCH_FFMPEG`, else the static build
 * that `@ffprobe-installer/ffprobe` installs. (The ffmpeg package ships no ffprobe; probing needs
 * the exact rational frame rates that only ffprobe prints.)
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GenbenchError } from '../core/errors.ts';

const require = createRequire(import.meta.url);

function mustBeExecutable(path: string, tool: string, envVar: string, origin: string): string {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    throw new GenbenchError(
      'E_NOT_FOUND',
      `${tool} (${origin}) is not an executable file: ${path}`,
      `run npm ci to reinstall it, or set ${envVar} to the path of an ${tool} binary`,
    );
  }
}

function installedBinary(pkg: string, tool: string, envVar: string): string {
  let path: string;
  try {
    path = (require(pkg) as { path: string }).path;
  } catch (e) {
    throw new GenbenchError('E_NOT_FOUND', `${tool}: package ${pkg} is not installed or has no binary for this platform (${(e as Error).message})`, `run npm ci, or set ${envVar}`);
  }
  return mustBeExecutable(path, tool, envVar, pkg);
}

/** Path of the ffmpeg binary (checked to be executable). */
export function ffmpegPath(): string {
  const env = process.env.GENBENCH_FFMPEG;
  if (env) return mustBeExecutable(env, 'ffmpeg', 'GENBENCH_FFMPEG', 'GENBENCH_FFMPEG');
  return installedBinary('@ffmpeg-installer/ffmpeg', 'ffmpeg', 'GENBENCH_FFMPEG');
}

/** Path of the ffprobe binary (checked to be executable). */
export function ffprobePath(): string {
  const env = process.env.GENBENCH_FFPROBE;
  if (env) return mustBeExecutable(env, 'ffprobe', 'GENBENCH_FFPROBE', 'GENBENCH_FFPROBE');
  const ff = process.env.GENBENCH_FFMPEG;
  if (ff) {
    const sibling = join(dirname(ff), 'ffprobe');
    if (existsSync(sibling)) return mustBeExecutable(sibling, 'ffprobe', 'GENBENCH_FFPROBE', 'next to GENBENCH_FFMPEG');
  }
  return installedBinary('@ffprobe-installer/ffprobe', 'ffprobe', 'GENBENCH_FFPROBE');
}

const passthroughCache = new Map<string, string[]>();

/**
 * Output option that passes every decoded frame through unchanged (no duplication or dropping to
 * a constant rate): `-fps_mode passthrough` where the binary knows it (ffmpeg ≥ 5.1), else
 * `-vsync 0`. Found once per binary from its own option list.
 */
export function passthroughOption(ffmpeg = ffmpegPath()): string[] {
  let args = passthroughCache.get(ffmpeg);
  if (!args) {
    let help = '';
    try {
      help = execFileSync(ffmpeg, ['-hide_banner', '-h', 'long'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 8 << 20 });
    } catch (e) {
      throw new GenbenchError('E_NOT_FOUND', `cannot run ffmpeg (${ffmpeg}): ${(e as Error).message}`, 'set GENBENCH_FFMPEG to a working ffmpeg binary');
    }
    args = /^-fps_mode\b/m.test(help) ? ['-fps_mode', 'passthrough'] : ['-vsync', '0'];
    passthroughCache.set(ffmpeg, args);
  }
  return args;
}

/** The last `n` non-empty lines of a tool's stderr, joined for one-line messages. */
export function lastLines(text: string, n = 4): string {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-n)
    .join(' | ');
}
