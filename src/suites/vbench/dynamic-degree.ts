/**
 * VBench dynamic_degree (vbench/dynamic_degree.py @45e79ec, spec §5): OpenCV's frames of an .mp4,
 * every max(1, round(fps/8))-th of them, RAFT (20 iterations, test_mode) on each consecutive kept
 * pair padded to multiples of 8 (replicate, centred), the mean of the top 5% flow magnitudes of
 * the padded field per pair, and `check_move` against thres = 6·min(H,W)/256 with
 * count_num = round(N/4). The per-video value is a boolean; the dimension score is the fraction
 * of videos that move. The arithmetic lives in dynamic-degree-math.ts.
 *
 * Streaming: only the previous kept frame is held (as the padded float tensor RAFT reads).
 * RAFT stops once check_move's answer is decided (see dynamicDegreeVideo; same boolean).
 * Videos the official code cannot score become error records:
 *  - a file whose name does not end in `.mp4` (the official `infer` raises NotImplementedError;
 *    it also accepts image folders, which are not samples here): E_INPUT;
 *  - no readable frame (the official assertion fails and the run stops): E_DECODE.
 * One readable kept frame gives no pair and `false`, as in the official code. Frames under 128 px
 * (after padding) on a side get NaN pair scores, under 64 px an E_INPUT error, as the official
 * RAFT does (see dynamic-degree-math.ts).
 */
import { GenbenchError } from '../../core/errors.ts';
import { decodeVideoFrames } from '../../media/video-decode.ts';
import { prefetchVideoProbe, probeVideo } from '../../media/video-probe.ts';
import { modelRunner, OrderedRuns } from '../../runtime/session-workers.ts';
import { requireMp4 } from './video-frames.ts';
import type { Dimension, SampleRecord } from '../../core/contracts.ts';
import { defineDimension } from '../../core/define-dimension.ts';
import type { ModelHandle } from '../../runtime/model-handle.ts';
import { checkMove, dynamicPairScore, dynamicParams, fractionTrue, frameInterval } from './dynamic-degree-math.ts';
import { officialFlow, type FlowModel } from '../../metrics/raft/model.ts';
import { paddedPlanar, raftPadding, type RaftFrame } from '../../metrics/raft/processor.ts';
import { dynamicDegreeBefore } from './previous-settings.ts';

/**
 * The official pair score for a padded pair, `score` applied to RAFT's flow; NaN without running
 * the model where the official RAFT's flow is NaN, an error where it raises (metrics/raft officialFlow).
 */
export async function officialPairScore(
  session: FlowModel,
  a: RaftFrame,
  b: RaftFrame,
  score: (flow: Float32Array, height: number, width: number) => number,
  path: string,
): Promise<number> {
  const flow = await officialFlow(session, a, b, path);
  return flow === null ? Number.NaN : score(flow, a.height, a.width);
}

export interface DynamicDegreeVideo {
  moving: boolean;
  fps: number;
  interval: number;
  framesRead: number;
  kept: number;
  height: number;
  width: number;
  paddedHeight: number;
  paddedWidth: number;
  thres: number;
  countNum: number;
  /** The pairs RAFT ran on, in order: every pair, or the first ones when the answer was decided early. */
  pairScores: number[];
  /** RAFT stopped before the last pair because the answer was already decided. */
  stoppedEarly: boolean;
}

export interface DynamicDegreeOptions {
  /** Run RAFT on every kept pair, as the official loop does, instead of stopping once the answer is decided. */
  exhaustive?: boolean;
  /** Frames the video is expected to have (default: the container's, CAP_PROP_FRAME_COUNT); tests only. */
  expectedFrames?: number;
}

/**
 * The official per-video computation (`DynamicDegree.infer` on an .mp4). With a ModelRunner whose
 * `ahead` > 0, that many pairs run while the next frames decode (each pair's frames are its own).
 *
 * `check_move` only counts pair scores above `thres` and answers true once the count reaches
 * `count_num`, so its answer is fixed as soon as that many pairs have passed (true) or too few
 * pairs are left to get there (false). count_num = round(N/4) needs N, the number of kept frames,
 * which is only known once the video is decoded, so the decision uses N expected from the
 * container's frame count, decoding goes on to the end (cheap next to RAFT), and the decision is
 * kept only if the real N is the expected one; otherwise every pair is scored in a second pass.
 * The boolean is the official one either way; `pairScores` then holds only the pairs RAFT ran on.
 */
