/**
 * VBench appearance_style (vbench/appearance_style.py @45e79ec, spec vbench-semantic §8): the
 * prompt-suite entry's style phrase (`auxiliary_info.appearance_style.appearance_style`, never the
 * prompt) against every frame of each of its videos with CLIP ViT-B/32. A frame's value is
 * `float(logits_per_text[0][0]) / 100` (the cosine times exp(logit_scale) / 100); a video's value
 * is the mean of its frames; the dimension score is FRAME-weighted: the sum of every frame value
 * of every video over the number of frames (a 48-frame video weighs 48 times a 1-frame one).
 *
 * Standard mode only: VBench refuses appearance_style for custom input (its
 * check_dimension_requires_extra_info), and so does the suite (suite.ts checkVbenchDimensions).
 *
 * The official benchmark runs on CUDA, where CLIP stays fp16 and each logit is an fp16 number;
 * `logits: fp16` (default) rounds the float32 logit to fp16 before the division, `fp32` keeps it
 * (the official code on a CPU, where clip.load makes the model fp32; the goldens are fp32). The
 * fp16 rounding inside the towers is not emulated.
 *
 * Not reproduced: with several processes the official score becomes the mean over videos of each
 * video's LAST frame value (`cur_sim`); the single-process formula above is the reference.
 */
import type { SampleRecord, SampleRef } from '../../core/contracts.ts';
import { defineDimension } from '../../core/define-dimension.ts';
import { GenbenchError } from '../../core/errors.ts';
import { roundToFloat16 } from '../../core/pycompat/float16.ts';
import { numpyMean } from '../../core/pycompat/numpy-mean.ts';
import { prefetchVideoProbe } from '../../media/video-probe.ts';
import { frameTextLogits } from '../../metrics/clip/image-text.ts';
import { clipB32TokenizerOf, clipTextFeature, type ClipTextFeature } from '../../metrics/clip/text-tower.ts';
import type { ClipTokenizer } from '../../metrics/clip/clip-tokenizer.ts';
import type { ModelHandle } from '../../runtime/model-handle.ts';
import { loadVideoFrames } from './video-frames.ts';

const IMAGE_MODEL = 'clip-vit-b32-image';
const TEXT_MODEL = 'clip-vit-b32-text';
/** Frames per run of the image tower (the official code runs one; per-frame results do not depend on it). */
const BATCH = 16;

export type LogitPrecision = 'fp16' | 'fp32';

/** One frame's value: `float(logit) / 100`, the logit rounded to fp16 first when the official run is fp16. */
export function styleFrameValue(logitF32: number, logits: LogitPrecision): number {
  return (logits === 'fp16' ? roundToFloat16(logitF32) : logitF32) / 100;
}

/** The style phrase of a standard-mode sample: its entry's `auxiliary_info.appearance_style.appearance_style`. */
export function stylePhraseOf(sample: SampleRef): string {
  const aux = sample.auxiliary?.['appearance_style'] as { appearance_style?: unknown } | undefined;
  const phrase = aux?.appearance_style;
  if (typeof phrase !== 'string') {
    throw new GenbenchError(
      'E_INPUT',
      `${sample.id}: no appearance_style phrase (auxiliary_info.appearance_style.appearance_style of its VBench_full_info.json entry)`,
      'appearance_style scores videos named after VBench prompts (--mode standard); VBench refuses this dimension for custom input too',
    );
  }
  return phrase;
}

/** The error record for a video from which no frame could be read. */
function noFrames(path: string): GenbenchError {
  return new GenbenchError(
    'E_DECODE',
    `${path}: no frame could be read, so appearance_style has nothing to average`,
    "the official code gives this video np.mean([]) = nan and then fails (UnboundLocalError) or, later in a run, silently reuses the previous video's last frame value; supply a readable video",
  );
}

/** Σ of every frame value of every video (records' `official.frame_results`) / number of frames, summed in record order as the official loop does. */
export function frameWeightedAggregate(records: readonly SampleRecord[]): number {
  let sim = 0;
  let cnt = 0;
  for (const r of records) {
    if (!r.ok || typeof r.value !== 'number') continue;
    const frames = (r.extra?.['official'] as { frame_results?: unknown } | undefined)?.frame_results;
    if (!Array.isArray(frames)) throw new GenbenchError('E_INPUT', `appearance_style record of ${r.sample} has no frame_results`, 'score the dimension again (a new --out)');
    for (const v of frames as number[]) {
      sim += v;
      cnt += 1;
    }
  }
  return sim / cnt;
}

export const appearanceStyle = defineDimension<{ logits: LogitPrecision }, ModelHandle>({
  id: 'appearance_style',
  suite: 'vbench',
  models: [IMAGE_MODEL, TEXT_MODEL],
  params: {
    logits: {
      values: ['fp16', 'fp32'],
      default: 'fp16',
      help: 'fp16 rounds each image-text logit as the official CUDA run does; fp32 as the official code on a CPU (CPU-made references)',
      changesNumbers: true,
    },
  },
  notes: {
    text: 'auxiliary_info.appearance_style.appearance_style of the entry (the style phrase, not the prompt); clip.tokenize, context 77, not truncated (a longer phrase is an error record)',
    frames: 'all (load_video)',
    transform: 'clip_transform_Image(224): PIL bicubic resize of the shorter edge to 224, CenterCrop(224), ToTensor, CLIP mean/std',
    model: 'clip-vit-b32-image and clip-vit-b32-text; logit = exp(logit_scale) · cos(image, text)',
    value: 'per frame float(logit) / 100; per video the mean over its frames',
    aggregate: 'sum of every frame value / number of frames (frame-weighted, single-process formula; the multi-process mean of each video\'s last frame is not reproduced)',
    official: 'Vchitect/VBench vbench/appearance_style.py @45e79ec14e69a2187202c675d2dbce1a71843d53',
  },
  prefetch: prefetchVideoProbe,
  scorer(p) {
    // One tokenizer per text model and one text feature per (model, phrase) for the dimension's run.
    const tokenizers = new Map<string, ClipTokenizer>();
    const features = new Map<string, Promise<ClipTextFeature>>();
    const featureOf = (text: ModelHandle, phrase: string): Promise<ClipTextFeature> => {
      const key = `${text.sha256}\n${phrase}`;
      let f = features.get(key);
      if (!f) {
        let tok = tokenizers.get(text.sha256);
        if (!tok) tokenizers.set(text.sha256, (tok = clipB32TokenizerOf(text)));
        f = clipTextFeature(text, tok, phrase);
        features.set(key, f);
        f.catch(() => features.delete(key));
      }
      return f;
    };
    return async function scoreSample(sample, ctx) {
      const phrase = stylePhraseOf(sample);
      const [image, text] = await Promise.all([ctx.models!.get(IMAGE_MODEL), ctx.models!.get(TEXT_MODEL)]);
      const feature = await featureOf(text, phrase);
      const frameResults: number[] = [];
      for await (const logit of frameTextLogits(image, loadVideoFrames(sample.path, ctx.signal), feature, BATCH)) {
        frameResults.push(styleFrameValue(logit, p.logits));
      }
      if (frameResults.length === 0) throw noFrames(sample.path);
      const curSim = frameResults[frameResults.length - 1]!;
      // `official`: the rest of the per-video entry of vbench_eval_results.json (frame_results, cur_sim = last
      // frame's value); the aggregate reads the frame values there.
      return {
        value: numpyMean(frameResults),
        extra: { frames: frameResults.length, style: phrase, official: { frame_results: frameResults, cur_sim: curSim } },
      };
    };
  },
  aggregate: frameWeightedAggregate,
});
