import { stableStringify } from '../../core/hash.ts';
import { dimensionEntriesAgree, measuredPart, type Provenance } from '../../core/provenance.ts';

/**
 * Whether two runs measure the same thing, so their scores may be compared. Runs of different
 * generators are the point of a comparison, so the generator and the samples may differ; what must
 * agree is the suite and mode, the prompt set, the metric models' hashes and the dimensions'
 * settings (for the dimensions both runs have), and the aggregation.
 */
export interface Conflict {
  field: string;
  a: string;
  b: string;
}

export function comparabilityConflicts(a: Provenance, b: Provenance): Conflict[] {
  const out: Conflict[] = [];
  const same = (field: string, x: unknown, y: unknown) => {
    const sx = stableStringify(x ?? null);
    const sy = stableStringify(y ?? null);
    if (sx !== sy) out.push({ field, a: sx, b: sy });
  };
  same('suite', a.suite, b.suite);
  same('mode', a.mode, b.mode);
  const ps = (p: Provenance['promptSet']) => (p ? `${p.name} (sha256 ${p.sha256.slice(0, 12)}…)` : 'none');
  if (ps(a.promptSet) !== ps(b.promptSet) || a.promptSet?.sha256 !== b.promptSet?.sha256) out.push({ field: 'prompt set', a: ps(a.promptSet), b: ps(b.promptSet) });
  same('aggregation', a.aggregation, b.aggregation);
  for (const id of Object.keys(a.models ?? {}).sort()) {
    const mb = b.models?.[id];
    if (mb && mb.sha256 !== a.models[id]!.sha256) out.push({ field: `model ${id}`, a: `sha256 ${a.models[id]!.sha256.slice(0, 12)}…`, b: `sha256 ${mb.sha256.slice(0, 12)}…` });
  }
  for (const dim of Object.keys(a.dimensions ?? {}).sort()) {
    // Notes (descriptions) never make runs incomparable; an entry written before settings and notes
    // were split agrees with the current one when it holds the same measurement.
    const da = a.dimensions[dim] as Record<string, unknown>;
    const db = b.dimensions?.[dim] as Record<string, unknown> | undefined;
    if (db && !dimensionEntriesAgree(da, db)) same(`settings of ${dim}`, measuredPart(da), measuredPart(db));
  }
  return out;
}

/** Differences worth showing that do not make runs incomparable (what was compared, where it ran). */
export function informativeDifferences(a: Provenance, b: Provenance): Conflict[] {
  const out: Conflict[] = [];
  const diff = (field: string, x: unknown, y: unknown) => {
    const sx = stableStringify(x ?? null);
    const sy = stableStringify(y ?? null);
    if (sx !== sy) out.push({ field, a: sx, b: sy });
  };
  diff('generator', a.generator, b.generator);
  diff('execution provider', a.executionProvider, b.executionProvider);
  diff('tool version', a.tool, b.tool);
  return out;
}

/** One line per conflict, for warnings and error messages. */
export function describeConflicts(conflicts: Conflict[], nameA: string, nameB: string): string[] {
  return conflicts.map((c) => `${c.field}: ${nameA} ${shorten(c.a)} vs ${nameB} ${shorten(c.b)}`);
}

/** Long values keep their start and their end (a prompt set's or a model's sha256 comes last: the part that differs). */
function shorten(s: string): string {
  return s.length > 120 ? `${s.slice(0, 60)}…${s.slice(-59)}` : s;
}
