/**
 * The built-in metric models, as the layer above registers them. The runtime sits below the
 * metric families (src/metrics), so it never imports their tables: src/metrics/catalog.ts
 * assembles every family's tables and registers them here when it is loaded, and the registry
 * (registry.ts), the fixture builder (fixtures/build.ts) and the smoke-run check (smoke.ts) read
 * them from here. Entry points (the CLI, the self-test, tools) load the catalog.
 */
import { GenbenchError } from '../core/errors.ts';
import type { MetricModelTable } from './model-table.ts';

let registered: readonly MetricModelTable[] | undefined;

/** Make `tables` the built-in models (replacing any earlier catalog). Ids of models and fixtures must be unique. */
export function registerModelCatalog(tables: readonly MetricModelTable[]): void {
  const seen = new Set<string>();
  for (const id of tables.flatMap((t) => [t.id, t.fixture.id])) {
    if (seen.has(id)) throw new GenbenchError('E_INPUT', `the metric model catalog names ${id} twice`, 'give every model and fixture its own id (src/metrics/<family>/)');
    seen.add(id);
  }
  registered = tables;
}

/** Whether a catalog has been registered. */
export function hasModelCatalog(): boolean {
  return registered !== undefined;
}

/** The registered built-in models; throws when the catalog was never loaded (a wiring error, not a user's). */
export function modelCatalog(): readonly MetricModelTable[] {
  if (!registered) {
    throw new Error('no metric model catalog is registered: load src/metrics/catalog.ts (it registers the built-in models) before using the model registry');
  }
  return registered;
}
