/**
 * What vbench/human_action.py makes of UMT's logits, and its label rule:
 *  - `topClasses`: sigmoid (float32), the 5 highest (torch.topk, descending), each probability as a
 *    Python float rounded with `round(p, 4)`; a class is kept when the rounded value is ≥ 0.85;
 *  - `labelFromFileName`: the ground-truth label from the video's file name:
 *    `name.lower().split('-')[0].split("person is ")[-1].split('_')[0]`;
 *  - the video is correct when any kept class name equals that label.
 */
import { pythonFixed } from '../../core/pycompat/format.ts';
import { KINETICS_400_LABELS } from './kinetics-400.ts';
import { UMT_DECISION } from './spec.ts';

const f32 = Math.fround;

/** One of the top classes. */
export interface TopClass {
  index: number;
  label: string;
  logit: number;
  /** sigmoid(logit) in float32. */
  probability: number;
  /** Python's round(probability, 4). */
  rounded: number;
  /** rounded ≥ 0.85. */
  kept: boolean;
}

/** torch.sigmoid on a float32 value. */
export function sigmoidF32(x: number): number {
  return f32(1 / (1 + Math.exp(-x)));
}

/** Python's `round(x, ndigits)` for a float: the exact value rounded half to even, as a double. */
export function pythonRound(x: number, ndigits: number): number {
  return Number(pythonFixed(x, ndigits));
}

/** The top `UMT_DECISION.topK` classes of one clip's logits (400 values), highest first (ties: lower index first). */
export function topClasses(logits: ArrayLike<number>, labels: readonly string[] = KINETICS_400_LABELS): TopClass[] {
  if (logits.length !== labels.length) throw new RangeError(`${logits.length} logits for ${labels.length} classes`);
  const probs = Array.from(logits, (x) => sigmoidF32(x));
  const order = probs.map((_, i) => i).sort((a, b) => probs[b]! - probs[a]! || a - b);
  return order.slice(0, UMT_DECISION.topK).map((index) => {
    const probability = probs[index]!;
    const rounded = pythonRound(probability, UMT_DECISION.roundDecimals);
    return { index, label: labels[index]!, logit: logits[index]!, probability, rounded, kept: rounded >= UMT_DECISION.threshold };
  });
}

/** The label human_action compares with, from a video path or file name (only its last '/' part counts). */
export function labelFromFileName(pathOrName: string): string {
  const name = pathOrName.split('/').at(-1)!;
  return name.toLowerCase().split('-')[0]!.split('person is ').at(-1)!.split('_')[0]!;
}

/** Whether a kept class is the label (the official per-video `video_results`). */
export function isCorrect(top: readonly TopClass[], label: string): boolean {
  return top.some((c) => c.kept && c.label === label);
}
