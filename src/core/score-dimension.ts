import { describeError, GenbenchError } from './errors.ts';
import type { Progress } from './progress.ts';
import { legacyRecordKey, legacyRecordMatches, recordKey, sampleIdentity } from './record-key.ts';
import type { RecordsStore } from './records-store.ts';
import type { RunDir } from './run-dir.ts';
import { inShard, type Shard } from './shard.ts';
import type { Dimension, DimensionContext, SampleRecord, SampleRef } from './contracts.ts';

export interface DimensionOutcome {
  dimension: string;
  /** Latest record of every sample of this run, in sample order. */
  records: SampleRecord[];
  scoredNow: number;
  reused: number;
  errors: number;
}

/**
 * Score every sample for one dimension, skipping samples whose record (same key: sample identity,
 * content, model hashes, settings) is already stored. Records written before the dimension split its
 * settings from its notes are found under its `previousSettings`; records of runs made before keys
 * covered the sample identity are reused when they name the same sample, prompt, index and bytes. Failures
 * become error records; they are retried on the next run. Up to `concurrency` samples are in flight
 * (decoding runs in child processes, so this overlaps decode with compute).
 *
 * The store's latest record of each sample is always the one of this run: a reused record that is
 * not (an older content of a file changed back, or a position that moved) is written again, so
 * `merge` and reports, which take the latest record per sample, see what this run saw.
 */
export async function scoreDimension(opts: {
  dimension: Dimension;
  samples: readonly SampleRef[];
  store: RecordsStore;
  modelHashes: Record<string, string>;
  ctx: DimensionContext;
  progress: Progress;
  concurrency?: number;
  /** Position of each sample id in the dimension's full (unsharded) list. */
  orderOf?: ReadonlyMap<string, number>;
}): Promise<DimensionOutcome> {
  const { dimension, samples, store, progress, ctx } = opts;
  const keyParts = { dimension: dimension.id, modelHashes: opts.modelHashes, settings: dimension.settings };
  // Records written before settings and notes were split were keyed by the whole settings object.
  const previous = dimension.previousSettings;
  const previousParts = { ...keyParts, settings: previous ?? dimension.settings };
  const keys = samples.map((s) => recordKey({ ...keyParts, identity: sampleIdentity(s), contentSha256: s.contentSha256 }));
  const found = samples.map((s, i): SampleRecord | undefined => {
    const current = store.get(keys[i]!);
    if (current?.ok) return current;
    if (previous) {
      const before = store.get(recordKey({ ...previousParts, identity: sampleIdentity(s), contentSha256: s.contentSha256 }));
      if (before?.ok) return before;
    }
    const legacy = store.get(legacyRecordKey({ ...previousParts, contentSha256: s.contentSha256 }));
    return legacy?.ok && legacyRecordMatches(legacy, s) ? legacy : undefined;
  });
  // A reused record must be its sample's latest record, at the sample's current position.
  samples.forEach((s, i) => {
    const r = found[i];
    if (!r) return;
    const order = opts.orderOf?.get(s.id);
    if (store.latestOf(s.id) === r && (opts.orderOf === undefined || r.order === order)) return;
    const again: SampleRecord = { ...r, key: keys[i]! };
    if (order !== undefined) again.order = order;
    else delete again.order;
    store.append(again);
    found[i] = again;
  });
  const todo = samples.map((s, i) => ({ sample: s, key: keys[i]! })).filter((_, i) => found[i] === undefined);
  const reused = samples.length - todo.length;
  const smoke = await servedByFixture(dimension, ctx);
  progress.start(dimension.id, todo.length);
  let scoredNow = 0;
  let failedNow = 0;
  const score = async ({ sample, key }: (typeof todo)[number]): Promise<void> => {
    if (ctx.signal?.aborted) throw new GenbenchError('E_RUN', 'interrupted', 'run the same command again to resume');
    const t0 = performance.now();
    let record: SampleRecord;
    try {
      const result = await dimension.scoreSample(sample, ctx);
      record = {
        ...base(sample, key, dimension.id, opts.orderOf, smoke),
        ok: true,
        value: result.value,
        ...(result.extra ? { extra: result.extra } : {}),
        seconds: round3((performance.now() - t0) / 1000),
      };
    } catch (e) {
      if (ctx.signal?.aborted) throw e;
      const code = e instanceof GenbenchError ? e.code : 'E_INTERNAL';
      record = {
        ...base(sample, key, dimension.id, opts.orderOf, smoke),
        ok: false,
        error: { code, message: describeError(e) },
        seconds: round3((performance.now() - t0) / 1000),
      };
      progress.log(`${dimension.id}: ${sample.id}: ${record.error!.message}`);
      failedNow += 1;
    }
    store.append(record);
    scoredNow += 1;
    progress.tick(sample.id);
  };
  await runInFlight(todo, opts.concurrency ?? 1, score, dimension.prefetch ? (t) => dimension.prefetch!(t.sample) : undefined);
  const records = samples.map((_, i) => found[i] ?? store.get(keys[i]!)).filter((r): r is SampleRecord => r !== undefined);
  const errors = records.filter((r) => !r.ok).length;
  // Failed samples are not counted as scored (they are retried on the next run).
  progress.stop(`${dimension.id}: ${scoredNow - failedNow} scored, ${failedNow} failed, ${reused} reused`);
  return { dimension: dimension.id, records, scoredNow, reused, errors };
}

