/**
 * The operations behind `genbench models list|fetch|import|verify`, and `loadModel` for the
 * pipeline. Pure functions returning data (the CLI prints). Cache layout:
 * `modelsCacheDir()/<id>/<file>` with a `<file>.sha256` stamp once verified; user entries in
 * `modelsCacheDir()/registry.local.json`.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../core/atomic-file.ts';
import { GenbenchError } from '../core/errors.ts';
import { sha256File, sha256Hex } from '../core/hash.ts';
import { modelsCacheDir } from '../core/paths.ts';
import { checkFileSha256, downloadFile, ensureCached, readStamp, writeStamp } from '../core/download.ts';
import type { ModelHandle, ModelProvider } from './model-handle.ts';
import { buildFixtureModels } from './fixtures/build.ts';
import { DTYPES, checkModelId, type ModelFile, type ModelSpec, type TensorSpec } from './model-spec-schema.ts';
import { builtinModelSpecs, getModelSpec, listModelSpecs, saveLocalModelSpec, validateLocalModelSpec } from './registry.ts';
import { createSession, inspectModelFile, inspectSignature } from './session.ts';
import { checkSignature, type ModelSignature } from './signature.ts';
import type { Device } from '../core/contracts.ts';

/** Root of this checkout (to tell whether a recipe script exists yet). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Cache folder of one model: `modelsCacheDir()/<id>`. */
export function modelDir(id: string): string {
  return join(modelsCacheDir(), id);
}

/** Cache path of one of a model's files. */
export function modelFilePath(spec: ModelSpec, file: ModelFile = spec.files[0]): string {
  return join(modelDir(spec.id), file.name);
}

export interface ModelListing {
  id: string;
  family: string;
  status: ModelSpec['status'];
  description: string;
  license: string;
  /** Whether a URL exists for every file (`models fetch ID` can download it). */
  fetchable: boolean;
  /** Every file is present in the cache. */
  cached: boolean;
  /** Every cached file carries a valid verification stamp (no hashing done here). */
  verified: boolean;
  /** On-disk size when cached, else the registry's declared size, else null. */
  bytes: number | null;
  standsInFor?: string;
}

/** Every registry entry with its cache state (no hashing; cheap). */
export async function listModels(): Promise<ModelListing[]> {
  const out: ModelListing[] = [];
  for (const spec of listModelSpecs()) {
    let cached = true;
    let verified = true;
    let onDisk = 0;
    for (const f of spec.files) {
      const path = modelFilePath(spec, f);
      const st = await stat(path).catch(() => undefined);
      if (!st) {
        cached = false;
        verified = false;
        continue;
      }
      onDisk += st.size;
      if (f.sha256 === null || (await readStamp(path)) !== f.sha256) verified = false;
    }
    const declared = spec.files.every((f) => f.bytes !== undefined) ? spec.files.reduce((a, f) => a + (f.bytes ?? 0), 0) : null;
    out.push({
      id: spec.id,
      family: spec.family,
      status: spec.status,
      description: spec.description,
      license: spec.license,
      fetchable: spec.files.every((f) => f.url !== null && f.sha256 !== null),
      cached,
      verified,
      bytes: cached ? onDisk : declared,
      standsInFor: spec.standsInFor,
    });
  }
  return out;
}

/** Why a model cannot be fetched, with the registry's own instructions (and whether its recipe exists yet). */
function notFetchable(spec: ModelSpec, detail: string): GenbenchError {
  const recipe = spec.source.recipe;
  const recipeNote = recipe && !existsSync(join(PACKAGE_ROOT, recipe)) ? ` (${recipe} is not in this checkout yet)` : '';
  return new GenbenchError('E_NOT_FOUND', `model ${spec.id} cannot be fetched: ${detail}`, `${spec.message ?? 'import the file with `genbench models import`'}${recipeNote}`);
}

/** The built-in fixture whose graph has this sha256, if any. */
function fixtureWithSha256(sha256: string): ModelSpec | undefined {
  return builtinModelSpecs().find((s) => s.status === 'fixture' && s.files[0].sha256 === sha256);
}

/** A fixture's bytes registered under another id (a real model's, or a new one) would score as if real: refused. */
function refuseFixtureAs(id: string, sha256: string, subject: string): void {
  const fixture = fixtureWithSha256(sha256);
  if (fixture && fixture.id !== id) {
    throw new GenbenchError(
      'E_INPUT',
      `${subject} is the fixture model ${fixture.id} (random weights standing in for ${fixture.standsInFor}), not ${id}: its scores would be meaningless`,
      `for smoke runs pass --fixture-models to evaluate/bench (fixtures are built on first use); to score for real, export the official weights (${fixture.standsInFor})`,
    );
  }
}

