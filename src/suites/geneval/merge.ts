import { GenbenchError } from '../../core/errors.ts';
import { mergeShardRecords, type ShardSet } from '../../core/merge-shards.ts';
import type { RunDir } from '../../core/run-dir.ts';
import type { ScoresFile } from '../../core/scores-file.ts';
import type { Dimension, SampleRecord } from '../../core/contracts.ts';
import { finalizeGenevalRun } from './evaluate.ts';
import { createGenevalTaskDimension, GENEVAL_TASK_IDS, type GenevalColorSupport, type GenevalTaskId } from './task-dimension.ts';

/** Merging only aggregates records: the colour classifier is never asked for. */
const NO_SCORING: GenevalColorSupport = {
  models: [],
  settings: {},
  forImage: () => Promise.reject(new GenbenchError('E_RUN', 'merge does not score images')),
};

/** A GenEval task as merge needs it: the task's own aggregate (correct / scored images), no scoring. */
export async function genevalTaskForMerge(id: string): Promise<Dimension> {
  if (!(GENEVAL_TASK_IDS as readonly string[]).includes(id)) {
    throw new GenbenchError('E_MERGE', `unknown GenEval task "${id}" in the shards' run.json`, `known: ${GENEVAL_TASK_IDS.join(', ')}`);
  }
  return createGenevalTaskDimension(id as GenevalTaskId, { classNames: [], color: NO_SCORING });
}

/**
 * Merge the shard runs of one GenEval evaluation into one run directory: its records, scores.json,
 * results.jsonl and summary.txt are those of an unsharded run over the same images.
 */
export async function mergeGenevalShards(
  dirs: string[] | ShardSet,
  out: string,
  dimensionFor: (id: string) => Promise<Dimension> = genevalTaskForMerge,
): Promise<{ run: RunDir; scores: ScoresFile; errorRecords: SampleRecord[]; summaryText: string }> {
  const { set, run, scored } = await mergeShardRecords({ dirs, out, suite: { id: 'geneval', name: 'GenEval' }, dimensionFor });
  const { scores, errorRecords, summaryText } = finalizeGenevalRun({ run, scored, allowPartial: set.allowPartial, smoke: set.smoke });
  return { run, scores, errorRecords, summaryText };
}