/**
 * Whether any model the dimension uses is served by a random-weight fixture (the handle says so, or
 * the provider substituted a fixture id for the one asked, as `--fixture-models` does). Its records
 * are then marked `smoke`. A model that cannot be loaded counts as not a fixture here; the failure
 * surfaces when a sample is scored.
 */
async function servedByFixture(dimension: Dimension, ctx: DimensionContext): Promise<boolean> {
  if (!ctx.models) return false;
  for (const id of dimension.models) {
    try {
      const h = await ctx.models.get(id);
      if (h.fixture === true || h.id !== id) return true;
    } catch {
      // reported per sample
    }
  }
  return false;
}

/**
 * `work` on every item in order, `concurrency` at a time; as an item starts, `prefetch` is given
 * the item that will start after the ones now in flight (the first ones up front).
 */
export async function runInFlight<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>, prefetch?: (item: T) => void): Promise<void> {
  const n = Math.max(1, Math.min(concurrency, items.length));
  let next = 0;
  if (prefetch) for (let i = 0; i < Math.min(n, items.length); i++) prefetch(items[i]!);
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      if (prefetch && i + n < items.length) prefetch(items[i + n]!);
      await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: n }, lane));
}

function base(sample: SampleRef, key: string, dimension: string, orderOf: ReadonlyMap<string, number> | undefined, smoke: boolean) {
  const order = orderOf?.get(sample.id);
  return {
    key,
    dimension,
    sample: sample.id,
    path: sample.path,
    prompt: sample.prompt,
    ...(sample.index !== undefined ? { index: sample.index } : {}),
    ...(order !== undefined ? { order } : {}),
    contentSha256: sample.contentSha256,
    at: new Date().toISOString(),
    ...(smoke ? { smoke: true } : {}),
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export interface ScoredDimension {
  dimension: Dimension;
  /** Latest record of every sample this run scored for the dimension. */
  records: SampleRecord[];
  /** Samples expected: the whole set's expectation, or this shard's samples when sharded. */
  expected: number;
}

/**
 * Score every dimension of a run into its records store, then close the stores. `samplesOf` gives a
 * dimension's samples in the official order (positions are kept in the records, so merged shards
 * aggregate in that order); a shard scores the samples of the prompts it owns (all samples of a
 * prompt land on one shard). `expectedOf` is the whole set's expectation for a dimension.
 */
export async function scoreRunDimensions(o: {
  run: RunDir;
  dimensions: readonly Dimension[];
  samplesOf: (d: Dimension) => readonly SampleRef[];
  expectedOf: (d: Dimension, all: readonly SampleRef[]) => number;
  modelHashes: Record<string, string>;
  ctx: DimensionContext;
  progress: Progress;
  concurrency?: number;
  shard?: Shard;
}): Promise<ScoredDimension[]> {
  const scored: ScoredDimension[] = [];
  try {
    for (const dimension of o.dimensions) {
      const all = o.samplesOf(dimension);
      const mine = all.filter((s) => inShard(s.prompt, o.shard));
      const outcome = await scoreDimension({
        dimension,
        samples: mine,
        store: o.run.store(dimension.id),
        modelHashes: Object.fromEntries(dimension.models.map((m) => [m, o.modelHashes[m] ?? 'missing'])),
        ctx: o.ctx,
        progress: o.progress,
        concurrency: o.concurrency,
        orderOf: new Map(all.map((s, i) => [s.id, i])),
      });
      scored.push({ dimension, records: outcome.records, expected: o.shard ? mine.length : o.expectedOf(dimension, all) });
    }
  } finally {
    o.run.close();
  }
  return scored;
}
