import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { acquireDirLock, type DirLock } from './dir-lock.ts';
import { GenbenchError } from './errors.ts';
import { ensureOutputDir } from './out-dir.ts';
import { readJson, writeJsonAtomic } from './json-file.ts';
import { comparablePart, dimensionEntriesAgree, measuredPart, type Provenance } from './provenance.ts';
import { RecordsStore } from './records-store.ts';
import { stableStringify } from './hash.ts';

/**
 * A run directory:
 *   run.json               provenance
 *   records/<dim>.jsonl    per-sample records (append-only, fsynced)
 *   scores.json            dimension and headline scores (deterministic bytes)
 *   report/                markdown / CSV / charts
 *   + official-format exports (VBench *_eval_results.json, GenEval results.jsonl)
 *   .lock                  while a process writes it (src/core/dir-lock.ts): a second one is refused
 */
export class RunDir {
  readonly root: string;
  private readonly stores = new Map<string, RecordsStore>();
  private lock: DirLock | undefined;

  constructor(root: string) {
    this.root = resolve(root);
  }

  get runJsonPath(): string {
    return join(this.root, 'run.json');
  }
  get scoresPath(): string {
    return join(this.root, 'scores.json');
  }
  get reportDir(): string {
    return join(this.root, 'report');
  }
  recordsPath(dimension: string): string {
    return join(this.root, 'records', `${dimension}.jsonl`);
  }

  exists(): boolean {
    return existsSync(this.runJsonPath);
  }

  readProvenance(): Provenance {
    const p = readJson<unknown>(this.runJsonPath, 'run.json');
    const problems = provenanceShapeProblems(p);
    if (problems.length > 0) {
      throw new GenbenchError(
        'E_INPUT',
        `run.json of ${this.root} has an unknown shape (${problems.join('; ')})`,
        'it was written by another genbench version or damaged: start a new run (another --out), or restore the file',
      );
    }
    return p as Provenance;
  }

  /**
   * Start or resume: a new directory gets `fresh`; an existing one must describe the same
   * measurement (same suite, prompt set, generator, model hashes, and the same settings for the
   * dimensions both share; notes aside, and a run.json written before dimensions split their
   * settings from their notes is accepted through previousSettingsSha256). New dimensions may be
   * added to an existing run, and the sample set may change (new or regenerated files are scored;
   * unchanged ones are reused by key). The merged run.json takes the fresh dimension entries.
   */
  open(fresh: Provenance): Provenance {
    ensureOutputDir(this.root);
    // One writer per run directory; released by finish() or when the process exits.
    this.lock ??= acquireDirLock(this.root, { what: 'run directory', flag: '--out' });
    if (!this.exists()) {
      writeJsonAtomic(this.runJsonPath, fresh);
      return fresh;
    }
    let old: Provenance;
    try {
      old = this.readProvenance();
    } catch (e) {
      this.releaseLock();
      throw e;
    }
    // The sample set may change between invocations (a regenerated video is re-scored by key).
    const diffs = provenanceConflicts(old, fresh, { ignoreSamples: true });
    if (diffs.length > 0) {
      this.releaseLock();
      throw new GenbenchError(
        'E_RUN',
        `${this.root} holds a run with different provenance: ${diffs.join('; ')}`,
        'use a new --out directory, or run with the same settings to resume',
      );
    }
    const merged: Provenance = {
      ...old,
      dimensions: { ...old.dimensions, ...fresh.dimensions },
      models: { ...old.models, ...fresh.models },
      samples: fresh.samples,
      expected: { ...old.expected, ...fresh.expected },
      command: fresh.command,
      finishedAt: null,
    };
    writeJsonAtomic(this.runJsonPath, merged);
    return merged;
  }

  finish(p: Provenance): Provenance {
    const done = { ...p, finishedAt: new Date().toISOString() };
    writeJsonAtomic(this.runJsonPath, done);
    this.releaseLock();
    return done;
  }

  /** Give up this RunDir's hold on the run directory's lock (finish() does it). */
  releaseLock(): void {
    this.lock?.release();
    this.lock = undefined;
  }

  store(dimension: string): RecordsStore {
    let s = this.stores.get(dimension);
    if (!s) {
      s = new RecordsStore(this.recordsPath(dimension));
      this.stores.set(dimension, s);
    }
    return s;
  }

  close(): void {
    for (const s of this.stores.values()) s.close();
    this.stores.clear();
  }
}

/** Human-readable list of what differs between two provenances (empty when compatible). */
export function provenanceConflicts(a: Provenance, b: Provenance, opts: { ignoreSamples?: boolean } = {}): string[] {
  const ca = comparablePart(a);
  const cb = comparablePart(b);
  const out: string[] = [];
  const fields = ['suite', 'mode', 'promptSet', 'samples', 'generator', 'aggregation'] as const;
  for (const field of fields.filter((f) => !(opts.ignoreSamples && f === 'samples'))) {
    if (stableStringify(ca[field]) !== stableStringify(cb[field])) {
      out.push(`${field}: ${stableStringify(ca[field])} vs ${stableStringify(cb[field])}`);
    }
  }
  const ma = ca.models as Record<string, string>;
  const mb = cb.models as Record<string, string>;
  for (const id of Object.keys(ma)) {
    if (id in mb && ma[id] !== mb[id]) out.push(`model ${id}: sha256 ${ma[id]} vs ${mb[id]}`);
  }
  // Settings and models only (notes are descriptions); an entry written before settings and notes
  // were split matches by the other entry's previousSettingsSha256.
  for (const dim of Object.keys(a.dimensions)) {
    if (dim in b.dimensions && !dimensionEntriesAgree(a.dimensions[dim]!, b.dimensions[dim]!)) {
      out.push(`dimension ${dim} settings: ${stableStringify(measuredPart(a.dimensions[dim]!))} vs ${stableStringify(measuredPart(b.dimensions[dim]!))}`);
    }
  }
  return out;
}

/** What makes a parsed run.json unusable: the fields every reader relies on, checked by type. */
function provenanceShapeProblems(p: unknown): string[] {
  if (typeof p !== 'object' || p === null || Array.isArray(p)) return ['not a JSON object'];
  const o = p as Record<string, unknown>;
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  const out: string[] = [];
  if (o['schema'] !== 1) out.push(`schema ${JSON.stringify(o['schema'])}, expected 1`);
  for (const k of ['suite', 'mode']) if (typeof o[k] !== 'string') out.push(`${k} is not a string`);
  for (const k of ['models', 'dimensions', 'host', 'tool']) if (!isObject(o[k])) out.push(`${k} is not an object`);
  for (const k of ['promptSet', 'samples', 'generator', 'shard']) if (o[k] !== null && !isObject(o[k])) out.push(`${k} is neither null nor an object`);
  if (!Array.isArray(o['command'])) out.push('command is not a list');
  return out;
}
