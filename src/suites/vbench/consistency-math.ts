/**
 * The frame-consistency formula shared by VBench subject_consistency (DINO features) and
 * background_consistency (CLIP features), spec §1.3/§2.3: with unit features f_0..f_{T−1},
 *   s_i = (max(0, cos(f_{i−1}, f_i)) + max(0, cos(f_0, f_i))) / 2   for i ≥ 1,
 *   video_sim = Σ s_i,  video_results = video_sim / (T − 1),
 * and the dimension score Σ video_sim / Σ (T − 1) over videos (frame-pair weighted).
 * Streaming: only the first and the previous feature are kept.
 */
import { roundToFloat16 } from '../../core/pycompat/float16.ts';

/** `F.normalize(x, dim=-1)`: x / max(‖x‖₂, 1e-12). */
export function l2Normalize(x: ArrayLike<number>): Float64Array {
  let ss = 0;
  for (let i = 0; i < x.length; i++) ss += x[i]! * x[i]!;
  const n = Math.max(Math.sqrt(ss), 1e-12);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! / n;
  return out;
}

/** `F.cosine_similarity(a, b, eps=1e-8)` = a·b / max(‖a‖·‖b‖, eps). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`feature lengths differ: ${a.length} vs ${b.length}`);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.max(Math.sqrt(na * nb), 1e-8);
}

export type CosineRounding = 'none' | 'fp16';

/** Accumulates one video's frame features in order. */
export class ConsistencyAccumulator {
  private first: Float64Array | undefined;
  private prev: Float64Array | undefined;
  frames = 0;
  videoSim = 0;
  private readonly round: (x: number) => number;

  constructor(rounding: CosineRounding = 'none') {
    this.round = rounding === 'fp16' ? roundToFloat16 : (x) => x;
  }

  /** Adds the raw (unnormalised) feature of the next frame. */
  add(feature: ArrayLike<number>): void {
    const f = l2Normalize(feature);
    if (this.first && this.prev) {
      const simPrev = Math.max(0, this.round(cosineSimilarity(this.prev, f)));
      const simFirst = Math.max(0, this.round(cosineSimilarity(this.first, f)));
      this.videoSim += (simPrev + simFirst) / 2;
    } else {
      this.first = f;
    }
    this.prev = f;
    this.frames++;
  }

  get pairs(): number {
    return Math.max(0, this.frames - 1);
  }

  /** `video_results` = video_sim / (T − 1). */
  score(): number {
    return this.videoSim / this.pairs;
  }
}

/** Σ video_sim / Σ cnt_per_video, in record order (Python float sums). */
export function aggregatePairWeighted(videos: readonly { videoSim: number; pairs: number }[]): number {
  let sim = 0;
  let cnt = 0;
  for (const v of videos) {
    sim += v.videoSim;
    cnt += v.pairs;
  }
  return sim / cnt;
}
