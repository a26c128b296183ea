/**
 * Smoke runs: a run containing any number scored with a random-weight fixture model is a smoke run,
 * whichever command scored what. The mark is decided from what the run directory stores, never from
 * the flags of the command that happens to run last:
 *   - a record marked `smoke` (written by scoreDimension when a fixture served one of its models);
 *   - a metric model in run.json marked `fixture`, or whose sha256 is a built-in fixture's (runs
 *     written before records carried the mark; run.json keeps every model a run ever used).
 * The built-in fixtures are those of the registered metric model catalog (model-catalog.ts; the
 * CLI always loads it). A process that never loaded the catalog knows no fixture by its sha256 and
 * relies on the marks alone.
 */
import { readLatestRecords } from '../core/records-store.ts';
import { hasModelCatalog } from './model-catalog.ts';
import { builtinModelSpecs } from './registry.ts';
import type { SampleRecord } from '../core/contracts.ts';
import { sha256Hex } from '../core/hash.ts';
import type { Provenance } from '../core/provenance.ts';

let fixtureHashes: { of: readonly unknown[]; map: Map<string, string> } | undefined;

/**
 * sha256 → fixture id for every built-in fixture: the graph's sha256 and, for a fixture with
 * companion files, the combined sha256 a loaded handle reports (runtime/models.ts combinedSha256:
 * sha256 over `name\tsha256` lines; tests/report/smoke.test.ts checks the two agree).
 */
export function fixtureModelHashes(): ReadonlyMap<string, string> {
  if (!hasModelCatalog()) return new Map();
  const specs = builtinModelSpecs();
  if (fixtureHashes?.of !== specs) {
    const map = new Map<string, string>();
    for (const s of specs) {
      if (s.status !== 'fixture') continue;
      const files = s.files.filter((f): f is typeof f & { sha256: string } => f.sha256 !== null);
      if (files.length === 0) continue;
      map.set(files[0]!.sha256, s.id);
      if (files.length > 1) map.set(sha256Hex(files.map((f) => `${f.name}\t${f.sha256}`).join('\n')), s.id);
    }
    fixtureHashes = { of: specs, map };
  }
  return fixtureHashes.map;
}

/**
 * Why a run is a smoke run (empty when it is not): one line per fixture model in its provenance
 * and per dimension with fixture-scored records.
 */
export function smokeReasons(o: { provenance?: Provenance | null; records?: Readonly<Record<string, readonly SampleRecord[]>>; smokeFlag?: boolean }): string[] {
  const out: string[] = [];
  const known = fixtureModelHashes();
  for (const [id, m] of Object.entries(o.provenance?.models ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const fixture = known.get(m.sha256);
    if (m.fixture === true || fixture) out.push(`model ${id} is ${fixture && fixture !== id ? `the fixture ${fixture}` : 'a fixture'} (random weights)`);
  }
  for (const [dim, recs] of Object.entries(o.records ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    const n = recs.filter((r) => r.smoke === true).length;
    if (n > 0) out.push(`${n} ${dim} record(s) scored with fixture models`);
  }
  if (out.length === 0 && o.smokeFlag) out.push('scores.json is marked smoke');
  return out;
}

/**
 * The `smoke` / `smokeReasons` fields of a run's scores.json: from run.json's models and the latest
 * records of `dimensions` (those given in `current`, the rest read from the run directory), or the
 * caller's own knowledge (`flag`, e.g. `--fixture-models` on a dimension with models).
 */
export function runSmokeReasons(
  run: { exists(): boolean; readProvenance(): Provenance; recordsPath(dimension: string): string },
  dimensions: readonly string[],
  current: Readonly<Record<string, readonly SampleRecord[]>>,
  flag?: boolean,
): { smoke: boolean; smokeReasons?: string[] } {
  const records: Record<string, readonly SampleRecord[]> = {};
  for (const d of dimensions) records[d] = current[d] ?? readLatestRecords(run.recordsPath(d)).records;
  const reasons = smokeReasons({ provenance: run.exists() ? run.readProvenance() : null, records });
  if (reasons.length === 0 && flag) reasons.push('scored with --fixture-models');
  return reasons.length > 0 ? { smoke: true, smokeReasons: reasons } : { smoke: false };
}
