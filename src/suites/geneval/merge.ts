import { mergeSuiteShards, type MergedRun, type ShardSet } from '../../core/merge-shards.ts';
import type { Dimension } from '../../core/contracts.ts';
import { GENEVAL_SUITE } from './suite.ts';

/**
 * Merge the shard runs of one GenEval evaluation into one run directory: its records, scores.json,
 * results.jsonl and summary.txt are those of an unsharded run over the same images
 * (`genbench merge` looks the suite up).
 */
export function mergeGenevalShards(dirs: string[] | ShardSet, out: string, dimensionFor?: (id: string) => Promise<Dimension>): Promise<MergedRun> {
  return mergeSuiteShards(GENEVAL_SUITE, dirs, out, dimensionFor);
}
