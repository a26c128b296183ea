export type Rank = 'best' | 'second' | null;

/**
 * Best and second-best of a column of printed numbers (higher is better for every VBench and GenEval
 * score). Values are compared as printed, as a reader of the table compares them, so equal printed
 * values share a mark; the second mark goes to the next distinct value. A column with fewer than two
 * values, or with one distinct value, gets no marks (there is nothing to compare).
 */
export function rankColumn(printed: (string | null)[]): Rank[] {
  const values = printed.map((t) => (t === null || t === '' ? null : Number(t)));
  const distinct = [...new Set(values.filter((v): v is number => v !== null && Number.isFinite(v)))].sort((x, y) => y - x);
  const counted = values.filter((v) => v !== null).length;
  if (counted < 2 || distinct.length < 2) return values.map(() => null);
  const [best, second] = distinct;
  return values.map((v) => (v === best ? 'best' : v === second ? 'second' : null));
}
