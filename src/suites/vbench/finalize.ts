import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, writeJsonAtomic } from '../../core/json-file.ts';
import type { RunDir } from '../../core/run-dir.ts';
import type { DimensionScore, ScoresFile } from '../../core/scores-file.ts';
import { runSmokeReasons } from '../../runtime/smoke.ts';
import { withCoverage } from '../coverage.ts';
import type { Dimension, SampleRecord } from '../../core/contracts.ts';
import { vbenchHeadline, vbenchHeadlineMembers } from './headline-scores.ts';
import { vbenchEvalResults, type VbenchEvalEntry } from './official-export.ts';

/**
 * VBench's finalize (Suite.scores.finalize): aggregate records into dimension scores and headline
 * scores, then write scores.json and VBench's vbench_eval_results.json. Dimensions scored earlier into the same run directory and
 * not re-scored now are kept.
 */
export function finalizeVbenchRun(o: {
  run: RunDir;
  mode: string;
  scored: readonly { dimension: Dimension; records: readonly SampleRecord[]; expected: number }[];
  allowPartial?: boolean;
  smoke?: boolean;
}): { scores: ScoresFile; errorRecords: SampleRecord[]; exports: string[] } {
  const dims: Record<string, DimensionScore> = {};
  const perDimension: Record<string, { score: number; records: readonly SampleRecord[] }> = {};
  const errorRecords: SampleRecord[] = [];
  for (const { dimension, records, expected } of o.scored) {
    const ok = records.filter((r) => r.ok);
    errorRecords.push(...records.filter((r) => !r.ok));
    const score = ok.length > 0 ? dimension.aggregate(ok) : null;
    const scale = dimension.perSampleScale ?? 1;
    dims[dimension.id] = { score, samples: ok.length, errors: records.length - ok.length, expected, ...(scale !== 1 ? { perSampleScale: scale } : {}) };
    if (score !== null) perDimension[dimension.id] = { score, records };
  }
  const officialPath = join(o.run.root, 'vbench_eval_results.json');
  const earlier = existsSync(o.run.scoresPath) ? readJson<ScoresFile>(o.run.scoresPath, 'scores.json').dimensions : {};
  for (const [k, v] of Object.entries(earlier)) if (!(k in dims)) dims[k] = v;
  const earlierOfficial = existsSync(officialPath)
    ? readJson<Record<string, VbenchEvalEntry>>(officialPath, 'vbench_eval_results.json')
    : {};
  const official = { ...earlierOfficial, ...vbenchEvalResults(perDimension) };
  const headline = vbenchHeadline(
    Object.fromEntries(Object.entries(dims).filter(([, d]) => d.score !== null).map(([k, d]) => [k, d.score!])),
    o.allowPartial,
  );
  const scores: ScoresFile = {
    schema: 1,
    suite: 'vbench',
    mode: o.mode,
    dimensions: sortKeys(dims),
    headline: withCoverage({ headlineMembers: vbenchHeadlineMembers }, { quality: headline.quality, semantic: headline.semantic, total: headline.total }, dims),
    errors: Object.values(dims).reduce((n, d) => n + d.errors, 0),
    ...runSmokeReasons(o.run, Object.keys(dims), perDimensionRecords(o.scored), o.smoke),
  };
  writeJsonAtomic(o.run.scoresPath, scores);
  writeJsonAtomic(officialPath, sortKeys(official));
  return { scores, errorRecords, exports: [officialPath] };
}

/** The records finalize was handed, by dimension (the rest are read from the run directory). */
function perDimensionRecords(scored: readonly { dimension: Dimension; records: readonly SampleRecord[] }[]): Record<string, readonly SampleRecord[]> {
  return Object.fromEntries(scored.map((s) => [s.dimension.id, s.records]));
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]!]));
}
