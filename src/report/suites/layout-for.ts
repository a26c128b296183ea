import { GenbenchError } from '../../core/errors.ts';
import type { ColumnSpec, SuiteLayout } from '../../core/suite-contract.ts';
import { findSuite, suiteIds } from '../../suites/registry.ts';

/** The report layout the suite declares (looked up by the id a run's scores.json names). */
export function layoutFor(suite: string): SuiteLayout {
  const l = findSuite(suite)?.layout;
  if (!l) throw new GenbenchError('E_INPUT', `no report layout for suite "${suite}"`, `known suites: ${suiteIds().join(', ')}`);
  return l;
}

/** The layout's dimension column for an id, or a plain column for a dimension the layout does not know. */
export function dimensionColumn(layout: SuiteLayout, id: string): ColumnSpec {
  return layout.dimensions.find((d) => d.id === id) ?? { id, label: id.replace(/_/g, ' '), short: id.replace(/_/g, ' '), kind: 'dimension' };
}

/** Dimension ids in the layout's order, then unknown ones alphabetically. */
export function orderDimensions(layout: SuiteLayout, ids: Iterable<string>): string[] {
  const set = new Set(ids);
  const known = layout.dimensions.map((d) => d.id).filter((id) => set.has(id));
  const unknown = [...set].filter((id) => !layout.dimensions.some((d) => d.id === id)).sort();
  return [...known, ...unknown];
}
