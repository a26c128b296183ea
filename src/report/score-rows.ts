import type { ScoresFile } from '../core/scores-file.ts';
import { VBENCH_DIMENSIONS } from '../suites/vbench/constants.ts';

export interface ScoreRow {
  /** Dimension id or headline name (quality, semantic, total). */
  id: string;
  /** Name as the papers write it. */
  label: string;
  kind: 'dimension' | 'headline';
  /** Official scale (VBench 0..1). */
  score: number | null;
  samples: number | null;
  expected: number | null;
  errors: number | null;
  note: string;
}

const HEADLINE_LABELS: Record<string, string> = { quality: 'Quality Score', semantic: 'Semantic Score', total: 'Total Score' };

/** Table rows of one run: dimensions in VBench's order, then the headline scores. */
export function scoreRows(s: ScoresFile): ScoreRow[] {
  const order = VBENCH_DIMENSIONS.map((d) => d.id);
  const ids = Object.keys(s.dimensions).sort((a, b) => rank(order, a) - rank(order, b) || (a < b ? -1 : 1));
  const rows: ScoreRow[] = ids.map((id) => {
    const d = s.dimensions[id]!;
    return {
      id,
      label: VBENCH_DIMENSIONS.find((v) => v.id === id)?.label ?? id,
      kind: 'dimension',
      score: d.score,
      samples: d.samples,
      expected: d.expected,
      errors: d.errors,
      note: d.score === null ? 'no sample scored' : d.samples < d.expected ? `${d.expected - d.samples} not scored` : '',
    };
  });
  for (const [name, h] of Object.entries(s.headline)) {
    rows.push({
      id: name,
      label: HEADLINE_LABELS[name] ?? name,
      kind: 'headline',
      score: h.value,
      samples: null,
      expected: null,
      errors: null,
      note: h.value === null ? `missing: ${h.missing.join(', ')}` : h.partial ? `PARTIAL (missing ${h.missing.join(', ')} counted as 0)` : '',
    });
  }
  return rows;
}

function rank(order: string[], id: string): number {
  const i = order.indexOf(id);
  return i < 0 ? order.length : i;
}

/** Percentage with the papers' two decimals (80.12 for 0.80123). */
export function percent(v: number | null): string {
  return v === null ? '—' : (v * 100).toFixed(2);
}
