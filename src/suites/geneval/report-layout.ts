/**
 * GenEval's report layout (Suite.layout): the six tasks headed as the paper's table heads them and
 * the overall score. Scores are fractions of correct images, printed as the papers print them
 * (0.75, two decimals).
 */
import type { ColumnSpec, SuiteLayout } from '../../core/suite-contract.ts';
import { genevalOverall } from './overall.ts';
import { GENEVAL_TASKS } from './tasks.ts';

const dimensions: ColumnSpec[] = GENEVAL_TASKS.map((t) => ({ id: t.id, label: t.label, short: t.label, kind: 'dimension' }));
const headlines: ColumnSpec[] = [{ id: 'overall', label: 'Overall', short: 'Overall', kind: 'headline' }];

export const GENEVAL_LAYOUT: SuiteLayout = {
  suite: 'geneval',
  title: 'GenEval',
  dimensionNoun: 'task',
  dimensions,
  headlines,
  panels: [{ title: 'GenEval', columns: ['overall', ...GENEVAL_TASKS.map((t) => t.id)] }],
  display: { scale: 'fraction', decimals: 2, unit: '' },
  radar: false,
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