export interface CachedFile {
  name: string;
  path: string;
  sha256: string;
  bytes: number;
}

export interface CachedModel {
  id: string;
  spec: ModelSpec;
  files: CachedFile[];
}

export interface FetchOptions {
  /** Take the files from this folder (by file name) instead of their URLs: offline use, fixture models. */
  from?: string;
  /** Progress per file: bytes so far and total when known. */
  onProgress?: (file: string, bytes: number, total: number | undefined) => void;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Make every file of model `id` present and verified in the cache (download with resume and
 * sha256 check, or copy from `from`). A file already cached and stamped is not touched.
 * Errors: E_NOT_FOUND (unknown id, nothing published, missing source), E_DOWNLOAD, E_CHECKSUM.
 */
export async function fetchModel(id: string, options: FetchOptions = {}): Promise<CachedModel> {
  const spec = getModelSpec(id);
  if (spec.files[0].sha256 !== null) refuseFixtureAs(id, spec.files[0].sha256, `the registered file of model ${id}`);
  const files: CachedFile[] = [];
  for (const f of spec.files) {
    if (f.sha256 === null) throw notFetchable(spec, `no ${f.name} has been published or imported`);
    const dest = modelFilePath(spec, f);
    const onProgress = options.onProgress ? (b: number, t: number | undefined) => options.onProgress!(f.name, b, t) : undefined;
    if (options.from !== undefined) {
      const source = join(resolve(options.from), f.name);
      const present = existsSync(dest) && (await checkFileSha256(dest, f.sha256)).ok;
      if (!present) {
        if (!existsSync(source)) throw new GenbenchError('E_NOT_FOUND', `model ${id}: ${f.name} is not in ${resolve(options.from)}`, spec.message ?? 'check the folder');
        await downloadFile({ url: source, dest, sha256: f.sha256, onProgress, signal: options.signal });
      }
    } else {
      if (f.url === null && !existsSync(dest)) throw notFetchable(spec, `${f.name} has no download URL (status ${spec.status})`);
      await ensureCached({ url: f.url, sha256: f.sha256, dest, onProgress, timeoutMs: options.timeoutMs, signal: options.signal });
    }
    files.push({ name: f.name, path: dest, sha256: f.sha256, bytes: (await stat(dest)).size });
  }
  return { id, spec, files };
}

export interface ImportOptions {
  /** Registry id to register the file under (a built-in export-required id, or a new one). */
  id: string;
  /** The local .onnx file (single file; external-data models are not supported by import). */
  file: string;
  description?: string;
  license?: string;
  family?: string;
  /** Where the weights came from (recorded as source.upstream). */
  upstream?: string;
  /** Companion files by registry file name (a tokenizer.json, …) → local path. */
  companions?: Readonly<Record<string, string>>;
}

export interface ImportedModel {
  spec: ModelSpec;
  path: string;
  sha256: string;
  signature: ModelSignature;
}

function asTensorSpecs(list: ModelSignature['inputs'], file: string): TensorSpec[] {
  return list.map((t) => {
    if (!(DTYPES as readonly string[]).includes(t.dtype)) {
      throw new GenbenchError('E_SIGNATURE', `${file}: ${t.name} has element type ${t.dtype}, which the registry cannot describe`, 'export the model with tensor inputs and outputs');
    }
    return { name: t.name, dtype: t.dtype as TensorSpec['dtype'], shape: [...t.shape] };
  });
}

/** The companion files of an import, hashed; a built-in entry's companions must all be given, and only those. */
async function companionFiles(o: ImportOptions, builtin: ModelSpec | undefined): Promise<{ name: string; path: string; sha256: string; bytes: number }[]> {
  const given = Object.entries(o.companions ?? {});
  if (builtin) {
    const wanted = builtin.files.slice(1).map((f) => f.name);
    const missing = wanted.filter((n) => !given.some(([g]) => g === n));
    const unknown = given.map(([g]) => g).filter((g) => !wanted.includes(g));
    if (missing.length > 0 || unknown.length > 0) {
      throw new GenbenchError(
        'E_USAGE',
        `model ${o.id} ${missing.length > 0 ? `needs ${missing.join(', ')} besides its ONNX file` : 'has no companion files'}${unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''}`,
        `pass ${wanted.length > 0 ? wanted.map((n) => `--with ${n}=PATH`).join(' ') : 'only the .onnx file'}${builtin.source.recipe ? ` (${builtin.source.recipe} writes them)` : ''}`,
      );
    }
  }
  const out = [];
  for (const [name, path] of given) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.endsWith('.onnx')) throw new GenbenchError('E_USAGE', `companion file name "${name}" must be a plain file name other than the graph`);
    const abs = resolve(path);
    if (!existsSync(abs)) throw new GenbenchError('E_NOT_FOUND', `file not found: ${abs} (for ${name})`);
    out.push({ name, path: abs, sha256: await sha256File(abs), bytes: (await stat(abs)).size });
  }
  return out;
}

