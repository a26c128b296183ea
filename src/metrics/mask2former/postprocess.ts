/**
 * mmdetection 2.x's Mask2Former instance post-processing for GenEval's detector config (spec §2.3),
 * on the raw network outputs of our ONNX contract:
 *   `cls_logits` [1, Q, 81] (80 COCO classes + "no object") and `mask_logits` [1, Q, H_pad/4, W_pad/4].
 * Steps: softmax over 81 → drop "no object" → top 100 of the Q·80 (query, class) scores; for each
 * kept pair the query's mask logits upsampled (bilinear, align_corners=False) to the padded size,
 * cropped to the resized image, upsampled to the original size; binary = logit > 0;
 * mask score = Σ sigmoid·binary / (Σ binary + 1e-6); score = class prob · mask score; box = tight
 * box of the binary mask with exclusive right/bottom ([0,0,0,0] when empty). Results grouped per
 * class (mmdet's bbox2result). Only the kept queries' masks are upsampled (the others are never
 * used), one at a time, so memory stays at a few masks.
 */
import { planarTensor } from '../../media/image.ts';
import { torchInterpolate } from '../../media/resize/torch-interpolate.ts';
import { MASK2FORMER_SWIN_S_COCO } from './spec.ts';

const f32 = Math.fround;
export const MASK2FORMER_CLASSES: number = MASK2FORMER_SWIN_S_COCO.preprocess.postprocess.classes;
export const MASK2FORMER_TOP_K: number = MASK2FORMER_SWIN_S_COCO.preprocess.postprocess.topK;

export interface Mask2FormerOutputs {
  queries: number;
  /** Q × 81, query-major. */
  clsLogits: Float32Array;
  /** Q × maskH × maskW. */
  maskLogits: Float32Array;
  maskH: number;
  maskW: number;
}

export interface ImageGeometry {
  /** Padded network input size (multiple of 32). */
  padH: number;
  padW: number;
  /** The resized image inside the padding (mmcv.imrescale's size). */
  imgH: number;
  imgW: number;
  /** The original image size. */
  oriH: number;
  oriW: number;
}

export interface InstanceDetection {
  /** [x1, y1, x2, y2, score], float32 values. */
  box: [number, number, number, number, number];
  /** oriH × oriW, 1 where the mask logit is > 0. */
  mask: Uint8Array;
  query: number;
}

/** Softmax over one query's 81 logits (float32 result). */
export function softmaxRow(logits: Float32Array, offset: number, n: number): Float32Array {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[offset + i]!);
  const out = new Float32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += out[i] = Math.exp(logits[offset + i]! - max);
  for (let i = 0; i < n; i++) out[i] = f32(out[i]! / sum);
  return out;
}

/** The top `k` (query, class) pairs by probability, highest first (ties: lower flat index first). */
export function topQueryClasses(o: Mask2FormerOutputs, k = MASK2FORMER_TOP_K): { query: number; label: number; prob: number }[] {
  const nc = MASK2FORMER_CLASSES + 1;
  const scores: { query: number; label: number; prob: number; flat: number }[] = [];
  for (let q = 0; q < o.queries; q++) {
    const p = softmaxRow(o.clsLogits, q * nc, nc);
    for (let c = 0; c < MASK2FORMER_CLASSES; c++) scores.push({ query: q, label: c, prob: p[c]!, flat: q * MASK2FORMER_CLASSES + c });
  }
  scores.sort((a, b) => b.prob - a.prob || a.flat - b.flat);
  return scores.slice(0, k).map(({ query, label, prob }) => ({ query, label, prob }));
}

/** One query's mask logits at the original resolution (upsample to padded, crop, upsample). */
export function queryMaskAtOriginal(o: Mask2FormerOutputs, query: number, g: ImageGeometry): Float32Array {
  const plane = o.maskH * o.maskW;
  const m = planarTensor(1, o.maskH, o.maskW, o.maskLogits.slice(query * plane, (query + 1) * plane));
  const padded = torchInterpolate(m, g.padH, g.padW, 'bilinear');
  const crop = planarTensor(1, g.imgH, g.imgW);
  for (let y = 0; y < g.imgH; y++) crop.data.set(padded.data.subarray(y * g.padW, y * g.padW + g.imgW), y * g.imgW);
  return torchInterpolate(crop, g.oriH, g.oriW, 'bilinear').data;
}

/** Binary mask, mask score and tight box of one query's logits at original size. */
export function maskStatistics(logits: Float32Array, width: number): { mask: Uint8Array; maskScore: number; box: [number, number, number, number] } {
  const mask = new Uint8Array(logits.length);
  let sigSum = 0;
  let count = 0;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -1;
  let y1 = -1;
  for (let i = 0; i < logits.length; i++) {
    const l = logits[i]!;
    if (l > 0) {
      mask[i] = 1;
      count++;
      sigSum += 1 / (1 + Math.exp(-l));
      const x = i % width;
      const y = (i - x) / width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  const maskScore = f32(sigSum / (count + 1e-6));
  const box: [number, number, number, number] = count === 0 ? [0, 0, 0, 0] : [x0, y0, x1 + 1, y1 + 1];
  return { mask, maskScore, box };
}

/** mmdet's per-class results (bbox2result + masks) for GenEval: index = class. */
export function mask2formerInstances(o: Mask2FormerOutputs, g: ImageGeometry, k = MASK2FORMER_TOP_K): InstanceDetection[][] {
  const perClass: InstanceDetection[][] = Array.from({ length: MASK2FORMER_CLASSES }, () => []);
  const cache = new Map<number, ReturnType<typeof maskStatistics>>();
  for (const { query, label, prob } of topQueryClasses(o, k)) {
    let stats = cache.get(query);
    if (!stats) {
      stats = maskStatistics(queryMaskAtOriginal(o, query, g), g.oriW);
      cache.set(query, stats);
    }
    const score = f32(prob * stats.maskScore);
    perClass[label]!.push({ box: [...stats.box, score], mask: stats.mask, query });
  }
  return perClass;
}
