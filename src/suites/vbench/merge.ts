import { mergeShardRecords, type ShardSet } from '../../core/merge-shards.ts';
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
  const { set, first, run, scored } = await mergeShardRecords({
    dirs,
    out,
    suite: { id: 'vbench', name: 'VBench' },
    dimensionFor,
    defaultExpected: (p) => p.samples?.count,
  });
  const { scores, errorRecords } = finalizeVbenchRun({ run, mode: first.mode, scored, allowPartial: set.allowPartial, smoke: set.smoke });
  return { run, scores, errorRecords };
}
