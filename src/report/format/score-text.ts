import type { SuiteLayout } from '../../core/suite-contract.ts';
import { pythonFixed, pythonPercent } from '../../core/pycompat/format.ts';

/** A score (official 0..1 scale) as the papers print it: VBench 80.12, GenEval 0.75. */
export function scoreText(layout: SuiteLayout, value: number, decimals = layout.display.decimals): string {
  return layout.display.scale === 'percent' ? pythonPercent(value, decimals) : pythonFixed(value, decimals);
}

/** A difference of scores in the table's unit, signed: "+0.41" (points for percentages). */
export function deltaText(layout: SuiteLayout, delta: number, decimals = layout.display.decimals): string {
  const t = scoreText(layout, delta, decimals);
  return t.startsWith('-') ? `−${t.slice(1)}` : `+${t}`;
}

/** Interval bounds in the table's unit: "[79.80, 80.41]". */
export function intervalText(layout: SuiteLayout, low: number, high: number, decimals = layout.display.decimals): string {
  return `[${scoreText(layout, low, decimals)}, ${scoreText(layout, high, decimals)}]`;
}

/** The unit of differences: percentage points for percentage tables. */
export function deltaUnit(layout: SuiteLayout): string {
  return layout.display.scale === 'percent' ? 'points' : '';
}

/** Interval of a difference with signed bounds: "[−0.52, +0.13]". */
export function deltaIntervalText(layout: SuiteLayout, low: number, high: number, decimals = layout.display.decimals): string {
  return `[${deltaText(layout, low, decimals)}, ${deltaText(layout, high, decimals)}]`;
}
