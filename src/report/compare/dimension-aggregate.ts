import type { SampleRecord } from '../../core/contracts.ts';
import { findSuite } from '../../suites/registry.ts';

export type Aggregate = (records: readonly SampleRecord[]) => number;

/**
 * A dimension's own aggregate (the official formula its Dimension implements), to recompute a score
 * on a subset of its records (gate --allow-subset). Records are put in their official order first
 * (`order`, kept by scoring and merge), so float sums run in the order the official code sums them.
 */
export async function dimensionAggregate(suite: string, id: string): Promise<Aggregate | null> {
  const dimension = (await findSuite(suite)?.dimensions.forAggregate(id)) ?? null;
  if (!dimension) return null;
  return (records) => dimension.aggregate(inOfficialOrder(records));
}

function inOfficialOrder(records: readonly SampleRecord[]): SampleRecord[] {
  if (!records.every((r) => typeof r.order === 'number')) return [...records];
  return [...records].sort((a, b) => a.order! - b.order!);
}
