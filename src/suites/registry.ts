/**
 * The benchmark suites, by id. evaluate, bench, merge, report and gate look a suite up here and use
 * what it declares (core/suite-contract.ts) instead of branching on its name. Adding a suite:
 * src/suites/<id>/suite.ts exporting its Suite, and one line below.
 */
import { GenbenchError } from '../core/errors.ts';
import type { Suite } from '../core/suite-contract.ts';
import { GENEVAL_SUITE } from './geneval/suite.ts';
import { VBENCH_SUITE } from './vbench/suite.ts';

const SUITES: readonly Suite[] = [VBENCH_SUITE, GENEVAL_SUITE];

/** Registered suite ids, the default (VBench) first. */
export function suiteIds(): string[] {
  return SUITES.map((s) => s.id);
}

/** Every registered suite, in suiteIds() order. */
export function allSuites(): readonly Suite[] {
  return SUITES;
}

/** The suite with this id, or undefined. */
export function findSuite(id: string): Suite | undefined {
  return SUITES.find((s) => s.id === id);
}

/** The suite with this id; an unknown id is a usage error naming the known ones. */
export function getSuite(id: string): Suite {
  const s = findSuite(id);
  if (!s) throw new GenbenchError('E_USAGE', `unknown suite "${id}"`, `known suites: ${suiteIds().join(', ')}`);
  return s;
}
