import { existsSync } from 'node:fs';
import { GenbenchError } from './errors.ts';
import { stableStringify } from './hash.ts';
import { comparablePart, type Provenance } from './provenance.ts';
import { RecordsStore } from './records-store.ts';
import { RunDir } from './run-dir.ts';
import type { SampleRecord } from '../suites/types.ts';

export interface ShardSet {
  shards: { dir: RunDir; provenance: Provenance }[];
  count: number;
  /** Records per dimension, all shards together, in the unsharded run's order. */
  records: Record<string, SampleRecord[]>;
}

/**
 * Load and check the shard runs of one measurement: same provenance (suite, prompt/sample set,
 * generator, model hashes, settings), same shard count, every shard index exactly once, each shard
 * finished, and no sample scored by two shards. Any violation is refused with what to do.
 */
export function loadShardSet(dirs: string[]): ShardSet {
  if (dirs.length === 0) throw new GenbenchError('E_USAGE', 'merge needs at least one shard run directory');
  const shards = dirs.map((d) => {
    const dir = new RunDir(d);
    if (!dir.exists()) throw new GenbenchError('E_NOT_FOUND', `not a run directory (no run.json): ${dir.root}`);
    return { dir, provenance: dir.readProvenance() };
  });
  const first = shards[0]!;
  const ref = stableStringify(comparablePart(first.provenance));
  for (const s of shards.slice(1)) {
    if (stableStringify(comparablePart(s.provenance)) !== ref) {
      throw new GenbenchError(
        'E_MERGE',
        `${s.dir.root} and ${first.dir.root} do not measure the same thing (suite, samples, generator, model hashes or settings differ)`,
        'merge only shards of one command run with different --shard values',
      );
    }
  }
  const counts = new Set(shards.map((s) => s.provenance.shard?.count ?? 1));
  if (counts.size !== 1) throw new GenbenchError('E_MERGE', `shards disagree on the shard count: ${[...counts].join(', ')}`);
  const count = [...counts][0]!;
  const seen = new Map<number, string>();
  for (const s of shards) {
    const idx = s.provenance.shard?.index ?? 0;
    const prev = seen.get(idx);
    if (prev) throw new GenbenchError('E_MERGE', `shard ${idx + 1}/${count} given twice: ${prev} and ${s.dir.root}`, 'shards overlap');
    seen.set(idx, s.dir.root);
    if (!s.provenance.finishedAt) {
      throw new GenbenchError('E_MERGE', `shard ${idx + 1}/${count} (${s.dir.root}) has not finished`, 'run its command again to complete it, then merge');
    }
  }
  const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    throw new GenbenchError('E_MERGE', `missing shard(s) ${missing.map((i) => `${i + 1}/${count}`).join(', ')}`, 'the merged run would have gaps; run them first');
  }
  const records: Record<string, SampleRecord[]> = {};
  for (const dim of Object.keys(first.provenance.dimensions)) {
    const owner = new Map<string, string>();
    const all: SampleRecord[] = [];
    for (const s of shards) {
      const path = s.dir.recordsPath(dim);
      if (!existsSync(path)) continue;
      const store = new RecordsStore(path);
      // A sample re-scored after its file changed has several records: the latest one counts.
      const latest = new Map<string, SampleRecord>();
      for (const r of store.records()) latest.set(r.sample, r);
      for (const r of latest.values()) {
        const o = owner.get(r.sample);
        if (o && o !== s.dir.root) {
          throw new GenbenchError('E_MERGE', `sample ${r.sample} (${dim}) scored by two shards: ${o} and ${s.dir.root}`, 'shards overlap');
        }
        owner.set(r.sample, s.dir.root);
        all.push(r);
      }
      store.close();
    }
    // The official order of the unsharded run (records carry their position), then the name.
    records[dim] = all.sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || (a.sample < b.sample ? -1 : a.sample > b.sample ? 1 : 0));
  }
  return { shards, count, records };
}
