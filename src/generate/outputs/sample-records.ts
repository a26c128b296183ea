/**
 * `OUT/genbench/samples.jsonl`, the generation records: one line per sample file, appended and
 * fsynced after the file is renamed into place. A kill between the two leaves a file without a
 * record; deleting or replacing a file leaves a record without (or not matching) its file. On
 * resume, `reconcileSampleRecords` checks file ↔ record so that the folder ends up with exactly one
 * record per file on disk:
 *
 * - a file with a record whose sha256 matches it is done (the last such record is kept);
 * - a planned file without a matching record is generated again (generation is deterministic per
 *   seed and sample, so this rewrites the same sample) and gets its record then;
 * - records of files that are gone or whose bytes changed, duplicates and damaged lines are
 *   dropped, by rewriting the file atomically (temp file, fsync, rename).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic-file.ts';
import { sha256File } from '../../core/hash.ts';

export interface ReconciledRecords {
  /** Relative paths (as records name them) of the files that are on disk with a matching record. */
  done: Set<string>;
  /** Lines dropped from samples.jsonl, by reason. */
  dropped: { damaged: number; fileMissing: number; fileChanged: number; duplicate: number };
  /** Planned files on disk without a matching record (they are generated again). */
  unrecorded: string[];
  /** Whether samples.jsonl was rewritten. */
  rewritten: boolean;
}

interface Line {
  text: string;
  file: string | null;
  sha256: string | null;
}

function parseLine(text: string): Line {
  try {
    const v = JSON.parse(text) as { file?: unknown; sha256?: unknown };
    if (v && typeof v === 'object' && typeof v.file === 'string' && typeof v.sha256 === 'string') return { text, file: v.file, sha256: v.sha256 };
  } catch {
    // damaged (e.g. a torn last line)
  }
  return { text, file: null, sha256: null };
}

/**
 * Checks the records of `out` against the files on disk; `planned` are the relative paths this run
 * is responsible for (the ones it will generate when not done). Rewrites samples.jsonl when it
 * holds lines to drop.
 */
export async function reconcileSampleRecords(out: string, recordsPath: string, planned: readonly string[]): Promise<ReconciledRecords> {
  const dropped = { damaged: 0, fileMissing: 0, fileChanged: 0, duplicate: 0 };
  const original = existsSync(recordsPath) ? readFileSync(recordsPath, 'utf8') : '';
  const lines = original.split('\n').filter((l) => l.trim() !== '').map(parseLine);
  const byFile = new Map<string, number[]>();
  lines.forEach((l, i) => {
    if (l.file === null) dropped.damaged += 1;
    else byFile.set(l.file, [...(byFile.get(l.file) ?? []), i]);
  });
  const keep = new Set<number>();
  for (const [file, idx] of byFile) {
    const abs = join(out, file);
    if (!existsSync(abs)) {
      dropped.fileMissing += idx.length;
      continue;
    }
    const actual = await sha256File(abs);
    const matching = idx.filter((i) => lines[i]!.sha256 === actual);
    if (matching.length === 0) {
      dropped.fileChanged += idx.length;
      continue;
    }
    keep.add(matching[matching.length - 1]!);
    dropped.duplicate += idx.length - 1;
  }
  const done = new Set<string>();
  for (const i of keep) done.add(lines[i]!.file!);
  const unrecorded = planned.filter((f) => !done.has(f) && existsSync(join(out, f)));
  const compacted = lines.filter((_, i) => keep.has(i)).map((l) => `${l.text}\n`).join('');
  let rewritten = false;
  if (compacted !== original && existsSync(recordsPath)) {
    // Lines appended meanwhile (another shard generating into the same folder) are carried over.
    const now = readFileSync(recordsPath, 'utf8');
    const appended = now.startsWith(original) ? now.slice(original.length) : '';
    writeFileAtomic(recordsPath, compacted + appended);
    rewritten = true;
  }
  return { done, dropped, unrecorded, rewritten };
}

/** One line for the log when reconciling changed anything (null when the records were consistent). */
export function describeReconciled(r: ReconciledRecords): string | null {
  const parts: string[] = [];
  const d = r.dropped;
  if (d.fileMissing) parts.push(`${d.fileMissing} record(s) of files no longer there`);
  if (d.fileChanged) parts.push(`${d.fileChanged} record(s) not matching their file's bytes`);
  if (d.duplicate) parts.push(`${d.duplicate} duplicate record(s)`);
  if (d.damaged) parts.push(`${d.damaged} damaged line(s)`);
  const out: string[] = [];
  if (parts.length) out.push(`dropped ${parts.join(', ')}`);
  if (r.unrecorded.length) out.push(`${r.unrecorded.length} file(s) without a record (an interrupted run) are generated again`);
  return out.length ? `samples.jsonl: ${out.join('; ')}` : null;
}
