/**
 * VBench as a Suite (core/suite-contract.ts): videos, custom and standard modes, its sixteen
 * dimensions (those built so far scored), `--options` of dimension settings, scores.json with
 * Quality/Semantic/Total and vbench_eval_results.json. The scoring code is imported when used, so
 * registering the suite costs the CLI's start nothing.
 */
import { GenbenchError } from '../../core/errors.ts';
import type { Suite } from '../../core/suite-contract.ts';
import { VBENCH_CUSTOM_MODE_EXCLUDED, VBENCH_DIMENSION_IDS } from './constants.ts';
import { createVbenchDimension, defaultVbenchDimensions, implementedVbenchDimensions } from './dimension-registry.ts';
import { createVbenchDimensionWithOptions, describeVbenchOptions, resolveVbenchOptions } from './dimension-options.ts';
import { vbenchHeadlineMembers } from './headline-scores.ts';
import type { VbenchPrompts } from './input.ts';
import { VBENCH_LAYOUT } from './report-layout.ts';

type VbenchMode = 'custom' | 'standard';
/** `--options` resolved per dimension (resolveVbenchOptions). */
type VbenchSettings = Record<string, Record<string, string>>;

/** Check the requested dimension ids against VBench's list and the mode's restrictions. */
export function checkVbenchDimensions(ids: readonly string[], mode: string): void {
  for (const id of ids) {
    if (!VBENCH_DIMENSION_IDS.includes(id)) {
      throw new GenbenchError('E_USAGE', `unknown VBench dimension "${id}"`, `known: ${VBENCH_DIMENSION_IDS.join(', ')}`);
    }
    if (mode === 'custom' && VBENCH_CUSTOM_MODE_EXCLUDED.includes(id)) {
      throw new GenbenchError(
        'E_USAGE',
        `dimension "${id}" needs VBench's per-prompt auxiliary info and cannot run in custom mode (VBench refuses it for custom input too)`,
        'use --mode standard with videos named after VBench prompts',
      );
    }
  }
}

/** Refuse a dimension not built yet (createVbenchDimension's refusal, said before any file is read). */
function refuseNotBuilt(ids: readonly string[]): void {
  const implemented = implementedVbenchDimensions();
  const id = ids.find((i) => !implemented.includes(i));
  if (id !== undefined) throw new GenbenchError('E_NOT_IMPLEMENTED', `VBench dimension "${id}" is not implemented yet`, `implemented: ${implemented.join(', ')}`);
}

export const VBENCH_SUITE: Suite<VbenchSettings, VbenchPrompts | undefined> = {
  id: 'vbench',
  name: 'VBench',
  modes: ['custom', 'standard'],
  input: {
    kind: 'video',
    help: 'folder of videos (or one video) to score',
    missingHint: 'pass the folder of videos to score',
    promptFiles: 'VBench_full_info.json',
    async loadPrompts(req) {
      return (await import('./input.ts')).loadVbenchPrompts(req);
    },
    async list(req, prompts) {
      return (await import('./input.ts')).listVbenchSamples(req, prompts);
    },
  },
  dimensions: {
    ids: VBENCH_DIMENSION_IDS,
    select(requested, mode) {
      const notes: string[] = [];
      let ids = requested ? [...requested] : undefined;
      if (!ids) {
        const d = defaultVbenchDimensions(mode as VbenchMode);
        ids = d.available;
        if (d.notImplemented.length > 0) notes.push(`note: not implemented yet, not scored: ${d.notImplemented.join(', ')}`);
      }
      checkVbenchDimensions(ids, mode);
      return { ids, notes };
    },
    async create(ids, settings) {
      return Promise.all(ids.map((id) => createVbenchDimensionWithOptions(id, settings[id])));
    },
    async forAggregate(id) {
      return implementedVbenchDimensions().includes(id) ? createVbenchDimension(id) : null;
    },
  },
  options: {
    help: `KEY=VALUE (every selected dimension with that setting) or DIMENSION.KEY=VALUE: ${describeVbenchOptions()}`,
    parse(pairs, ids) {
      const settings = resolveVbenchOptions(pairs, ids);
      // The checks run in the order evaluate always ran them: ids, options, then dimensions not built yet.
      refuseNotBuilt(ids);
      return settings;
    },
  },
  scores: {
    async finalize(o) {
      return (await import('./finalize.ts')).finalizeVbenchRun(o);
    },
    headlineMembers: vbenchHeadlineMembers,
  },
  officialExport: { label: 'VBench format', file: 'vbench_eval_results.json' },
  layout: VBENCH_LAYOUT,
  merge: {
    dimensionFor: createVbenchDimension,
    defaultExpected: (p) => p.samples?.count,
  },
};
