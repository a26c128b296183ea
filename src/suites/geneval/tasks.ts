/**
 * GenEval's six tasks in the order of the prompt file and of the paper's table, headed as the
 * paper's README table heads them. A module without dependencies: the suite's registration, its
 * report layout and its overall score read it without loading the scoring code (task-dimension.ts,
 * whose GENEVAL_TASK_IDS lists the same ids in the same order; tests/core/suite-registry.test.ts
 * checks both agree).
 */
export const GENEVAL_TASKS: readonly { id: string; label: string }[] = [
  { id: 'single_object', label: 'Single object' },
  { id: 'two_object', label: 'Two object' },
  { id: 'counting', label: 'Counting' },
  { id: 'colors', label: 'Colors' },
  { id: 'position', label: 'Position' },
  { id: 'color_attr', label: 'Color attribution' },
];

/** The task ids in the official order. */
export const GENEVAL_TASK_ORDER: readonly string[] = GENEVAL_TASKS.map((t) => t.id);

/** The tasks that classify colours (the CLIP colour classifier, `--options logits`). */
export const GENEVAL_COLOR_TASK_ORDER: readonly string[] = ['colors', 'color_attr'];
