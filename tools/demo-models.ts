import { join } from 'node:path';
import { fetchModel, verifyModels } from '../src/runtime/models.ts';
import { listModelSpecs } from '../src/runtime/registry.ts';
import { buildFixtureModels } from './fixtures/build-fixtures.ts';

/**
 * Fixture models for the demo: built deterministically (random weights, the real input/output
 * signatures), fetched into the demo's model cache from the build folder (sha256 pinned in the
 * registry), then verified (rehash + signature check), exactly as real models are.
 */
export async function prepareDemoModels(root: string): Promise<string[]> {
  const dir = join(root, 'fixtures');
  const built = await buildFixtureModels(dir);
  const lines: string[] = [];
  for (const b of built) await fetchModel(b.id, { from: dir });
  const ids = listModelSpecs().filter((s) => s.status === 'fixture').map((s) => s.id);
  for (const v of await verifyModels(ids)) {
    const b = built.find((x) => x.id === v.id);
    lines.push(`${v.id.padEnd(24)} ${v.status}${b ? `  stands in for ${b.standsInFor}, ${b.bytes} bytes` : ''}`);
  }
  return lines;
}
