/**
 * GenEval's `evaluation/summary_scores.py` (djghosh13/geneval @ af4902f) on the rows of a results.jsonl:
 * image and prompt totals, image- and prompt-level accuracy, per-task accuracy (tasks in order of first
 * appearance, pandas `groupby(sort=False)`), and the overall score = mean of the per-task accuracies
 * (NumPy `np.mean`: pairwise float64 sum from 0, then / number of tasks). `text` is the script's stdout,
 * with Python's `.2%` / `.5f` formatting (exact binary value rounded half-to-even, unlike JS `toFixed`).
 *
 * Parity: tests/golden/geneval-tasks.json (`summaryTables` and each run's summary, from the official script).
 */

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

/** NumPy's pairwise summation of float64 (`pairwise_sum`, blocks of 8 unrolled, 128-element leaves),
 * as `np.add.reduce` / `np.mean` run it on a contiguous 1-D array (starting from 0). */
export function numpyPairwiseSum(a: readonly number[]): number {
  const rec = (lo: number, n: number): number => {
    if (n < 8) {
      let res = 0; // numpy: res = 0. then += each (so -0.0 inputs sum to +0)
      for (let i = 0; i < n; i++) res += a[lo + i];
      return res;
    }
    if (n <= 128) {
      const r = [0, 1, 2, 3, 4, 5, 6, 7].map((j) => a[lo + j]);
      let i = 8;
      for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[lo + i + j];
      let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++) res += a[lo + i];
      return res;
    }
    let n2 = Math.trunc(n / 2);
    n2 -= n2 % 8;
    return rec(lo, n2) + rec(lo + n2, n - n2);
  };
  return 0 + rec(0, a.length);
}

/** `np.mean` of a list of Python floats. */
export function numpyMean(a: readonly number[]): number {
  return a.length === 0 ? NaN : numpyPairwiseSum(a) / a.length;
}

/** Python `format(x, f".{digits}f")`: the exact binary value of x rounded half-to-even to `digits` places. */
export function pyFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const neg = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  // ax = mant * 2^exp exactly
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, ax);
  const hi = buf.getUint32(0), lo = buf.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (bexp === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = bexp - 1075;
  }
  let num = mant * 10n ** BigInt(digits);
  let den = 1n;
  if (exp >= 0) num <<= BigInt(exp);
  else den <<= BigInt(-exp);
  let q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && (q & 1n) === 1n)) q += 1n;
  let s = q.toString().padStart(digits + 1, '0');
  if (digits > 0) s = `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
  return (neg ? '-' : '') + s;
}

/** Python `format(x, f".{digits}%")`: x * 100 (one float64 multiply), fixed, then "%". */
export function pyPercent(x: number, digits: number): string {
  return `${pyFixed(x * 100, digits)}%`;
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
    `Overall score (avg. over tasks): ${pyFixed(overall, 5)}`,
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
