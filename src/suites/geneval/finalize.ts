import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-file.ts';
import { readJson, writeJsonAtomic } from '../../core/json-file.ts';
import type { RunDir } from '../../core/run-dir.ts';
import type { DimensionScore, ScoresFile } from '../../core/scores-file.ts';
import { readLatestRecords } from '../../core/records-store.ts';
import type { Dimension, SampleRecord } from '../../core/contracts.ts';
import { runSmokeReasons } from '../../runtime/smoke.ts';
import { withCoverage } from '../coverage.ts';
import { genevalOverall } from './overall.ts';
import { resultRow, resultsJsonl } from './results-file.ts';
import { summarizeGeneval } from './summary.ts';
import { GENEVAL_TASK_ORDER } from './tasks.ts';

/** Every GenEval headline (overall) is computed from every task of the run. */
const ALL_TASKS = { headlineMembers: (): null => null };

/**
 * GenEval's finalize (Suite.scores.finalize): scores.json (task accuracies, overall = mean over the six tasks, refused when one is missing
 * unless `allowPartial`), results.jsonl (rows in folder/sample order) and summary.txt.
 */
export function finalizeGenevalRun(o: {
  run: RunDir;
  scored: readonly { dimension: Dimension; records: readonly SampleRecord[]; expected: number }[];
  allowPartial?: boolean;
  smoke?: boolean;
}): { scores: ScoresFile; errorRecords: SampleRecord[]; resultsPath: string; summaryText: string; exports: string[] } {
  const dims: Record<string, DimensionScore> = {};
  const errorRecords: SampleRecord[] = [];
  const okRecords: SampleRecord[] = [];
  for (const { dimension, records, expected } of o.scored) {
    const ok = records.filter((r) => r.ok);
    errorRecords.push(...records.filter((r) => !r.ok));
    okRecords.push(...ok);
    dims[dimension.id] = { score: ok.length > 0 ? dimension.aggregate(ok) : null, samples: ok.length, errors: records.length - ok.length, expected };
  }
  // Tasks scored into this run earlier and not now are kept (scores and rows).
  const earlier = existsSync(o.run.scoresPath) ? readJson<ScoresFile>(o.run.scoresPath, 'scores.json').dimensions : {};
  for (const [id, d] of Object.entries(earlier)) {
    if (id in dims) continue;
    dims[id] = d;
    okRecords.push(...readLatestRecords(o.run.recordsPath(id)).records.filter((r) => r.ok));
  }
  // The official order: prompt folders by index, images by number (record ids are NNNNN/samples/NNNN.png).
  okRecords.sort((a, b) => a.sample.localeCompare(b.sample, 'en', { numeric: true }));
  const rows = okRecords.map(resultRow);
  const resultsPath = join(o.run.root, 'results.jsonl');
  writeFileAtomic(resultsPath, resultsJsonl(rows));
  const summaryText = rows.length > 0 ? summarizeGeneval(rows).text : 'no image was scored\n';
  const summaryPath = join(o.run.root, 'summary.txt');
  writeFileAtomic(summaryPath, summaryText);
  const present = Object.fromEntries(Object.entries(dims).filter(([, d]) => d.score !== null).map(([k, d]) => [k, d.score!]));
  const overall = genevalOverall(present, o.allowPartial ?? false);
  const ordered = Object.fromEntries(
    [...GENEVAL_TASK_ORDER.filter((t) => t in dims), ...Object.keys(dims).filter((k) => !GENEVAL_TASK_ORDER.includes(k))].map((k) => [k, dims[k]!]),
  );
  const scores: ScoresFile = {
    schema: 1,
    suite: 'geneval',
    mode: 'standard',
    dimensions: ordered,
    headline: withCoverage(ALL_TASKS, { overall }, dims),
    errors: Object.values(dims).reduce((n, d) => n + d.errors, 0),
    ...runSmokeReasons(o.run, Object.keys(dims), Object.fromEntries(o.scored.map((s) => [s.dimension.id, s.records])), o.smoke),
  };
  writeJsonAtomic(o.run.scoresPath, scores);
  return { scores, errorRecords, resultsPath, summaryText, exports: [resultsPath, summaryPath] };
}
