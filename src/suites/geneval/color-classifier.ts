/**
 * GenEval's CLIP colour classification (`color_classification` + `ImageCrops` of
 * evaluation/evaluate_images.py @ af4902f, with clip_benchmark 1.4.0's `zero_shot_classifier` and
 * `run_classification`; spec §3.4, §3.6):
 *
 *  - per class name, a zero-shot classifier: for each colour of `GENEVAL_COLORS` the three texts of
 *    `GENEVAL_COLOR_TEMPLATES` through the CLIP text tower, each embedding L2-normalised, their mean
 *    L2-normalised → one column of W (D × 10); cached per class name;
 *  - per object, the crop: the image (EXIF-transposed, RGB) where the mask is set, grey #999
 *    elsewhere, cut to the box (x2/y2 exclusive, PIL's half-to-even rounding, zeros outside the
 *    image), then open_clip's eval transform (Pillow bicubic resize of the short side to 224, centre
 *    crop 224, ToTensor, CLIP mean/std);
 *  - batches of 16 through the image tower; `f = normalize(image_embeds)`,
 *    `logits = 100 * f @ W`, colour = argmax (lowest index on ties).
 *
 * Precision: the official run is on CUDA under `torch.cuda.amp.autocast`, where `f @ W` is an fp16
 * matmul (fp16 inputs, fp16 result). `logits: 'fp16'` (default) rounds 100·f and W to fp16 and the
 * products' sum to fp16, as that matmul does; `'fp32'` keeps float32 throughout (what the official
 * code computes on a CPU, where autocast disables itself). The towers themselves run in fp32 here;
 * the CUDA run also evaluates them under fp16 autocast, which is not emulated (spec §3.9).
 *
 * Models: the CLIP family's 'clip-vit-l14-text' and 'clip-vit-l14-image' towers (src/metrics/clip/:
 * their contracts, open_clip's eval transform, the BPE tokenizer), whose embeddings are not
 * normalised.
 *
 * Parity: tests/golden/geneval-color.json (tools/parity/geneval_color_golden.py).
 */
import { roundHalfEven } from '../../core/pycompat/round.ts';
import { GenbenchError } from '../../core/errors.ts';
import { rgbImage, type RgbImage } from '../../media/image.ts';
import { readRgbImage } from '../../media/image-io.ts';
import type { ClipTokenizer } from '../../metrics/clip/clip-tokenizer.ts';
import { checkClipTower, encodeImages, encodeText } from '../../metrics/clip/model.ts';
import { CLIP_IMAGE_SIZE, clipPilTransform } from '../../metrics/clip/processor.ts';
import type { SessionModel } from '../../metrics/common/tensor-io.ts';
import { roundToFloat16 } from '../../core/pycompat/float16.ts';
import { GENEVAL_COLORS, type ColorClassifier, type GenevalColor } from './task-checks.ts';

/** The classifier texts of `color_classification`, in order (`{c}` colour word, `{obj}` class name). */
export const GENEVAL_COLOR_TEMPLATES = ['a photo of a {c} {obj}', 'a photo of a {c}-colored {obj}', 'a photo of a {c} object'] as const;
/** `bgcolor` default "#999": the grey painted outside the mask. */
export const GENEVAL_CROP_BACKGROUND = 153;
/** The DataLoader's batch size. */
export const GENEVAL_CLIP_BATCH = 16;
/** clip_benchmark's fixed logit scale. */
export const GENEVAL_LOGIT_SCALE = 100;

export type LogitPrecision = 'fp16' | 'fp32';

/** What the classifier needs of a detection: its box (x1, y1, x2, y2, …) and binary mask (H × W, non-zero = object). */
export interface ColorObject {
  box: readonly number[];
  mask?: Uint8Array | null;
}

export interface ColorClassifierModels {
  /** 'clip-vit-l14-text' (or a model with its contract). */
  textTower: SessionModel;
  /** 'clip-vit-l14-image' (or a model with its contract). */
  imageTower: SessionModel;
  tokenizer: ClipTokenizer;
}

export interface ColorClassifierOptions {
  /** Rounding of `100 * f @ W`: 'fp16' as the official CUDA run (default), 'fp32' as the official code on a CPU. */
  logits?: LogitPrecision;
  /** Crops per image-tower run (default 16, the official DataLoader's; results do not depend on it). */
  batchSize?: number;
}

/** One object's result: the colour word and the 10 logits (COLORS order). */
export interface ColorPrediction {
  color: GenevalColor;
  logits: Float32Array;
}

/** The 30 classifier texts of a class name: colour-major, templates in order. */
export function colorPromptTexts(className: string): string[] {
  return GENEVAL_COLORS.flatMap((c) => GENEVAL_COLOR_TEMPLATES.map((t) => t.replace('{c}', c).replace('{obj}', className)));
}

