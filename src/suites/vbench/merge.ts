import { existsSync, readdirSync } from 'node:fs';
import { GenbenchError } from '../../core/errors.ts';
import { writeJsonAtomic } from '../../core/json-file.ts';
import { loadShardSet } from '../../core/merge-shards.ts';
import type { Provenance } from '../../core/provenance.ts';
import { RunDir } from '../../core/run-dir.ts';
import type { ScoresFile } from '../../core/scores-file.ts';
import type { Dimension, SampleRecord } from '../types.ts';
import { createVbenchDimension } from './dimension-registry.ts';
import { finalizeVbenchRun } from './finalize.ts';

/**
 * Merge the shard runs of one VBench evaluation into one run directory whose records, scores and
 * exports equal those of an unsharded run over the same samples.
 */
export async function mergeVbenchShards(
  dirs: string[],
  out: string,
  dimensionFor: (id: string) => Promise<Dimension> = createVbenchDimension,
): Promise<{ run: RunDir; scores: ScoresFile; errorRecords: SampleRecord[] }> {
  const set = loadShardSet(dirs);
  const first = set.shards[0]!.provenance;
  if (first.suite !== 'vbench') throw new GenbenchError('E_MERGE', `merge of ${first.suite} runs is not supported yet`);
  const run = new RunDir(out);
  if (existsSync(run.root) && readdirSync(run.root).length > 0) {
    throw new GenbenchError('E_MERGE', `output directory is not empty: ${run.root}`, 'choose a new --out directory');
  }
  const provenance: Provenance & { mergedFrom: unknown[] } = {
    ...first,
    shard: null,
    command: process.argv.slice(2),
    startedAt: set.shards.map((s) => s.provenance.startedAt).sort()[0]!,
    finishedAt: new Date().toISOString(),
    mergedFrom: set.shards.map((s) => ({ dir: s.dir.root, shard: s.provenance.shard, host: s.provenance.host.hostname })),
  };
  writeJsonAtomic(run.runJsonPath, provenance);
  const scored = [];
  for (const [dim, records] of Object.entries(set.records)) {
    const store = run.store(dim);
    for (const r of records) store.append(r);
    const dimension = await dimensionFor(dim);
    scored.push({ dimension, records, expected: first.expected?.[dim] ?? first.samples?.count ?? records.length });
  }
  run.close();
  const { scores, errorRecords } = finalizeVbenchRun({ run, mode: first.mode, scored });
  return { run, scores, errorRecords };
}
