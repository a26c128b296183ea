/**
 * The arithmetic of VBench dynamic_degree (vbench/dynamic_degree.py @45e79ec, spec §5) and of the
 * static filter in front of temporal_flickering (static_filter.py, spec §3.4), around RAFT:
 *  - frames: every `interval`-th OpenCV frame, `interval = max(1, round(fps / 8))` with Python's
 *    half-to-even round (fps 20 → 2, fps 4 → 1); the static filter keeps every frame;
 *  - padding per pair: RAFT's InputPadder ('sintel': centred, the odd pixel at the bottom/right),
 *    replicate, to multiples of 8 (src/metrics/raft/processor.ts); the flow is never unpadded;
 *  - pair score (`get_score`): rad = sqrt(u² + v²) in float32 over the PADDED field, the mean of
 *    the int(Hp·Wp·p) largest values (p = 0.05 dynamic degree, 0.02 static filter), with numpy's
 *    float32 mean and numpy's NaN ordering (np.sort puts NaN last);
 *  - thresholds from the UNPADDED first frame: dynamic degree thres = 6·min(H,W)/256,
 *    count_num = round(4·N/16); static filter thres = 3·min(H,W)/256, count_num = round(2·T/16);
 *  - decisions `check_move` and `check_static` exactly as written (comparisons with NaN are false);
 *  - small frames: where the official RAFT's flow is NaN everywhere (64 ≤ min(Hp,Wp) < 128, see
 *    src/metrics/raft/model.ts raftSizeOutcome) every pair score is NaN and never exceeds a
 *    threshold; below 64 the official run stops.
 */
import { numpyMeanF32 } from '../../core/pycompat/numpy-float32.ts';
import { roundHalfEven } from '../../core/pycompat/round.ts';

const f32 = Math.fround;

/** `max(1, round(fps / 8))`: the frame step dynamic_degree reads .mp4 videos with. */
export function frameInterval(fps: number): number {
  return Math.max(1, roundHalfEven(fps / 8));
}

/** Indices of the frames dynamic_degree keeps out of `frameCount` read frames: 0, interval, 2·interval, … */
export function keptFrameIndices(frameCount: number, interval: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < frameCount; i += interval) out.push(i);
  return out;
}

/**
 * `get_score`: flow is [2, Hp, Wp] (batch 1 squeezed), u then v. The mean of the
 * int(Hp·Wp·fraction) largest float32 magnitudes, as numpy computes it (float32). NaN
 * magnitudes sort last, so they only enter (and make the mean NaN) when fewer than `cut` values
 * are finite; an empty cut gives NaN like np.mean of an empty array.
 */
export function topFractionMeanMagnitude(flow: Float32Array, height: number, width: number, fraction: number): number {
  const n = height * width;
  if (flow.length < 2 * n) throw new RangeError(`flow has ${flow.length} values, expected ${2 * n}`);
  const rad = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = flow[i]!;
    const v = flow[n + i]!;
    rad[i] = Math.sqrt(f32(f32(u * u) + f32(v * v)));
  }
  const cut = Math.trunc(n * fraction);
  if (cut <= 0) return Number.NaN;
  rad.sort(); // ascending, NaN last
  let finite = n;
  while (finite > 0 && Number.isNaN(rad[finite - 1]!)) finite--;
  if (cut > finite) return Number.NaN;
  const top = new Float32Array(cut);
  for (let i = 0; i < cut; i++) top[i] = rad[finite - 1 - i]!;
  return numpyMeanF32(top);
}

/** dynamic_degree's per-pair score (top 5%). */
export function dynamicPairScore(flow: Float32Array, height: number, width: number): number {
  return topFractionMeanMagnitude(flow, height, width, 0.05);
}

/** static_filter's per-pair score (top 2%). */
export function staticPairScore(flow: Float32Array, height: number, width: number): number {
  return topFractionMeanMagnitude(flow, height, width, 0.02);
}

export interface MotionParams {
  thres: number;
  countNum: number;
}

/** dynamic_degree `set_params`: (H, W) of the first kept frame, unpadded; `frames` = N kept. */
export function dynamicParams(height: number, width: number, frames: number): MotionParams {
  return { thres: 6.0 * (Math.min(height, width) / 256.0), countNum: roundHalfEven(4 * (frames / 16.0)) };
}

/** static_filter `set_params`: (H, W) of the first frame, unpadded; `frames` = T read. */
export function staticParams(height: number, width: number, frames: number): MotionParams {
  return { thres: 3.0 * (Math.min(height, width) / 256.0), countNum: roundHalfEven(2 * (frames / 16.0)) };
}

/** `check_move`: true as soon as `count >= count_num` after any pair; false without pairs. */
export function checkMove(scores: readonly number[], p: MotionParams): boolean {
  let count = 0;
  for (const s of scores) {
    if (s > p.thres) count++;
    if (count >= p.countNum) return true;
  }
  return false;
}

/**
 * `check_static`: `scores` are the consecutive-pair scores followed by (F0→F_last) and
 * (F_last→F0). Not static when more than count_num consecutive pairs exceed thres, or when
 * either first↔last score exceeds thres·count_num·2.
 */
export function checkStatic(scores: readonly number[], p: MotionParams): boolean {
  let count = 0;
  const cut = Math.max(0, scores.length - 2);
  for (const s of scores.slice(0, cut)) {
    if (s > p.thres) count++;
    if (count > p.countNum) return false;
  }
  for (const s of scores.slice(-2)) {
    if (s > p.thres * p.countNum * 2) return false;
  }
  return true;
}

/** `np.mean(list of bools)`: the fraction of videos classified as moving (NaN for none). */
export function fractionTrue(values: readonly boolean[]): number {
  if (values.length === 0) return Number.NaN;
  let n = 0;
  for (const v of values) if (v) n++;
  return n / values.length;
}