/**
 * Register a local ONNX file under `id`: inspect its signature, copy it into the cache, record its
 * sha256 (and, for a new id, its signature) in registry.local.json. Importing under a built-in
 * export-required id checks the file against that entry's contract (E_SIGNATURE naming both);
 * under a built-in fixture/available id the file must have the pinned sha256 (E_CHECKSUM).
 */
export async function importModel(o: ImportOptions): Promise<ImportedModel> {
  // Everything is checked before anything is written: the id names a cache folder.
  checkModelId(o.id);
  const file = resolve(o.file);
  if (!existsSync(file)) throw new GenbenchError('E_NOT_FOUND', `file not found: ${file}`);
  const signature = await inspectModelFile(file);
  const sha256 = await sha256File(file);
  refuseFixtureAs(o.id, sha256, file);
  const bytes = (await stat(file)).size;
  const builtin = builtinModelSpecs().find((s) => s.id === o.id);
  const companions = await companionFiles(o, builtin);

  let spec: ModelSpec;
  if (builtin && builtin.status !== 'export-required') {
    const pinned = builtin.files[0].sha256;
    const companionMismatch = companions.find((c) => builtin.files.find((f) => f.name === c.name)?.sha256 !== c.sha256);
    if (pinned !== sha256 || companionMismatch) {
      throw new GenbenchError(
        'E_CHECKSUM',
        companionMismatch && pinned === sha256
          ? `built-in model ${o.id} pins another sha256 for ${companionMismatch.name} than ${companionMismatch.path} has (${companionMismatch.sha256})`
          : `built-in model ${o.id} pins sha256 ${pinned}, but ${file} has ${sha256}`,
        'import the file under a new id instead (genbench models import NEW_ID FILE)',
      );
    }
    checkSignature(signature, builtin, { subject: `${file} (for model ${o.id})` });
    spec = builtin;
  } else if (builtin) {
    checkSignature(signature, builtin, { subject: `${file} (for model ${o.id})`, hint: `export it with the signature the registry declares for ${o.id}${builtin.source.recipe ? ` (${builtin.source.recipe})` : ''}, or import it under a new id` });
    spec = {
      ...builtin,
      status: 'imported',
      files: [{ name: builtin.files[0].name, url: null, sha256, bytes }, ...companions.map((c) => ({ name: c.name, url: null, sha256: c.sha256, bytes: c.bytes }))],
      source: { upstream: o.upstream ?? `imported from ${file}`, recipe: builtin.source.recipe },
      message: `${o.id} was imported from a local file: import it again if the cached copy is lost`,
      ...(o.description ? { description: o.description } : {}),
      ...(o.license ? { license: o.license } : {}),
    };
  } else {
    spec = {
      id: o.id,
      description: o.description ?? `imported from ${file}`,
      family: o.family ?? 'user',
      status: 'imported',
      files: [{ name: `${o.id}.onnx`, url: null, sha256, bytes }, ...companions.map((c) => ({ name: c.name, url: null, sha256: c.sha256, bytes: c.bytes }))],
      inputs: asTensorSpecs(signature.inputs, file),
      outputs: asTensorSpecs(signature.outputs, file),
      preprocess: {},
      source: { upstream: o.upstream ?? `imported from ${file}` },
      license: o.license ?? 'unknown',
      message: `${o.id} was imported from a local file: import it again if the cached copy is lost`,
    };
  }
  if (spec.status === 'imported') spec = validateLocalModelSpec(spec);
  const path = modelFilePath(spec);
  await downloadFile({ url: file, dest: path, sha256 });
  for (const c of companions) await downloadFile({ url: c.path, dest: modelFilePath(spec, spec.files.find((f) => f.name === c.name)!), sha256: c.sha256 });
  if (spec.status === 'imported') saveLocalModelSpec(spec);
  return { spec, path, sha256, signature };
}

export interface VerifiedModel {
  id: string;
  files: CachedFile[];
  signature: ModelSignature;
}

