/**
 * Model contract checks, for every model the registry knows (built-in and imported):
 *  - fixture models are built here from their recipes and must have the pinned sha256 and the
 *    signature of the model they stand in for (a cached copy is verified too);
 *  - every other model found in the cache is rehashed against the registry and its ONNX
 *    signature checked against the contract (models.ts verifyModel);
 *  - models that are not installed are listed as skipped.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenbenchError } from '../core/errors.ts';
import { sha256File, sha256Hex } from '../core/hash.ts';
import { METRIC_MODELS } from '../metrics/catalog.ts';
import { buildFixtureModel, fixtureRecipes } from '../runtime/fixtures/build.ts';
import { modelFilePath, verifyModel } from '../runtime/models.ts';
import { listModelSpecs } from '../runtime/registry.ts';
import { type ModelSpec } from '../runtime/model-spec-schema.ts';
import { inspectModelFile } from '../runtime/session.ts';
import { checkSignature } from '../runtime/signature.ts';
import { failed, ok, skipped, threw, type CheckResult } from './result.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const short = (sha: string) => `${sha.slice(0, 12)}…`;

async function checkFixture(spec: ModelSpec, dir: string): Promise<CheckResult> {
  const name = spec.id;
  const recipe = fixtureRecipes(METRIC_MODELS).find((r) => r.id === spec.id);
  if (!recipe) return failed('model', name, `no recipe builds fixture ${spec.id}`);
  const bytes = buildFixtureModel(recipe);
  const sha = sha256Hex(bytes);
  const pinned = spec.files[0].sha256!;
  if (sha !== pinned) {
    return failed('model', name, `built ${bytes.length} bytes with sha256 ${short(sha)}, the registry pins ${short(pinned)}`, {
      error: { code: 'E_CHECKSUM', message: `fixture ${spec.id} built with sha256 ${sha}, expected ${pinned}`, hint: 'the fixture builder or the ONNX serializer changed: update the pins (the fixture tables in src/metrics/<family>/spec.ts) only if that change was meant' },
    });
  }
  for (const [file, source] of Object.entries(recipe.companions ?? {})) {
    const want = spec.files.find((f) => f.name === file)?.sha256;
    const from = join(REPO_ROOT, source);
    if (!existsSync(from)) return failed('model', name, `companion ${file} (${source}) is not in this installation`);
    const got = await sha256File(from);
    if (got !== want) return failed('model', name, `companion ${file} (${source}) has sha256 ${short(got)}, the registry pins ${short(want ?? '(none)')}`);
  }
  const path = join(dir, `${spec.id}.onnx`);
  await writeFile(path, bytes);
  checkSignature(await inspectModelFile(path), spec, { subject: `fixture ${spec.id} as built` });
  let cached = 'not in the cache';
  if (existsSync(modelFilePath(spec))) {
    await verifyModel(spec.id);
    cached = 'cached copy verified';
  }
  return ok('model', name, `built, sha256 ${short(sha)} as pinned, signature of ${spec.standsInFor ?? 'its contract'}; ${cached}`);
}

async function checkInstalled(spec: ModelSpec, fixturePins: Map<string, string>): Promise<CheckResult> {
  const v = await verifyModel(spec.id);
  const lookalike = v.files.map((f) => fixturePins.get(f.sha256)).find((id) => id !== undefined);
  if (lookalike) {
    throw new GenbenchError('E_CHECKSUM', `model ${spec.id} holds the bytes of fixture ${lookalike} (random weights): its scores would be meaningless`, `import the real model under ${spec.id} (genbench models import ${spec.id} FILE.onnx), or use --fixture-models for a smoke run`);
  }
  const mb = v.files.reduce((a, f) => a + f.bytes, 0) / 1024 ** 2;
  return ok('model', spec.id, `${v.files.length} file(s), ${mb.toFixed(1)} MiB, sha256 ${short(v.files[0]!.sha256)} verified, signature matches the contract (${spec.status})`);
}

export async function checkModels(): Promise<CheckResult[]> {
  let specs: ModelSpec[];
  try {
    specs = listModelSpecs();
  } catch (e) {
    return [threw('model', 'model registry', e)];
  }
  const fixturePins = new Map(specs.filter((s) => s.status === 'fixture').map((s) => [s.files[0].sha256!, s.id] as const));
  const results: CheckResult[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'genbench-selftest-models-'));
  try {
    for (const spec of specs) {
      try {
        if (spec.status === 'fixture') results.push(await checkFixture(spec, dir));
        else if (existsSync(modelFilePath(spec))) results.push(await checkInstalled(spec, fixturePins));
        else results.push(skipped('model', spec.id, 'not installed (skipped)'));
      } catch (e) {
        results.push(threw('model', spec.id, e));
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}
