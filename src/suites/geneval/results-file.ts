/**
 * RUN/results.jsonl in the official per-image format (spec §3.7–3.8): one pandas
 * `to_json(orient="records", lines=True)` line per scored image, keys filename, tag, prompt, correct,
 * reason, metadata, details — so the official `summary_scores.py` reads it — and RUN/summary.txt,
 * what that script prints for it. Images with error records are not rows (the official evaluator
 * would have stopped on them); the run's scores.json counts them.
 */
import type { SampleRecord } from '../../core/contracts.ts';
import { pandasJsonLine } from '../../core/pycompat/json.ts';
import type { GenevalResultRow } from './summary.ts';

export interface GenevalRecordRow extends GenevalResultRow {
  filename: string;
  prompt: string;
  reason: string;
  details: string;
}

/** The official row of one successful record. */
export function resultRow(r: SampleRecord): GenevalRecordRow {
  const x = (r.extra ?? {}) as Record<string, unknown>;
  return {
    filename: String(x['filename']),
    tag: String(x['tag']),
    prompt: String(x['prompt']),
    correct: r.value === true,
    reason: String(x['reason'] ?? ''),
    metadata: String(x['metadata']),
    details: String(x['details'] ?? '{}'),
  };
}

/** results.jsonl text for rows in order (trailing newline after every line, as pandas ≥ 1.2 writes). */
export function resultsJsonl(rows: readonly GenevalRecordRow[]): string {
  return rows
    .map((r) => `${pandasJsonLine({ filename: r.filename, tag: r.tag, prompt: r.prompt, correct: r.correct, reason: r.reason, metadata: r.metadata, details: r.details })}\n`)
    .join('');
}
