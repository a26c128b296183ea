import { existsSync, readFileSync } from 'node:fs';
import { JsonlAppender, writeFileAtomic } from './atomic-file.ts';
import type { SampleRecord } from './contracts.ts';

export interface RecordsStoreOptions {
  /** Where warnings go (damaged lines found and dropped); default: stderr. */
  warn?: (message: string) => void;
  /** Only read the file: damaged lines are reported but the file is left as it is (merge reads shards this way). */
  readOnly?: boolean;
}

/**
 * Append-only JSONL store of per-sample records for one dimension.
 * Every append is written and fsynced before returning, so a run killed at any moment keeps every
 * record it reported as done. Lines that cannot be parsed — a torn last line after a kill during a
 * write, or a line damaged some other way — are reported when the file is opened and compacted
 * away: the file is rewritten atomically with every good line, in order.
 */
export class RecordsStore {
  readonly path: string;
  private readonly byKey = new Map<string, SampleRecord>();
  /** Latest record of each sample id, in the order the records were written. */
  private readonly bySample = new Map<string, SampleRecord>();
  private readonly appender: JsonlAppender;
  private readonly readOnly: boolean;
  /** Lines that could not be parsed when loading (a torn tail after a kill, or damage). */
  readonly damagedLines: number;

  constructor(path: string, options: RecordsStoreOptions = {}) {
    this.path = path;
    this.appender = new JsonlAppender(path);
    this.readOnly = options.readOnly === true;
    this.damagedLines = this.load(options.warn ?? ((m) => process.stderr.write(`genbench: warning: ${m}\n`)));
  }

  private load(warn: (message: string) => void): number {
    if (!existsSync(this.path)) return 0;
    const text = readFileSync(this.path, 'utf8');
    const lines = text.split('\n');
    const good: string[] = [];
    const damagedAt: number[] = [];
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const rec = parseRecord(line);
      if (rec) {
        good.push(line);
        this.index(rec);
      } else {
        damagedAt.push(i + 1);
      }
    });
    if (damagedAt.length === 0) {
      // A complete last record whose newline was cut: terminate it so the next append starts a fresh line.
      if (text.length > 0 && !text.endsWith('\n') && !this.readOnly) this.appendRaw('\n');
      return 0;
    }
    const lastLine = lines.at(-1) === '' ? lines.length - 1 : lines.length;
    const tornTail = damagedAt.length === 1 && damagedAt[0] === lastLine && !text.endsWith('\n');
    const what = tornTail
      ? `the last line was cut short (the run was killed while writing it)`
      : `${damagedAt.length} line(s) could not be read (line ${damagedAt.slice(0, 5).join(', ')}${damagedAt.length > 5 ? ', …' : ''})`;
    if (this.readOnly) {
      warn(`${this.path}: ${what}; those records are ignored (${good.length} good record line(s) read)`);
    } else {
      // Compact: keep every good line as it was, drop the damaged ones; the samples they held are scored again.
      writeFileAtomic(this.path, good.map((l) => `${l}\n`).join(''));
      warn(`${this.path}: ${what}; removed them from the file, kept ${good.length} good record line(s) — their samples are scored again`);
    }
    return damagedAt.length;
  }

  private index(rec: SampleRecord): void {
    // A later record for the same key (e.g. a retried error) replaces the earlier one.
    this.byKey.set(rec.key, rec);
    this.bySample.delete(rec.sample);
    this.bySample.set(rec.sample, rec);
  }

  private appendRaw(text: string): void {
    if (this.readOnly) throw new Error(`records store opened read-only: ${this.path}`);
    this.appender.appendText(text);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** True when a successful record exists for the key (error records are retried on resume). */
  hasOk(key: string): boolean {
    return this.byKey.get(key)?.ok === true;
  }

  get(key: string): SampleRecord | undefined {
    return this.byKey.get(key);
  }

  /** The record written last for a sample id (whatever its key). */
  latestOf(sample: string): SampleRecord | undefined {
    return this.bySample.get(sample);
  }

  append(record: SampleRecord): void {
    this.appendRaw(`${JSON.stringify(record)}\n`);
    this.index(record);
  }

  /** Latest record per key, in first-seen order. */
  records(): SampleRecord[] {
    return [...this.byKey.values()];
  }

  /**
   * The record written last for each sample id: what the run last saw of each sample (a reused
   * record that is not the latest of its sample is written again when reused, see scoreDimension).
   */
  latestPerSample(): SampleRecord[] {
    return [...this.bySample.values()];
  }

  close(): void {
    this.appender.close();
  }
}

function parseRecord(line: string): SampleRecord | undefined {
  try {
    const r = JSON.parse(line) as unknown;
    if (r === null || typeof r !== 'object' || Array.isArray(r)) return undefined;
    const rec = r as SampleRecord;
    if (typeof rec.key !== 'string' || typeof rec.sample !== 'string' || typeof rec.ok !== 'boolean') return undefined;
    // A score is a number, a boolean, or null (NaN as JSON writes it).
    if (rec.ok && !(typeof rec.value === 'number' || typeof rec.value === 'boolean' || rec.value === null)) return undefined;
    return rec;
  } catch {
    return undefined;
  }
}

/**
 * Read a dimension's records without touching the file (a report never writes into a run): the
 * latest record of each sample counts (a sample re-scored after its file changed has several), torn
 * or damaged lines are skipped and counted.
 */
export function readLatestRecords(path: string): { records: SampleRecord[]; damaged: number } {
  if (!existsSync(path)) return { records: [], damaged: 0 };
  const latest = new Map<string, SampleRecord>();
  let damaged = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    // The same check as the store's: a line that is JSON but not a record is damaged, not a sample's latest record.
    const r = parseRecord(line);
    if (!r) {
      damaged += 1;
      continue;
    }
    latest.delete(r.sample);
    latest.set(r.sample, r);
  }
  return { records: [...latest.values()], damaged };
}