/** `F.normalize(x, dim=-1)` on each row of a row-major [rows, dim] float32 matrix: x / max(‖x‖₂, 1e-12). */
export function l2NormalizeRows(x: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let r = 0; r * dim < x.length; r++) {
    let ss = 0;
    for (let i = 0; i < dim; i++) ss += x[r * dim + i]! * x[r * dim + i]!;
    const n = Math.max(Math.fround(Math.sqrt(ss)), 1e-12);
    for (let i = 0; i < dim; i++) out[r * dim + i] = Math.fround(x[r * dim + i]! / n);
  }
  return out;
}

/**
 * clip_benchmark `zero_shot_classifier` from the text tower's outputs: `textEmbeds` row-major
 * [colours × templates, dim] (colour-major, `colorPromptTexts` order). Returns W row-major [dim, colours].
 */
export function zeroShotWeights(textEmbeds: Float32Array, dim: number, colours = GENEVAL_COLORS.length, templates = GENEVAL_COLOR_TEMPLATES.length): Float32Array {
  if (textEmbeds.length !== colours * templates * dim) throw new RangeError(`expected ${colours * templates}×${dim} text embeddings, got ${textEmbeds.length} values`);
  const normed = l2NormalizeRows(textEmbeds, dim);
  const w = new Float32Array(dim * colours);
  const mean = new Float32Array(dim);
  for (let c = 0; c < colours; c++) {
    for (let i = 0; i < dim; i++) {
      let s = 0;
      for (let t = 0; t < templates; t++) s = Math.fround(s + normed[(c * templates + t) * dim + i]!);
      mean[i] = Math.fround(s / templates);
    }
    const col = l2NormalizeRows(mean, dim);
    for (let i = 0; i < dim; i++) w[i * colours + c] = col[i]!;
  }
  return w;
}

/**
 * `100 * normalize(imageEmbeds) @ W` for row-major [n, dim] embeddings and W [dim, k]: [n, k].
 * 'fp32': float32 operands, the sum rounded to float32. 'fp16': the autocast matmul, operands and
 * result rounded to fp16 (products summed exactly, then rounded once).
 */
export function colorLogits(imageEmbeds: Float32Array, dim: number, w: Float32Array, precision: LogitPrecision): Float32Array {
  const k = w.length / dim;
  if (!Number.isInteger(k) || imageEmbeds.length % dim !== 0) throw new RangeError(`embedding size ${dim} does not fit W (${w.length} values) or the embeddings (${imageEmbeds.length})`);
  const n = imageEmbeds.length / dim;
  const f = l2NormalizeRows(imageEmbeds, dim);
  const round = precision === 'fp16' ? roundToFloat16 : (x: number) => x;
  const wr = precision === 'fp16' ? Float32Array.from(w, roundToFloat16) : w;
  const out = new Float32Array(n * k);
  for (let r = 0; r < n; r++) {
    const a = new Float64Array(dim);
    for (let i = 0; i < dim; i++) a[i] = round(Math.fround(GENEVAL_LOGIT_SCALE * f[r * dim + i]!));
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let i = 0; i < dim; i++) s += a[i]! * wr[i * k + c]!;
      out[r * k + c] = round(Math.fround(s));
    }
  }
  return out;
}

/** `argmax` with the lowest index on ties (torch's first maximal value). */
export function argmaxFirst(values: ArrayLike<number>, offset = 0, count = values.length - offset): number {
  let best = 0;
  for (let i = 1; i < count; i++) if (values[offset + i]! > values[offset + best]!) best = i;
  return best;
}

/**
 * `ImageCrops.__getitem__` before the transform: the image where `mask` is non-zero and
 * `GENEVAL_CROP_BACKGROUND` grey elsewhere (no mask: the image itself), cut to `box[:4]` as
 * `PIL.Image.crop` does (coordinates rounded half-to-even, pixels outside the image black).
 */
export function maskedObjectCrop(image: RgbImage, box: readonly number[], mask?: Uint8Array | null): RgbImage {
  const { width: w, height: h, data } = image;
  if (mask && mask.length !== w * h) {
    throw new GenbenchError('E_INPUT', `object mask has ${mask.length} pixels, the image ${w}×${h} has ${w * h}`, 'the mask must be the detector mask at the original image size (the official code asserts the same)');
  }
  if (box.length < 4 || !box.slice(0, 4).every(Number.isFinite)) throw new GenbenchError('E_INPUT', `object box ${JSON.stringify(box)} is not [x1, y1, x2, y2, ...]`);
  if (box[2]! < box[0]! || box[3]! < box[1]!) throw new GenbenchError('E_INPUT', `object box ${JSON.stringify(box.slice(0, 4))} has right < left or lower < upper`, 'PIL refuses such a crop');
  const [x0, y0, x1, y1] = box.slice(0, 4).map((v) => Math.trunc(roundHalfEven(v))) as [number, number, number, number];
  const cw = x1 - x0;
  const ch = y1 - y0;
  if (cw <= 0 || ch <= 0) throw new GenbenchError('E_INPUT', `object box ${JSON.stringify(box.slice(0, 4))} crops to an empty image`, 'an object needs a non-empty box');
  const out = rgbImage(cw, ch);
  for (let y = 0; y < ch; y++) {
    const sy = y0 + y;
    if (sy < 0 || sy >= h) continue;
    for (let x = 0; x < cw; x++) {
      const sx = x0 + x;
      if (sx < 0 || sx >= w) continue;
      const p = sy * w + sx;
      const o = (y * cw + x) * 3;
      if (!mask || mask[p] !== 0) {
        out.data[o] = data[p * 3]!;
        out.data[o + 1] = data[p * 3 + 1]!;
        out.data[o + 2] = data[p * 3 + 2]!;
      } else {
        out.data[o] = out.data[o + 1] = out.data[o + 2] = GENEVAL_CROP_BACKGROUND;
      }
    }
  }
  return out;
}

