import type { SampleRecord } from '../../core/contracts.ts';

export type Aggregate = (records: readonly SampleRecord[]) => number;

/**
 * A dimension's own aggregate (the official formula its Dimension implements), to recompute a score
 * on a subset of its records (gate --allow-subset). Records are put in their official order first
 * (`order`, kept by scoring and merge), so float sums run in the order the official code sums them.
 */
export async function dimensionAggregate(suite: string, id: string): Promise<Aggregate | null> {
  let aggregate: Aggregate | null = null;
  if (suite === 'vbench') {
    const { createVbenchDimension, implementedVbenchDimensions } = await import('../../suites/vbench/dimension-registry.ts');
    if (implementedVbenchDimensions().includes(id)) aggregate = (await createVbenchDimension(id)).aggregate;
  } else if (suite === 'geneval') {
    const { createGenevalTaskDimension, GENEVAL_TASK_IDS } = await import('../../suites/geneval/task-dimension.ts');
    if ((GENEVAL_TASK_IDS as readonly string[]).includes(id)) {
      // The aggregate (correct / scored) uses no model; colour support is only needed to score.
      const color = { models: [], settings: {}, forImage: () => Promise.reject(new Error('not for scoring')) };
      aggregate = createGenevalTaskDimension(id as (typeof GENEVAL_TASK_IDS)[number], { classNames: [], color }).aggregate;
    }
  }
  if (!aggregate) return null;
  const agg = aggregate;
  return (records) => agg(inOfficialOrder(records));
}

function inOfficialOrder(records: readonly SampleRecord[]): SampleRecord[] {
  if (!records.every((r) => typeof r.order === 'number')) return [...records];
  return [...records].sort((a, b) => a.order! - b.order!);
}
