import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SampleRecord } from '../suites/types.ts';

/**
 * Append-only JSONL store of per-sample records for one dimension.
 * Every append is written and fsynced before returning, so a run killed at any moment keeps every
 * record it reported as done. A torn last line (kill during write) is ignored on load and
 * rewritten on the next append.
 */
export class RecordsStore {
  readonly path: string;
  private readonly byKey = new Map<string, SampleRecord>();
  private fd: number | undefined;
  /** Lines that could not be parsed when loading (a torn tail after a kill). */
  readonly damagedLines: number;

  constructor(path: string) {
    this.path = path;
    this.damagedLines = this.load();
  }

  private load(): number {
    if (!existsSync(this.path)) return 0;
    const text = readFileSync(this.path, 'utf8');
    let damaged = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const rec = JSON.parse(line) as SampleRecord;
        // A later record for the same key (e.g. a retried error) replaces the earlier one.
        this.byKey.set(rec.key, rec);
      } catch {
        damaged += 1;
      }
    }
    if (text.length > 0 && !text.endsWith('\n')) {
      // Terminate a torn tail so the next append starts on a fresh line.
      this.appendRaw('\n');
    }
    return damaged;
  }

  private appendRaw(text: string): void {
    if (this.fd === undefined) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.fd = openSync(this.path, 'a');
    }
    writeSync(this.fd, text);
    fsyncSync(this.fd);
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

  append(record: SampleRecord): void {
    this.appendRaw(`${JSON.stringify(record)}\n`);
    this.byKey.set(record.key, record);
  }

  /** Latest record per key, in first-seen order. */
  records(): SampleRecord[] {
    return [...this.byKey.values()];
  }

  close(): void {
    if (this.fd !== undefined) {
      closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
