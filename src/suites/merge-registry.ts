/**
 * `genbench merge`: the suite's merge, looked up by the suite the shards' run.json names (every
 * suite merges the same way: checked shard set → merged records → the suite's scores and exports).
 */
import { GenbenchError } from '../core/errors.ts';
import { loadShardSet, type ShardSet } from '../core/merge-shards.ts';
import type { RunDir } from '../core/run-dir.ts';
import type { ScoresFile } from '../core/scores-file.ts';
import { mergeGenevalShards } from './geneval/merge.ts';
import type { SampleRecord } from '../core/contracts.ts';
import { mergeVbenchShards } from './vbench/merge.ts';

export interface MergeResult {
  run: RunDir;
  scores: ScoresFile;
  errorRecords: SampleRecord[];
}

const MERGERS: Record<string, (set: ShardSet, out: string) => Promise<MergeResult>> = {
  vbench: (set, out) => mergeVbenchShards(set, out),
  geneval: (set, out) => mergeGenevalShards(set, out),
};

export async function mergeShards(dirs: string[], out: string): Promise<MergeResult> {
  const set = loadShardSet(dirs);
  const suite = set.shards[0]!.provenance.suite;
  const merge = MERGERS[suite];
  if (!merge) throw new GenbenchError('E_MERGE', `no merge for suite "${suite}"`, `known suites: ${Object.keys(MERGERS).join(', ')}`);
  return merge(set, out);
}
