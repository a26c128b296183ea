/**
 * GenEval's overall score (summary_scores.py): the unweighted mean of the task accuracies, summed
 * left to right in task order (np.mean over the tasks present; for six values NumPy's pairwise sum is
 * this plain sum). Refused (null) when a task is missing unless partial scores are allowed; then the
 * mean is over the tasks present, marked partial.
 */
import { GENEVAL_TASK_ORDER } from './tasks.ts';

export interface GenevalOverall {
  value: number | null;
  missing: string[];
  partial: boolean;
}

export function genevalOverall(scores: Readonly<Record<string, number>>, allowPartial: boolean): GenevalOverall {
  const present = GENEVAL_TASK_ORDER.filter((t) => t in scores);
  const missing = GENEVAL_TASK_ORDER.filter((t) => !(t in scores));
  if (present.length === 0 || (missing.length > 0 && !allowPartial)) return { value: null, missing, partial: missing.length > 0 };
  let sum = 0;
  for (const t of present) sum += scores[t]!;
  return { value: sum / present.length, missing, partial: missing.length > 0 };
}
