/**
 * VBench's static-video filter, the protocol step before temporal_flickering (static_filter.py /
 * vbench/cli/static_filter.py @45e79ec, spec §3.4):
 *  - per video (`StaticFilter.infer`): EVERY OpenCV frame (no fps step), RAFT (20 iterations,
 *    test_mode) on each consecutive pair and then on (F0, F_last) and (F_last, F0), each padded to
 *    multiples of 8; pair score = mean of the top 2% flow magnitudes; `check_static` with
 *    thres = 3·min(H,W)/256 and count_num = round(T/8);
 *  - selection (`static_filter`): files `sorted(glob(videos_path/*.mp4))` (code-point order, no
 *    dot-files), the prompt from the file name (`prompt-3.mp4` → `prompt`), and for the
 *    'temporal_flickering' scope at most 5 static videos per prompt (later files of a full prompt
 *    are not run); other scopes run every file whose prompt is in scope. The chosen files are
 *    copied as `{prompt}-{i}.mp4`, i = rank in that order.
 */
import { GenbenchError } from '../../core/errors.ts';
import { decodeVideoFrames } from '../../media/video-decode.ts';
import type { FlowModel } from '../../metrics/raft/model.ts';
import { paddedPlanar, raftPadding, type RaftFrame as Padded } from '../../metrics/raft/processor.ts';
import { officialPairScore } from './dynamic-degree.ts';
import { checkStatic, staticPairScore, staticParams } from './dynamic-degree-math.ts';

export interface StaticFilterVideo {
  isStatic: boolean;
  frames: number;
  thres: number;
  countNum: number;
  /** Consecutive-pair scores, then (F0→F_last) and (F_last→F0). */
  pairScores: number[];
}

/** `StaticFilter.infer` for one video. */
export async function staticFilterVideo(path: string, session: FlowModel, signal?: AbortSignal): Promise<StaticFilterVideo> {
  const scores: number[] = [];
  let first: Padded | undefined;
  let firstHW: [number, number] | undefined;
  let prev: Padded | undefined;
  let frames = 0;
  const score = (a: Padded, b: Padded): Promise<number> => officialPairScore(session, a, b, staticPairScore, path);
  for await (const frame of decodeVideoFrames(path, { pixelFormat: 'rgb24', retain: 1, signal })) {
    frames++;
    const cur = paddedPlanar(frame.data, frame.height, frame.width, raftPadding(frame.height, frame.width));
    if (!first) {
      first = cur;
      firstHW = [frame.height, frame.width];
    }
    if (prev) scores.push(await score(prev, cur));
    prev = cur;
  }
  if (!first || !prev || !firstHW) {
    throw new GenbenchError('E_DECODE', `${path}: no frame could be read`, 'the official code stops here (assert frame_list != [])');
  }
  scores.push(await score(first, prev), await score(prev, first));
  const params = staticParams(firstHW[0], firstHW[1], frames);
  return { isStatic: checkStatic(scores, params), frames, thres: params.thres, countNum: params.countNum, pairScores: scores };
}

/** VBench `get_prompt_from_filename`: the stem, without a trailing `-<digits>`. */
export function promptFromFilename(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  const stem = dot > 0 ? base.slice(0, dot) : base;
  return stem.replace(/-\p{Nd}+$/u, '');
}

/** Python's `sorted()` on str: by code point. */
export function pythonSorted(names: readonly string[]): string[] {
  const cmp = (a: string, b: string): number => {
    const ca = [...a].map((c) => c.codePointAt(0)!);
    const cb = [...b].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(ca.length, cb.length); i++) if (ca[i] !== cb[i]) return ca[i]! - cb[i]!;
    return ca.length - cb.length;
  };
  return [...names].sort(cmp);
}

/** `glob(os.path.join(dir, '*.mp4'))` on a list of file names: no dot-files, case-sensitive suffix. */
export function globMp4(names: readonly string[]): string[] {
  return names.filter((n) => !n.startsWith('.') && n.endsWith('.mp4'));
}

export type StaticFilterScope =
  /** The 'temporal_flickering' scope: these prompts, at most 5 static videos each. */
  | { kind: 'temporal_flickering'; prompts: readonly string[] }
  /** 'all': every prompt found among the files, no limit. */
  | { kind: 'all' }
  /** A JSON list of file names or prompts: their prompts, no limit. */
  | { kind: 'list'; entries: readonly string[] };

export interface StaticSelection {
  static_count: number;
  static_path: string[];
}

/**
 * The official `static_filter()` loop. `paths` are the full paths globbed from the folder (any
 * order; they are sorted here); `isStatic` runs `infer`. Returns `filtered_static_video.json`'s
 * object (prompt order as the official dict) and the copies to make (`{prompt}-{i}.mp4`).
 */
export async function selectStaticVideos(
  paths: readonly string[],
  scope: StaticFilterScope,
  isStatic: (path: string) => Promise<boolean>,
): Promise<{ results: Map<string, StaticSelection>; copies: { from: string; to: string }[] }> {
  const sorted = pythonSorted(paths);
  const results = new Map<string, StaticSelection>();
  const inScope = new Set<string>();
  const add = (p: string): void => {
    results.set(p, { static_count: 0, static_path: [] });
    inScope.add(p);
  };
  if (scope.kind === 'temporal_flickering') scope.prompts.forEach(add);
  else if (scope.kind === 'all') sorted.forEach((p) => add(promptFromFilename(p)));
  else scope.entries.forEach((e) => add(promptFromFilename(e)));
  for (const path of sorted) {
    const name = promptFromFilename(path);
    if (!inScope.has(name)) continue;
    const entry = results.get(name)!;
    if (entry.static_count < 5 || scope.kind !== 'temporal_flickering') {
      if (await isStatic(path)) {
        entry.static_count++;
        entry.static_path.push(path);
      }
    }
  }
  const copies: { from: string; to: string }[] = [];
  for (const [prompt, v] of results) v.static_path.forEach((from, i) => copies.push({ from, to: `${prompt}-${i}.mp4` }));
  return { results, copies };
}
