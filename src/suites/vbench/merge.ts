import { mergeSuiteShards, type MergedRun, type ShardSet } from '../../core/merge-shards.ts';
import type { Dimension } from '../../core/contracts.ts';
import { VBENCH_SUITE } from './suite.ts';

/**
 * Merge the shard runs of one VBench evaluation into one run directory whose records, scores and
 * exports equal those of an unsharded run over the same samples (`genbench merge` looks the suite up).
 */
export function mergeVbenchShards(dirs: string[] | ShardSet, out: string, dimensionFor?: (id: string) => Promise<Dimension>): Promise<MergedRun> {
  return mergeSuiteShards(VBENCH_SUITE, dirs, out, dimensionFor);
}
