import type { SampleRecord } from '../../core/contracts.ts';

/** One dimension in VBench's `{name}_eval_results.json`: `[aggregate, [{video_path, video_results, …}]]`. */
export type VbenchEvalEntry = [number, Array<{ video_path: string; video_results: number | boolean } & Record<string, unknown>>];

/**
 * VBench's own results format, so existing VBench tooling (cal_final_score.py, leaderboard
 * upload) reads our runs. Videos the official code would skip (unreadable) are left out of the
 * list, as there; our error records keep them visible elsewhere.
 */
export function vbenchEvalResults(
  perDimension: Record<string, { score: number; records: readonly SampleRecord[] }>,
): Record<string, VbenchEvalEntry> {
  const out: Record<string, VbenchEvalEntry> = {};
  for (const [dim, { score, records }] of Object.entries(perDimension)) {
    out[dim] = [
      score,
      records
        .filter((r) => r.ok)
        .map((r) => ({ video_path: r.path, video_results: r.value as number | boolean, ...(r.extra?.official as object | undefined) })),
    ];
  }
  return out;
}
