import type { SampleRecord } from '../../core/contracts.ts';

/**
 * The n lowest-scoring scored samples (fail before pass for pass/fail scores), ties broken by sample
 * id so the selection does not depend on record order.
 */
export function worstSamples(records: readonly SampleRecord[], n: number): SampleRecord[] {
  const num = (r: SampleRecord) => (typeof r.value === 'boolean' ? (r.value ? 1 : 0) : (r.value as number));
  return records
    .filter((r) => r.ok && (typeof r.value === 'number' || typeof r.value === 'boolean'))
    .sort((a, b) => num(a) - num(b) || (a.sample < b.sample ? -1 : a.sample > b.sample ? 1 : 0))
    .slice(0, n);
}