/** A GenEval sample as the official code opens it: `ImageOps.exif_transpose(Image.open(p)).convert("RGB")`. */
export function readGenevalImage(path: string): Promise<RgbImage> {
  return readRgbImage(path, { exifTranspose: true });
}

export class GenevalColorClassifier {
  readonly precision: LogitPrecision;
  private readonly batchSize: number;
  private readonly weights = new Map<string, Promise<{ w: Float32Array; dim: number }>>();

  constructor(
    private readonly models: ColorClassifierModels,
    options: ColorClassifierOptions = {},
  ) {
    this.precision = options.logits ?? 'fp16';
    this.batchSize = options.batchSize ?? GENEVAL_CLIP_BATCH;
    if (this.precision !== 'fp16' && this.precision !== 'fp32') throw new GenbenchError('E_USAGE', `unknown logits precision ${String(this.precision)}`, "use 'fp16' or 'fp32'");
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new GenbenchError('E_USAGE', `batch size must be a positive integer, got ${this.batchSize}`);
    checkClipTower(models.textTower, 'text');
    checkClipTower(models.imageTower, 'image');
  }

  /** The zero-shot colour classifier W [D, 10] of a class name (built once, then cached). */
  textClassifier(className: string): Promise<{ w: Float32Array; dim: number }> {
    let p = this.weights.get(className);
    if (!p) {
      p = this.buildClassifier(className);
      this.weights.set(className, p);
      p.catch(() => this.weights.delete(className));
    }
    return p;
  }

  private async buildClassifier(className: string): Promise<{ w: Float32Array; dim: number }> {
    const texts = colorPromptTexts(className);
    const ids = this.models.tokenizer.tokenizeBatch(texts);
    const { data, dim } = await encodeText(this.models.textTower, ids, texts.length, this.models.tokenizer.contextLength);
    return { w: zeroShotWeights(data, dim), dim };
  }

  /** Un-normalised image embeddings [objects.length, D] of the objects' crops. */
  async imageEmbeddings(image: RgbImage, objects: readonly ColorObject[]): Promise<{ data: Float32Array; dim: number }> {
    const plane = 3 * CLIP_IMAGE_SIZE * CLIP_IMAGE_SIZE;
    let all: Float32Array | null = null;
    let dim = 0;
    for (let start = 0; start < objects.length; start += this.batchSize) {
      const batch = objects.slice(start, start + this.batchSize);
      const pixels = new Float32Array(batch.length * plane);
      batch.forEach((o, i) => pixels.set(clipPilTransform(maskedObjectCrop(image, o.box, o.mask)).data, i * plane));
      const out = await encodeImages(this.models.imageTower, pixels, batch.length);
      if (!all) {
        dim = out.dim;
        all = new Float32Array(objects.length * dim);
      }
      all.set(out.data, start * dim);
    }
    return { data: all ?? new Float32Array(0), dim };
  }

  /** The official `color_classification(image, objects, className)`, with the logits. */
  async classify(image: RgbImage, className: string, objects: readonly ColorObject[]): Promise<ColorPrediction[]> {
    const { w, dim } = await this.textClassifier(className);
    if (objects.length === 0) return [];
    const emb = await this.imageEmbeddings(image, objects);
    if (emb.dim !== dim) throw new GenbenchError('E_SIGNATURE', `image embeddings have ${emb.dim} values, text embeddings ${dim}`, 'the image and text towers must come from the same CLIP model');
    const k = GENEVAL_COLORS.length;
    const logits = colorLogits(emb.data, dim, w, this.precision);
    return objects.map((_, i) => ({ color: GENEVAL_COLORS[argmaxFirst(logits, i * k, k)]!, logits: logits.slice(i * k, (i + 1) * k) }));
  }

  /** The `ColorClassifier` callback of task-checks.ts for one image. */
  forImage<D extends ColorObject>(image: RgbImage): ColorClassifier<D> {
    return async (className, objects) => (await this.classify(image, className, objects)).map((p) => p.color);
  }
}
