/**
 * Colour classification for GenEval's colour tasks: the official CLIP ViT-L/14 (OpenAI weights)
 * image and text towers over ONNX with the CLIP BPE tokenizer that ships with the text tower
 * (its `tokenizer.json` companion file), one zero-shot classifier per class name for the whole run.
 */
import { clipTokenizerOf } from '../../metrics/clip/model.ts';
import { CLIP_VIT_L14_IMAGE, CLIP_VIT_L14_TEXT } from '../../metrics/clip/spec.ts';
import type { DimensionContext } from '../../core/contracts.ts';
import type { ModelHandle } from '../../runtime/model-handle.ts';
import { GENEVAL_COLOR_TEMPLATES, GenevalColorClassifier, type LogitPrecision } from './color-classifier.ts';
import type { GenevalColorSupport } from './task-dimension.ts';

export const CLIP_IMAGE_MODEL_ID = CLIP_VIT_L14_IMAGE.id;
export const CLIP_TEXT_MODEL_ID = CLIP_VIT_L14_TEXT.id;

const COLOR_MODEL_NOTE = 'open_clip ViT-L-14 pretrained=openai (image + text towers), clip_benchmark 1.4.0 zero_shot_classifier';
const COLOR_CROP_NOTE = 'mask composited over #999, cropped to the box, PIL bicubic 224 + center crop, CLIP mean/std';

/** `logits`: 'fp16' rounds the colour logits as the official CUDA autocast run does (default); 'fp32' as on a CPU. */
export function clipColorSupport(o: { logits?: LogitPrecision } = {}): GenevalColorSupport {
  const precision = o.logits ?? 'fp16';
  let classifier: Promise<GenevalColorClassifier> | undefined;
  const make = async (ctx: DimensionContext<ModelHandle>): Promise<GenevalColorClassifier> => {
    const text = await ctx.models!.get(CLIP_TEXT_MODEL_ID);
    const image = await ctx.models!.get(CLIP_IMAGE_MODEL_ID);
    return new GenevalColorClassifier({ textTower: text, imageTower: image, tokenizer: clipTokenizerOf(text) }, { logits: precision });
  };
  return {
    models: [CLIP_IMAGE_MODEL_ID, CLIP_TEXT_MODEL_ID],
    // What changes colour results (keyed); the descriptions are notes (run.json only).
    settings: { templates: [...GENEVAL_COLOR_TEMPLATES], logits: precision },
    notes: { model: COLOR_MODEL_NOTE, crop: COLOR_CROP_NOTE },
    // The object records were keyed by before settings and notes were split: frozen, never reworded.
    previousSettings: {
      model: 'open_clip ViT-L-14 pretrained=openai (image + text towers), clip_benchmark 1.4.0 zero_shot_classifier',
      templates: [...GENEVAL_COLOR_TEMPLATES],
      crop: 'mask composited over #999, cropped to the box, PIL bicubic 224 + center crop, CLIP mean/std',
      logits: precision,
    },
    async forImage(image, ctx) {
      classifier ??= make(ctx);
      classifier.catch(() => (classifier = undefined));
      return (await classifier).forImage(image);
    },
  };
}
