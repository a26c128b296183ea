/** The GenEval task dimensions a run scores (all six by default), built with their shared settings. */
import { sha256Hex } from '../../core/hash.ts';
import { GenbenchError } from '../../core/errors.ts';
import type { Dimension } from '../../core/contracts.ts';
import { clipColorSupport } from './clip-color-support.ts';
import { createGenevalTaskDimension, GENEVAL_COLOR_TASKS, GENEVAL_TASK_IDS, type GenevalColorSupport, type GenevalTaskId } from './task-dimension.ts';
import type { GenevalOptions } from './task-checks.ts';

export function createGenevalDimensions(
  ids: readonly string[] | undefined,
  o: { classNames: readonly string[]; options?: Partial<GenevalOptions>; color?: GenevalColorSupport },
): Dimension[] {
  const wanted = ids ?? GENEVAL_TASK_IDS;
  for (const id of wanted) {
    if (!(GENEVAL_TASK_IDS as readonly string[]).includes(id)) {
      throw new GenbenchError('E_USAGE', `unknown GenEval task "${id}"`, `known: ${GENEVAL_TASK_IDS.join(', ')}`);
    }
  }
  if (o.classNames.length !== 80) throw new GenbenchError('E_PROMPTS', `GenEval's object_names.txt should list 80 classes, found ${o.classNames.length}`);
  const color = wanted.some((t) => GENEVAL_COLOR_TASKS.includes(t as GenevalTaskId)) ? (o.color ?? clipColorSupport()) : undefined;
  const classNamesSha256 = sha256Hex(o.classNames.join('\n'));
  return GENEVAL_TASK_IDS.filter((t) => wanted.includes(t)).map((t) => {
    const d = createGenevalTaskDimension(t, { classNames: o.classNames, options: o.options, color });
    return { ...d, settings: { ...d.settings, classNamesSha256 } };
  });
}

/** Aggregating only: the colour classifier is never asked for. */
const NO_SCORING: GenevalColorSupport = {
  models: [],
  settings: {},
  forImage: () => Promise.reject(new GenbenchError('E_RUN', 'a task built to aggregate records does not score images')),
};

/** A GenEval task as merge and gate need it: the task's own aggregate (correct / scored images), no scoring; null for an unknown id. */
export function genevalTaskForAggregate(id: string): Dimension | null {
  if (!(GENEVAL_TASK_IDS as readonly string[]).includes(id)) return null;
  return createGenevalTaskDimension(id as GenevalTaskId, { classNames: [], color: NO_SCORING });
}
