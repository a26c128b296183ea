import { genevalOverall } from '../../suites/geneval/overall.ts';
import type { ColumnSpec, SuiteLayout } from './layout.ts';

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

/** The overall score lives with the suite (src/suites/geneval/overall.ts); re-exported for the report. */
export { genevalOverall };

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
  /** Per-image values are pass/fail, the task score their fraction. */
  perSampleScale() {
    return 1;
  },
};
