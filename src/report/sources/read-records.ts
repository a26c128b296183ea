import { existsSync, readFileSync } from 'node:fs';
import type { SampleRecord } from '../../core/contracts.ts';

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
    try {
      const r = JSON.parse(line) as SampleRecord;
      latest.delete(r.sample);
      latest.set(r.sample, r);
    } catch {
      damaged += 1;
    }
  }
  return { records: [...latest.values()], damaged };
}
