/**
 * VBench human_action (vbench/human_action.py @45e79ec, spec §9): per video, 16 'middle' frames,
 * UMT's transform (cv2 bilinear to short side 256, center crop 224, /255, ImageNet mean/std), the
 * Kinetics-400 classifier, sigmoid, top 5, `round(p, 4) >= 0.85` keeps a class; the video is correct
 * when a kept class is the label taken from its FILE NAME (the prompt text is never read, in standard
 * and custom mode alike). The score is correct videos / videos.
 *
 * Bad input:
 *  - a label that is no Kinetics-400 class (a typo, a name without "-<i>" that keeps its extension):
 *    officially such a video is simply never correct; it is scored so (false, counted), and the
 *    record says why (`label_is_class: false`, `label_problem`), and the run log names it;
 *  - a file not ending in ".mp4" or ".gif" (case-sensitive): the official load_video raises
 *    NotImplementedError; here an E_INPUT error record;
 *  - no frame at all (empty or damaged file): E_DECODE error record (officially an IndexError stops
 *    the run); a video shorter than 16 frames repeats its last frame, as officially.
 */
import type { Dimension } from '../../core/contracts.ts';
import { defineDimension, type NoParams } from '../../core/define-dimension.ts';
import { GenbenchError } from '../../core/errors.ts';
import { readMiddleFrames } from '../../media/middle-frames.ts';
import { prefetchVideoProbe } from '../../media/video-probe.ts';
import { KINETICS_400_LABELS } from '../../metrics/umt/kinetics-400.ts';
import { classifyVideo } from '../../metrics/umt/model.ts';
import { isCorrect, labelFromFileName } from '../../metrics/umt/postprocess.ts';
import { umtPixelValuesPooled } from '../../metrics/umt/pixel-values-pooled.ts';
import { UMT_DECISION, UMT_FRAMES, UMT_VIT_L16_K400 } from '../../metrics/umt/spec.ts';
import type { ModelHandle } from '../../runtime/model-handle.ts';
import { fractionTrue } from './dynamic-degree-math.ts';

const MODEL = UMT_VIT_L16_K400.id;
const CLASSES: ReadonlySet<string> = new Set(KINETICS_400_LABELS);

/** Why `label` (from `path`'s name) can never match a class, or undefined when it is a Kinetics-400 class. */
export function labelProblem(path: string, label: string): string | undefined {
  if (CLASSES.has(label)) return undefined;
  const name = path.split('/').at(-1)!;
  const hint = name.includes('-')
    ? 'the part of the file name before the first "-", after "person is " and before any "_", must be a Kinetics-400 class name'
    : 'the file name has no "-<i>" suffix, so the label keeps the extension';
  return `label "${label}" (from the file name "${name}") is not a Kinetics-400 class: the video counts as not correct, as in the official code (${hint})`;
}

/** load_video reads ".mp4" (decord) and ".gif" (PIL) and raises NotImplementedError for any other name. */
function requireReadableName(path: string): void {
  if (!path.endsWith('.mp4') && !path.endsWith('.gif')) {
    throw new GenbenchError('E_INPUT', `${path}: human_action reads only files ending in ".mp4" or ".gif"`, 'the official load_video raises NotImplementedError for other names (the test is case-sensitive); convert or rename the video');
  }
}

export const humanAction = defineDimension<NoParams, ModelHandle>({
  id: 'human_action',
  suite: 'vbench',
  models: [MODEL],
  params: {},
  notes: {
    frames: `${UMT_FRAMES} at VBench's 'middle' indices of all frames (load_video(num_frames=16)); a shorter video repeats its last frame`,
    transform: 'cv2.resize INTER_LINEAR to short side 256 (unchanged when already 256), CenterCrop(224), /255 (float32), ImageNet mean/std',
    model: `${MODEL} logits, fp32`,
    decision: `sigmoid, top ${UMT_DECISION.topK}, Python round(p, ${UMT_DECISION.roundDecimals}) >= ${UMT_DECISION.threshold} keeps a class; correct when a kept class equals the file-name label`,
    label: 'file name lower-cased, before the first "-", after "person is ", before the first "_" (the prompt text is not used)',
    aggregate: 'correct videos / videos',
    gif: 'a .gif is decoded with ffmpeg; the official code reads gifs with PIL (frames may differ for gifs with partial-frame disposal)',
    official: 'Vchitect/VBench vbench/human_action.py @45e79ec14e69a2187202c675d2dbce1a71843d53',
  },
  prefetch: prefetchVideoProbe,
  scorer: () =>
    async function scoreSample(sample, ctx) {
      requireReadableName(sample.path);
      const label = labelFromFileName(sample.path);
      const problem = labelProblem(sample.path, label);
      if (problem) ctx.log(`human_action: ${problem}`);
      const model = await ctx.models!.get(MODEL);
      const { frames, indices, frameCount } = await readMiddleFrames(sample.path, UMT_FRAMES, { signal: ctx.signal });
      const [c] = await classifyVideo(model, await umtPixelValuesPooled(frames), 1);
      const correct = isCorrect(c!.top, label);
      return {
        value: correct,
        extra: {
          label,
          label_is_class: problem === undefined,
          ...(problem ? { label_problem: problem } : {}),
          top5: c!.top.map((t) => ({ index: t.index, label: t.label, probability: t.probability, rounded: t.rounded, kept: t.kept })),
          frames: frameCount,
          frame_indices: indices,
          // the official per-video entry: {video_path, video_results, cor_num_per_video}
          official: { cor_num_per_video: correct ? 1 : 0 },
        },
      };
    },
  /** cor_num / cnt: the fraction of correct videos. */
  aggregate: (records) => fractionTrue(records.filter((r) => r.ok && typeof r.value === 'boolean').map((r) => r.value as boolean)),
});

export function createHumanActionDimension(): Dimension<ModelHandle> {
  return humanAction.create();
}
