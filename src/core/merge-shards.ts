import { existsSync, readdirSync } from 'node:fs';
import { GenbenchError } from './errors.ts';
import { stableStringify } from './hash.ts';
import { readJson, writeJsonAtomic } from './json-file.ts';
import { comparablePart, type Provenance } from './provenance.ts';
import { RecordsStore } from './records-store.ts';
import { RunDir, provenanceConflicts } from './run-dir.ts';
import type { ScoresFile } from './scores-file.ts';
import type { Dimension, SampleRecord } from './contracts.ts';
import type { ScoredDimension } from './score-dimension.ts';
import type { Suite, SuiteFinalized } from './suite-contract.ts';

export interface ShardSet {
  shards: { dir: RunDir; provenance: Provenance; scores: ScoresFile | undefined }[];
  count: number;
  /** Records per dimension, all shards together, in the unsharded run's order. */
  records: Record<string, SampleRecord[]>;
  /** Some shard is a smoke run (fixture models), or some record was scored with a fixture model. */
  smoke: boolean;
  /** The shards' headline scores were computed with partial scores allowed (--allow-partial). */
  allowPartial: boolean;
}

/**
 * Load and check the shard runs of one measurement: same provenance (suite, prompt/sample set,
 * generator, model hashes, settings; E_NOT_COMPARABLE otherwise), same shard count, every shard
 * index exactly once, each shard finished, no damaged record line, and no sample scored by two
 * shards (E_MERGE). Of each shard, the latest record of every sample is taken: the record of the
 * sample's content as that shard last saw it (a shard run writes a reused record again when it is
 * not its sample's latest, see scoreDimension).
 */
export function loadShardSet(dirs: string[]): ShardSet {
  if (dirs.length === 0) throw new GenbenchError('E_USAGE', 'merge needs at least one shard run directory');
  const shards = dirs.map((d) => {
    const dir = new RunDir(d);
    if (!dir.exists()) throw new GenbenchError('E_NOT_FOUND', `not a run directory (no run.json): ${dir.root}`);
    const scores = existsSync(dir.scoresPath) ? readJson<ScoresFile>(dir.scoresPath, 'scores.json') : undefined;
    return { dir, provenance: dir.readProvenance(), scores };
  });
  const first = shards[0]!;
  const ref = stableStringify(comparablePart(first.provenance));
  for (const s of shards.slice(1)) {
    if (stableStringify(comparablePart(s.provenance)) !== ref) {
      const diffs = provenanceConflicts(first.provenance, s.provenance);
      throw new GenbenchError(
        'E_NOT_COMPARABLE',
        `${first.dir.root} and ${s.dir.root} do not measure the same thing (${diffs.length > 0 ? diffs.slice(0, 3).join('; ') : 'suite, samples, generator, model hashes or settings differ'})`,
        'merge only shards of one command run with different --shard values',
      );
    }
  }
  const counts = new Set(shards.map((s) => s.provenance.shard?.count ?? 1));
  if (counts.size !== 1) throw new GenbenchError('E_MERGE', `shards disagree on the shard count: ${[...counts].join(', ')}`, 'merge the shards of one --shard I/N split');
  const count = [...counts][0]!;
  const seen = new Map<number, string>();
  for (const s of shards) {
    const idx = s.provenance.shard?.index ?? 0;
    const prev = seen.get(idx);
    if (prev) throw new GenbenchError('E_MERGE', `shard ${idx + 1}/${count} given twice: ${prev} and ${s.dir.root}`, 'shards overlap; give each shard once');
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
      let warning = '';
      const store = new RecordsStore(path, { readOnly: true, warn: (m) => (warning = m) });
      if (store.damagedLines > 0) {
        throw new GenbenchError(
          'E_MERGE',
          `damaged record file in shard ${(s.provenance.shard?.index ?? 0) + 1}/${count}: ${warning}`,
          `run that shard's command again (it removes the damaged lines and scores their samples again), then merge`,
        );
      }
      // The latest record of each sample: what this shard last saw of it.
      for (const r of store.latestPerSample()) {
        const o = owner.get(r.sample);
        if (o && o !== s.dir.root) {
          throw new GenbenchError('E_MERGE', `sample ${r.sample} (${dim}) scored by two shards: ${o} and ${s.dir.root}`, 'shards overlap; merge the shards of one --shard I/N split');
        }
        owner.set(r.sample, s.dir.root);
        all.push(r);
      }
      store.close();
    }
    // The official order of the unsharded run (records carry their position), then the name.
    records[dim] = all.sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || (a.sample < b.sample ? -1 : a.sample > b.sample ? 1 : 0));
  }
  const smoke =
    shards.some((s) => s.scores?.smoke === true || s.provenance.smoke === true || Object.values(s.provenance.models).some((m) => m.fixture === true)) ||
    Object.values(records).some((rs) => rs.some((r) => r.smoke === true));
  // A headline with a value although some of its dimensions are missing was computed with
  // --allow-partial (without it, such a headline has no value). A dimension missing from the merged run
  // is missing from every shard, so with the flag on some shard shows such a headline (unless none has
  // any value, and then neither has the merged run).
  const allowPartial = shards.some((s) => Object.values(s.scores?.headline ?? {}).some((h) => h.value !== null && (h.missing?.length ?? 0) > 0));
  return { shards, count, records, smoke, allowPartial };
}

