/**
 * VBench temporal_style (vbench/temporal_style.py @45e79ec, spec §10): per video, the cosine of
 * ViCLIP's video feature (8 'middle' frames, clip_transform on uint8 frames) and its text feature of
 * the full prompt (ViCLIP's tokenizer, context 32, truncated); the dimension score is the numpy mean
 * over all videos. overall_consistency (overall-consistency.ts) is the same procedure on its own
 * prompts, so both are made by `viclipSimilarityDimension`.
 *
 * Facts recorded per video: the frames read and the indices taken, the prompt's token count and
 * whether the context of 32 truncated it (as officially: the first 32 ids kept, the last one
 * replaced by the end token — ten temporal_style prompts and two overall_consistency prompts are cut).
 * Not reproduced: the official text-feature cache is a mutable default argument, one dict per
 * process keyed by prompt text only, so a second ViCLIP checkpoint scored in the same process would
 * reuse the first one's text features. Here the cache lives as long as one dimension instance and is
 * keyed by the text tower's sha256 and the prompt.
 */
import type { SampleRecord } from '../../core/contracts.ts';
import { defineDimension, type DimensionDefinition, type NoParams } from '../../core/define-dimension.ts';
import { numpyMean } from '../../core/pycompat/numpy-mean.ts';
import { readMiddleFrames } from '../../media/middle-frames.ts';
import { prefetchVideoProbe } from '../../media/video-probe.ts';
import { encodeText, encodeVideo } from '../../metrics/viclip/model.ts';
import { viclipPixelValuesPooled } from '../../metrics/viclip/pixel-values-pooled.ts';
import { videoTextSimilarity } from '../../metrics/viclip/similarity.ts';
import { VICLIP_FRAMES, VICLIP_L14_TEXT, VICLIP_L14_VIDEO } from '../../metrics/viclip/spec.ts';
import { viclipTokenizerOf, type ViclipTokenizer, type ViclipTokens } from '../../metrics/viclip/tokenizer.ts';
import type { ModelHandle } from '../../runtime/model-handle.ts';

const VIDEO_MODEL = VICLIP_L14_VIDEO.id;
const TEXT_MODEL = VICLIP_L14_TEXT.id;

/** The official per-video values' numpy mean, in record order (NaN for none). */
export function viclipAggregate(records: readonly SampleRecord[]): number {
  return numpyMean(records.filter((r) => r.ok && typeof r.value === 'number').map((r) => r.value as number));
}

interface TextFeature {
  tokens: ViclipTokens;
  features: Float32Array;
}

/** temporal_style / overall_consistency: `id` and its official file. */
export function viclipSimilarityDimension(id: 'temporal_style' | 'overall_consistency', officialFile: string): DimensionDefinition<NoParams, ModelHandle> {
  return defineDimension<NoParams, ModelHandle>({
    id,
    suite: 'vbench',
    models: [VIDEO_MODEL, TEXT_MODEL],
    params: {},
    notes: {
      frames: `${VICLIP_FRAMES} at VBench's 'middle' indices of all frames (read_frames_decord_by_fps); a shorter video repeats its last frame`,
      transform: 'clip_transform(224) on uint8 frames: torchvision Resize(224, bicubic, antialias=False) clamped and rounded to uint8, CenterCrop(224), /255, CLIP mean/std',
      text: 'the full prompt, ViCLIP tokenizer (openai/CLIP BPE) at context 32, longer prompts truncated with the end token last',
      model: `${VIDEO_MODEL} (encode_vision) and ${TEXT_MODEL} (text encoder), fp32`,
      score: 'cosine of the L2-normalised video and text features (fp32, no logit scale)',
      aggregate: 'numpy mean over all videos',
      textCache: 'text features cached per run by (text tower sha256, prompt); the official process-wide cache keyed by prompt alone is not reproduced',
      official: `Vchitect/VBench ${officialFile} @45e79ec14e69a2187202c675d2dbce1a71843d53`,
    },
    prefetch: prefetchVideoProbe,
    scorer() {
      const tokenizers = new WeakMap<ModelHandle, ViclipTokenizer>();
      const texts = new Map<string, Promise<TextFeature>>();
      const textFeature = (model: ModelHandle, prompt: string): Promise<TextFeature> => {
        const key = `${model.sha256}\u0000${prompt}`;
        let hit = texts.get(key);
        if (!hit) {
          hit = (async () => {
            let tokenizer = tokenizers.get(model);
            if (!tokenizer) tokenizers.set(model, (tokenizer = viclipTokenizerOf(model)));
            const tokens = tokenizer.tokenize(prompt);
            const f = await encodeText(model, tokens.ids, 1);
            return { tokens, features: f.data.slice(0, f.dim) };
          })();
          texts.set(key, hit);
          hit.catch(() => texts.delete(key));
        }
        return hit;
      };
      return async function scoreSample(sample, ctx) {
        const video = await ctx.models!.get(VIDEO_MODEL);
        const text = await ctx.models!.get(TEXT_MODEL);
        const t = await textFeature(text, sample.prompt);
        const { frames, indices, frameCount } = await readMiddleFrames(sample.path, VICLIP_FRAMES, { signal: ctx.signal });
        const v = await encodeVideo(video, await viclipPixelValuesPooled(frames), 1);
        const value = videoTextSimilarity(v.data.subarray(0, v.dim), t.features);
        const { length, truncated } = t.tokens;
        return {
          value,
          extra: {
            frames: frameCount,
            frame_indices: indices,
            prompt_tokens: length,
            truncated,
            ...(truncated
              ? { truncation: `the prompt has ${length} token ids, the text context ${t.tokens.ids.length}: scored with its first ${t.tokens.ids.length - 1} and the end token, as the official tokenizer truncates` }
              : {}),
          },
        };
      };
    },
    aggregate: viclipAggregate,
  });
}

export const temporalStyle = viclipSimilarityDimension('temporal_style', 'vbench/temporal_style.py');