export async function dynamicDegreeVideo(path: string, session: FlowModel, signal?: AbortSignal, options: DynamicDegreeOptions = {}): Promise<DynamicDegreeVideo> {
  const probe = await probeVideo(path, { signal });
  const interval = frameInterval(probe.fps);
  const expectedFrames = options.expectedFrames ?? (probe.frameCountKnown && probe.frameCount > 0 ? probe.frameCount : undefined);
  const expectedKept = !options.exhaustive && expectedFrames !== undefined ? Math.ceil(expectedFrames / interval) : undefined;
  const pairScores: number[] = [];
  const runs = new OrderedRuns<number>(session.ahead ?? 0);
  let prev: { data: Float32Array; height: number; width: number } | undefined;
  let first: { height: number; width: number } | undefined;
  let padded: { height: number; width: number } | undefined;
  let expected: ReturnType<typeof dynamicParams> | undefined;
  let framesRead = 0;
  let kept = 0;
  let hits = 0;
  let submitted = 0;
  let decided: boolean | undefined;
  /** How many pairs (in order) decided the answer. */
  let decidedAt = 0;
  const take = (scores: number[]): void => {
    for (const s of scores) {
      pairScores.push(s);
      if (s > (expected?.thres ?? Infinity)) hits++;
      if (decided !== undefined || !expected || expectedKept === undefined) continue;
      if (hits >= expected.countNum) decided = true;
      else if (hits + (expectedKept - 1 - pairScores.length) < expected.countNum) decided = false;
      if (decided !== undefined) decidedAt = pairScores.length;
    }
  };
  for await (const frame of decodeVideoFrames(path, { pixelFormat: 'rgb24', retain: 1, signal, probe })) {
    framesRead++;
    if (frame.index % interval !== 0) continue;
    kept++;
    if (!first) {
      first = { height: frame.height, width: frame.width };
      if (expectedKept !== undefined) expected = dynamicParams(frame.height, frame.width, expectedKept);
    }
    if (decided !== undefined) continue; // the answer is known: only count the frames
    // InputPadder is built per pair from image1's shape; every frame of a stream has one size.
    const cur = paddedPlanar(frame.data, frame.height, frame.width, raftPadding(frame.height, frame.width));
    padded = { height: cur.height, width: cur.width };
    if (prev) {
      submitted++;
      take(await runs.push(officialPairScore(session, prev, cur, dynamicPairScore, path)));
    }
    prev = cur;
  }
  take(await runs.drain());
  if (!first || !padded) {
    throw new GenbenchError('E_DECODE', `${path}: no frame could be read`, 'the official code stops the whole run here (assert frame_list != [])');
  }
  const params = dynamicParams(first.height, first.width, kept);
  let moving: boolean;
  let stoppedEarly = false;
  if (decided !== undefined && kept === expectedKept) {
    // The record holds the pairs that decided, whatever ran in flight after them: the same
    // record however many runs were in flight (and check_move's answer on every pair).
    pairScores.length = decidedAt;
    stoppedEarly = decidedAt < kept - 1;
    moving = decided;
  } else if (submitted === Math.max(0, kept - 1)) {
    moving = checkMove(pairScores, params);
  } else {
    // The container's frame count was wrong, so count_num was: score every pair.
    return dynamicDegreeVideo(path, session, signal, { exhaustive: true });
  }
  return {
    moving,
    fps: probe.fps,
    interval,
    framesRead,
    kept,
    height: first.height,
    width: first.width,
    paddedHeight: padded.height,
    paddedWidth: padded.width,
    thres: params.thres,
    countNum: params.countNum,
    pairScores,
    stoppedEarly,
  };
}

export function movingFractionAggregate(records: readonly SampleRecord[]): number {
  return fractionTrue(records.filter((r) => r.ok && typeof r.value === 'boolean').map((r) => r.value as boolean));
}

/** `exhaustive`: RAFT on every pair (see dynamicDegreeVideo); by default it stops once the answer is decided. */
export const dynamicDegree = defineDimension<{ exhaustive: boolean }, ModelHandle>({
  id: 'dynamic_degree',
  suite: 'vbench',
  models: ['raft-things'],
  params: {
    exhaustive: {
      values: ['false', 'true'],
      parse: (text) => text === 'true',
      default: false,
      help: 'true runs RAFT on every pair as the official loop (same verdicts; by default RAFT stops once check_move is decided)',
      // The verdicts are the same; the records' pair_scores are not (all pairs, or those RAFT ran on).
      changesNumbers: true,
    },
  },
  notes: (p) => ({
    frames: 'every max(1, round_half_even(fps/8))-th frame, fps = OpenCV CAP_PROP_FPS',
    reader: 'ffmpeg decode equal to OpenCV 4.6 cv2.VideoCapture, BGR→RGB, float 0..255',
    pad: 'RAFT InputPadder sintel (centred), replicate, multiple of 8; flow not unpadded',
    model: 'raft-things, iters=20, test_mode=True, flow_up',
    score: 'mean of the top int(Hp*Wp*0.05) float32 flow magnitudes per pair; thres 6*min(H,W)/256, count_num round(N/4), check_move',
    pairs: p.exhaustive
      ? 'RAFT on every kept pair (the official loop)'
      : 'RAFT stops once check_move is decided (the official boolean; pair_scores then holds the pairs run)',
    aggregate: 'fraction of videos whose video_results is true (np.mean of booleans)',
    official: 'Vchitect/VBench vbench/dynamic_degree.py @45e79ec14e69a2187202c675d2dbce1a71843d53',
  }),
  previousSettings: dynamicDegreeBefore,
  prefetch: prefetchVideoProbe,
  scorer: (options) =>
    async function scoreSample(sample, ctx) {
      requireMp4(sample.path, 'dynamic_degree');
      const model = await ctx.models!.get('raft-things');
      const r = await dynamicDegreeVideo(sample.path, modelRunner(model.session), ctx.signal, { exhaustive: options.exhaustive });
      return {
        value: r.moving,
        extra: {
          pair_scores: r.pairScores,
          pairs: Math.max(0, r.kept - 1),
          stopped_early: r.stoppedEarly,
          thres: r.thres,
          count_num: r.countNum,
          fps: r.fps,
          interval: r.interval,
          frames_read: r.framesRead,
          frames_kept: r.kept,
          padded: [r.paddedHeight, r.paddedWidth],
        },
      };
    },
  aggregate: movingFractionAggregate,
});

export function createDynamicDegreeDimension(options: { exhaustive?: boolean } = {}): Dimension<ModelHandle> {
  return dynamicDegree.create(options);
}
