/**
 * The metric model catalog: every family's model tables (src/metrics/<family>/spec.ts), one line
 * per family. Loading this module registers them with the runtime (runtime/model-catalog.ts),
 * which derives the built-in registry entries and the fixture recipes from them; entry points
 * (the CLI, the self-test, tools, tests that use the registry) load it. Adding a model family:
 * its folder, and one line here.
 */
import { registerModelCatalog } from '../runtime/model-catalog.ts';
import type { MetricModelTable } from '../runtime/model-table.ts';
import { AESTHETIC_MODELS } from './aesthetic/spec.ts';
import { AMT_MODELS } from './amt/spec.ts';
import { CLIP_MODELS } from './clip/spec.ts';
import { DINO_MODELS } from './dino/spec.ts';
import { MASK2FORMER_MODELS } from './mask2former/spec.ts';
import { MUSIQ_MODELS } from './musiq/spec.ts';
import { RAFT_MODELS } from './raft/spec.ts';
import { UMT_MODELS } from './umt/spec.ts';
import { VICLIP_MODELS } from './viclip/spec.ts';

/** Every built-in metric model, in registry order (`genbench models list`, fixtures built in this order). */
export const METRIC_MODELS: readonly MetricModelTable[] = [
  ...DINO_MODELS,
  ...AESTHETIC_MODELS,
  ...MUSIQ_MODELS,
  ...RAFT_MODELS,
  ...AMT_MODELS,
  ...MASK2FORMER_MODELS,
  ...CLIP_MODELS,
  ...VICLIP_MODELS,
  ...UMT_MODELS,
];

registerModelCatalog(METRIC_MODELS);