/**
 * Rehash every cached file of `id` against the registry (ignoring stamps) and check the ONNX
 * signature against the registry's contract. Errors: E_NOT_FOUND (not cached), E_CHECKSUM
 * (naming expected and actual hashes), E_SIGNATURE (naming both signatures), E_INPUT (not ONNX).
 */
export async function verifyModel(id: string): Promise<VerifiedModel> {
  const spec = getModelSpec(id);
  const files: CachedFile[] = [];
  for (const f of spec.files) {
    if (f.sha256 === null) throw notFetchable(spec, `no ${f.name} has been published or imported`);
    const path = modelFilePath(spec, f);
    if (!existsSync(path)) throw new GenbenchError('E_NOT_FOUND', `model ${id} is not cached (${path} missing)`, `run \`genbench models fetch ${id}\``);
    const check = await checkFileSha256(path, f.sha256, { rehash: true });
    if (!check.ok) {
      throw new GenbenchError('E_CHECKSUM', `sha256 mismatch for ${path} (model ${id}): expected ${f.sha256}, got ${check.sha256}`, `delete ${path} and run \`genbench models fetch ${id}\` (or import the right file again)`);
    }
    files.push({ name: f.name, path, sha256: check.sha256, bytes: (await stat(path)).size });
  }
  const signature = await inspectModelFile(files[0].path);
  checkSignature(signature, spec, { subject: `model ${id} (${files[0].path})` });
  return { id, files, signature };
}

export type VerifyOutcome =
  | { id: string; status: 'ok'; result: VerifiedModel }
  | { id: string; status: 'not-cached' }
  /** Installed once (imported, or its cache folder has files: a stamp, a copy moved aside as .bad) but its file is gone. */
  | { id: string; status: 'missing'; error: { code: string; message: string; hint?: string } }
  | { id: string; status: 'failed'; error: { code: string; message: string; hint?: string } };

/** Why a model counts as installed though its graph file is absent (null: it was never installed). */
function installedButMissing(spec: ModelSpec): string | null {
  const path = modelFilePath(spec);
  const dir = modelDir(spec.id);
  const left = (existsSync(dir) ? readdirSync(dir) : []).filter((n) => !n.endsWith('.part'));
  const bad = left.find((n) => n.endsWith('.bad'));
  if (bad) return `${path} is missing; a copy that failed its sha256 check was moved aside to ${join(dir, bad)}`;
  if (left.length > 0) return `${path} is missing (the model's cache folder still holds ${left.slice(0, 3).join(', ')})`;
  if (spec.status === 'imported') return `${path} is missing (the model was imported: registry.local.json lists it)`;
  return null;
}

/**
 * verifyModel over `ids` (default: every model that is installed: its file in the cache, or
 * registered/left traces in the cache while its file is gone, which counts as `missing`); never
 * throws for one model's failure.
 */
export async function verifyModels(ids?: string[]): Promise<VerifyOutcome[]> {
  const specs = ids ? ids.map((id) => getModelSpec(id)) : listModelSpecs();
  const out: VerifyOutcome[] = [];
  for (const spec of specs) {
    if (!existsSync(modelFilePath(spec))) {
      const why = installedButMissing(spec);
      if (why) out.push({ id: spec.id, status: 'missing', error: { code: 'E_NOT_FOUND', message: why, hint: spec.status === 'imported' ? `import it again: genbench models import ${spec.id} FILE` : spec.status === 'fixture' ? 'evaluate with --fixture-models rebuilds it' : `genbench models fetch ${spec.id}` } });
      else if (ids) out.push({ id: spec.id, status: 'not-cached' });
      continue;
    }
    try {
      out.push({ id: spec.id, status: 'ok', result: await verifyModel(spec.id) });
    } catch (e) {
      if (!(e instanceof GenbenchError)) throw e;
      out.push({ id: spec.id, status: 'failed', error: { code: e.code, message: e.message, hint: e.hint } });
    }
  }
  return out;
}

export interface LoadOptions extends FetchOptions {
  device?: Device;
  threads?: number;
}

/** A model ready for inference: the suites' ModelHandle plus its registry entry. */
export interface LoadedModel extends ModelHandle {
  spec: ModelSpec;
  path: string;
  signature: ModelSignature;
}

/**
 * Ensure `id` is cached and verified (fetching it if needed; stamps avoid rehashing), open its
 * session on `device` (reused across calls) and check the session's signature against the
 * registry. Errors as fetchModel, plus E_PROVIDER and E_SIGNATURE.
 */
