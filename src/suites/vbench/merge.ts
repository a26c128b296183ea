import { GenbenchError } from '../../core/errors.ts';
import { loadShardSet, writeMergedRun, type ShardSet } from '../../core/merge-shards.ts';
import type { RunDir } from '../../core/run-dir.ts';
import type { ScoresFile } from '../../core/scores-file.ts';
import type { Dimension, SampleRecord } from '../../core/contracts.ts';
import { createVbenchDimension } from './dimension-registry.ts';
import { finalizeVbenchRun } from './finalize.ts';

/**
 * Merge the shard runs of one VBench evaluation into one run directory whose records, scores and
 * exports equal those of an unsharded run over the same samples.
 */
export async function mergeVbenchShards(
  dirs: string[] | ShardSet,
  out: string,
  dimensionFor: (id: string) => Promise<Dimension> = createVbenchDimension,
): Promise<{ run: RunDir; scores: ScoresFile; errorRecords: SampleRecord[] }> {
  const set = Array.isArray(dirs) ? loadShardSet(dirs) : dirs;
  const first = set.shards[0]!.provenance;
  if (first.suite !== 'vbench') throw new GenbenchError('E_MERGE', `these are ${first.suite} shards, not VBench ones`, 'use genbench merge, which merges each suite');
  const dimensions = new Map<string, Dimension>();
  for (const dim of Object.keys(set.records)) dimensions.set(dim, await dimensionFor(dim));
  const { run } = writeMergedRun(set, out);
  const scored = Object.entries(set.records).map(([dim, records]) => ({
    dimension: dimensions.get(dim)!,
    records,
    expected: first.expected?.[dim] ?? first.samples?.count ?? records.length,
  }));
  const { scores, errorRecords } = finalizeVbenchRun({ run, mode: first.mode, scored, allowPartial: set.allowPartial, smoke: set.smoke });
  return { run, scores, errorRecords };
}
