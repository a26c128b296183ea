import type { ColumnSpec, HeadlineValue, SuiteLayout } from './layout.ts';

/**
 * GenEval's six tasks in the order of the prompt file and of the paper's table, headed as the paper's
 * README table heads them. Scores are fractions of correct images, printed as the papers print them
 * (0.75, two decimals).
 */
export const GENEVAL_TASKS: readonly { id: string; label: string }[] = [
  { id: 'single_object', label: 'Single object' },
  { id: 'two_object', label: 'Two object' },
  { id: 'counting', label: 'Counting' },
  { id: 'colors', label: 'Colors' },
  { id: 'position', label: 'Position' },
  { id: 'color_attr', label: 'Color attribution' },
];

/**
 * GenEval's overall score: the unweighted mean of the task accuracies, summed left to right in task
 * order (summary_scores.py takes np.mean over the tasks present). Refused (null) when a task is
 * missing unless partial scores are allowed; then the mean is over the tasks present, marked partial.
 */
export function genevalOverall(scores: Record<string, number>, allowPartial: boolean): HeadlineValue {
  const present = GENEVAL_TASKS.filter((t) => t.id in scores);
  const missing = GENEVAL_TASKS.filter((t) => !(t.id in scores)).map((t) => t.id);
  if (present.length === 0 || (missing.length > 0 && !allowPartial)) return { value: null, missing, partial: missing.length > 0 };
  let sum = 0;
  for (const t of present) sum += scores[t.id]!;
  return { value: sum / present.length, missing, partial: missing.length > 0 };
}

const dimensions: ColumnSpec[] = GENEVAL_TASKS.map((t) => ({ id: t.id, label: t.label, short: t.label, kind: 'dimension' }));
const headlines: ColumnSpec[] = [{ id: 'overall', label: 'Overall', short: 'Overall', kind: 'headline' }];

export const GENEVAL_LAYOUT: SuiteLayout = {
  suite: 'geneval',
  title: 'GenEval',
  dimensions,
  headlines,
  panels: [{ title: 'GenEval', columns: ['overall', ...GENEVAL_TASKS.map((t) => t.id)] }],
  display: { scale: 'fraction', decimals: 2, unit: '' },
  headline(scores, allowPartial) {
    return { overall: genevalOverall(scores, allowPartial) };
  },
  normalized(_id, score) {
    return score;
  },
};
