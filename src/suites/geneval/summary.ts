/**
 * GenEval's `evaluation/summary_scores.py` (djghosh13/geneval @ af4902f) on the rows of a results.jsonl:
 * image and prompt totals, image- and prompt-level accuracy, per-task accuracy (tasks in order of first
 * appearance, pandas `groupby(sort=False)`), and the overall score = mean of the per-task accuracies
 * (NumPy `np.mean`: pairwise float64 sum from 0, then / number of tasks). `text` is the script's stdout,
 * with Python's `.2%` / `.5f` formatting (exact binary value rounded half-to-even, unlike JS `toFixed`).
 *
 * Parity: tests/golden/geneval-tasks.json (`summaryTables` and each run's summary, from the official script).
 */
import { numpyMean } from '../../core/pycompat/numpy-mean.ts';
import { pythonFixed, pythonPercent } from '../../core/pycompat/format.ts';

/** The columns summary_scores.py reads from a results.jsonl row. */
export interface GenevalResultRow {
  tag: string;
  correct: boolean;
  /** `json.dumps(metadata)` of the prompt: the prompt identity. */
  metadata: string;
}

export interface GenevalTaskScore {
  tag: string;
  /** correct / total (float64). */
  score: number;
  correct: number;
  total: number;
}

export interface GenevalSummary {
  totalImages: number;
  totalPrompts: number;
  /** Fraction of correct images over all rows. */
  correctImages: number;
  /** Fraction of prompts (distinct metadata) with at least one correct image. */
  correctPrompts: number;
  tasks: GenevalTaskScore[];
  /** Mean of the per-task scores (NaN when there are no rows, as np.mean([]) ). */
  overall: number;
  /** The official stdout, line for line (with the final newline). */
  text: string;
}

/** `np.mean` of a list of Python floats (the project's numpy-exact mean). */
export { numpyMean };

/** Python `format(x, f".{digits}f")` (the project's exact formatter). */
export { pythonFixed as pyFixed };

/** Python `format(x, f".{digits}%")`: x · 100 in float64, fixed, then "%". */
export function pyPercent(x: number, digits: number): string {
  return `${pythonPercent(x, digits)}%`;
}

/** summary_scores.py on `rows` (in results.jsonl order). */
export function summarizeGeneval(rows: readonly GenevalResultRow[]): GenevalSummary {
  const n = rows.length;
  const correctImagesN = rows.reduce((k, r) => k + (r.correct ? 1 : 0), 0);
  const prompts = new Map<string, boolean>();
  for (const r of rows) prompts.set(r.metadata, (prompts.get(r.metadata) ?? false) || r.correct);
  let anyCorrect = 0;
  for (const v of prompts.values()) if (v) anyCorrect++;
  const byTag = new Map<string, { correct: number; total: number }>();
  for (const r of rows) {
    const g = byTag.get(r.tag) ?? { correct: 0, total: 0 };
    g.total++;
    if (r.correct) g.correct++;
    byTag.set(r.tag, g);
  }
  const tasks: GenevalTaskScore[] = [...byTag].map(([tag, g]) => ({ tag, score: g.correct / g.total, ...g }));
  const overall = numpyMean(tasks.map((t) => t.score));
  const correctImages = correctImagesN / n;
  const correctPrompts = anyCorrect / prompts.size;
  const lines = [
    'Summary',
    '=======',
    `Total images: ${n}`,
    `Total prompts: ${prompts.size}`,
    `% correct images: ${pyPercent(correctImages, 2)}`,
    `% correct prompts: ${pyPercent(correctPrompts, 2)}`,
    '',
    'Task breakdown',
    '==============',
    ...tasks.map((t) => `${t.tag.padEnd(16)} = ${pyPercent(t.score, 2)} (${t.correct} / ${t.total})`),
    '',
    `Overall score (avg. over tasks): ${pythonFixed(overall, 5)}`,
  ];
  return {
    totalImages: n,
    totalPrompts: prompts.size,
    correctImages,
    correctPrompts,
    tasks,
    overall,
    text: `${lines.join('\n')}\n`,
  };
}