export async function loadModel(id: string, options: LoadOptions = {}): Promise<LoadedModel> {
  const cached = await fetchModel(id, options);
  const main = cached.files[0];
  const session = await createSession(main.path, { device: options.device, threads: options.threads });
  const signature = inspectSignature(session);
  checkSignature(signature, cached.spec, { subject: `model ${id} (${main.path})` });
  const files = Object.fromEntries(cached.files.map((f) => [f.name, f.path]));
  return { id, sha256: combinedSha256(cached.files), session, spec: cached.spec, path: main.path, signature, files };
}

/** The graph's sha256, or, for a model with companion files, a sha256 over every file's name and sha256 (a changed tokenizer changes it). */
export function combinedSha256(files: readonly { name: string; sha256: string }[]): string {
  if (files.length === 1) return files[0]!.sha256;
  return sha256Hex(files.map((f) => `${f.name}\t${f.sha256}`).join('\n'));
}

export interface ProviderOptions extends LoadOptions {
  /** Serve each requested metric model by its fixture (smoke runs, the demo); the handle's id is the fixture's. */
  useFixtures?: boolean;
  /** Where the one line saying that fixtures were built goes (default: stderr). */
  onNote?: (line: string) => void;
}

/** Whether every file of `spec` is in the cache with its pinned sha256 (stamps avoid rehashing). */
async function cachedAndVerified(spec: ModelSpec): Promise<boolean> {
  for (const f of spec.files) {
    const path = modelFilePath(spec, f);
    if (f.sha256 === null || !existsSync(path) || !(await checkFileSha256(path, f.sha256)).ok) return false;
  }
  return true;
}

/**
 * Make every fixture model present and verified in the cache: those missing (or damaged) are
 * built (deterministic bytes, pinned sha256) and imported as `models fetch ID --from DIR` would.
 * Returns the ids built; `onNote` gets one line when any was.
 */
export async function ensureFixtureModels(onNote: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<string[]> {
  const missing: ModelSpec[] = [];
  for (const spec of builtinModelSpecs().filter((s) => s.status === 'fixture')) if (!(await cachedAndVerified(spec))) missing.push(spec);
  if (missing.length === 0) return [];
  mkdirSync(modelsCacheDir(), { recursive: true });
  const dir = mkdtempSync(join(modelsCacheDir(), '.fixture-build-'));
  try {
    buildFixtureModels(dir);
    // Each file renamed into place from a private temp name: concurrent first runs (shards on
    // one machine) each write whole, identical files.
    for (const spec of missing) {
      for (const f of spec.files) {
        const bytes = readFileSync(join(dir, f.name));
        const actual = sha256Hex(bytes);
        if (actual !== f.sha256) throw new GenbenchError('E_CHECKSUM', `the fixture builder made ${f.name} with sha256 ${actual}, the registry pins ${f.sha256}`, 'the fixture builder and the pinned sha256 (the fixture table in src/metrics/<family>/) disagree: report it');
        const dest = modelFilePath(spec, f);
        writeFileAtomic(dest, bytes);
        await writeStamp(dest, actual);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ids = missing.map((s) => s.id);
  onNote(`fixture models: built and imported ${ids.length} (${ids.join(', ')}) into ${modelsCacheDir()}; random weights, for smoke runs only`);
  return ids;
}

/** The fixture that stands in for `id` (E_NOT_FOUND when there is none). */
export function fixtureFor(id: string): ModelSpec {
  const fixture = listModelSpecs().find((s) => s.status === 'fixture' && s.standsInFor === id);
  if (!fixture) throw new GenbenchError('E_NOT_FOUND', `no fixture model stands in for ${id}`);
  return fixture;
}

/** A ModelProvider for DimensionContext: loads each model once (loadModel) and hands out the same handle after. */
export function modelProvider(options: ProviderOptions = {}): ModelProvider {
  const loaded = new Map<string, Promise<LoadedModel>>();
  // Built once per provider, on the first fixture asked for (concurrent gets share it).
  let fixtures: Promise<string[]> | undefined;
  const ensureFixtures = (): Promise<string[]> => {
    fixtures ??= ensureFixtureModels(options.onNote);
    fixtures.catch(() => { fixtures = undefined; });
    return fixtures;
  };
  return {
    get(id: string): Promise<ModelHandle> {
      const target = options.useFixtures && getModelSpec(id).status !== 'fixture' ? fixtureFor(id).id : id;
      let p = loaded.get(target);
      if (!p) {
        p = options.useFixtures && getModelSpec(target).status === 'fixture' ? ensureFixtures().then(() => loadModel(target, options)) : loadModel(target, options);
        loaded.set(target, p);
        p.catch(() => loaded.delete(target));
      }
      return p;
    },
  };
}