/**
 * Start the merged run directory (which must be new or empty): its run.json is the shards' common
 * provenance, unsharded, with where it came from and the smoke mark; every merged record is
 * appended to its records file. The suite's finalize then writes scores and exports from the records.
 */
export function writeMergedRun(set: ShardSet, out: string): { run: RunDir; provenance: Provenance } {
  const first = set.shards[0]!.provenance;
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
    smoke: set.smoke,
    mergedFrom: set.shards.map((s) => ({ dir: s.dir.root, shard: s.provenance.shard, host: s.provenance.host.hostname })),
  };
  writeJsonAtomic(run.runJsonPath, provenance);
  try {
    for (const [dim, records] of Object.entries(set.records)) {
      const store = run.store(dim);
      for (const r of records) store.append(r);
    }
  } finally {
    run.close();
  }
  return { run, provenance };
}

/**
 * The part of a merge every suite shares: load the shards (or take a loaded set), refuse another
 * suite's shards, build each dimension (before anything is written, so an unknown one leaves no
 * output), start the merged run directory, and pair every dimension with its merged records and
 * expected count (run.json's expectation, else `defaultExpected`, else the records found). The
 * suite then finalizes scores and exports from `scored`.
 */
export async function mergeShardRecords(o: {
  dirs: string[] | ShardSet;
  out: string;
  suite: { id: string; name: string };
  dimensionFor: (id: string) => Promise<Dimension>;
  defaultExpected?: (first: Provenance) => number | undefined;
}): Promise<{ set: ShardSet; first: Provenance; run: RunDir; scored: ScoredDimension[] }> {
  const set = Array.isArray(o.dirs) ? loadShardSet(o.dirs) : o.dirs;
  const first = set.shards[0]!.provenance;
  if (first.suite !== o.suite.id) throw new GenbenchError('E_MERGE', `these are ${first.suite} shards, not ${o.suite.name} ones`, 'use genbench merge, which merges each suite');
  const dimensions = new Map<string, Dimension>();
  for (const dim of Object.keys(set.records)) dimensions.set(dim, await o.dimensionFor(dim));
  const { run } = writeMergedRun(set, o.out);
  const scored = Object.entries(set.records).map(([dim, records]) => ({
    dimension: dimensions.get(dim)!,
    records,
    expected: first.expected?.[dim] ?? o.defaultExpected?.(first) ?? records.length,
  }));
  return { set, first, run, scored };
}

export interface MergedRun extends SuiteFinalized {
  run: RunDir;
}

/**
 * Merge the shard runs of one evaluation of `suite` into one run directory: its records, scores.json
 * and official exports are those of an unsharded run over the same samples. `dimensionFor` defaults
 * to the suite's (tests pass their own dimensions).
 */
export async function mergeSuiteShards(
  suite: Pick<Suite, 'id' | 'name' | 'merge' | 'scores'>,
  dirs: string[] | ShardSet,
  out: string,
  dimensionFor: (id: string) => Promise<Dimension> = (id) => suite.merge.dimensionFor(id),
): Promise<MergedRun> {
  const { set, first, run, scored } = await mergeShardRecords({
    dirs,
    out,
    suite: { id: suite.id, name: suite.name },
    dimensionFor,
    defaultExpected: suite.merge.defaultExpected ? (p) => suite.merge.defaultExpected!(p) : undefined,
  });
  const finalized = await suite.scores.finalize({ run, mode: first.mode, scored, allowPartial: set.allowPartial, smoke: set.smoke });
  return { run, ...finalized };
}
