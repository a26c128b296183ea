/**
 * A NOVA checkpoint on disk, in the Hugging Face folder layout (model_index.json, transformer/,
 * vae/, text_encoder/, tokenizer/, scheduler/), with the sha256 of every file genbench reads:
 *
 * - `fetchCheckpoint`: a released checkpoint by id, downloaded at its pinned (or an explicit)
 *   revision into `<GENBENCH_HOME>/nova/<owner>+<name>/<revision>/`. The repository listing at
 *   that revision (the Hub's tree API) resolves `*` patterns and gives each file's expected hash:
 *   the LFS sha256 for weights, the git blob sha1 for small files; a sha256 pinned in the
 *   catalogue (checkpoints.ts) must agree with it. Downloads resume from `<file>.part`
 *   (core/download.ts); a file whose bytes differ from the listing is moved aside and named. A
 *   completed fetch writes `genbench-checkpoint.json`, so later runs work offline.
 * - `localCheckpoint`: a folder the user already has (`--checkpoint-dir`), e.g. a `git clone` of
 *   the repository or the fixture made by tools/fixtures/nova-checkpoint.ts. Its files are hashed
 *   (once: results are stamped next to them while size and mtime are unchanged).
 *
 * `describeCheckpointDir` reads the folder's small config files to say what it is (task, size,
 * scheduler, VAE), refusing unsupported fields by name before anything heavy happens.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { checkFileSha256, downloadFile, readStamp, writeStamp, type ProgressCallback } from '../../core/download.ts';
import { GenbenchError, isGenbenchError } from '../../core/errors.ts';
import { sha256File } from '../../core/hash.ts';
import { writeJsonAtomic } from '../../core/json-file.ts';
import { genbenchHome } from '../../core/paths.ts';
import { type NovaCheckpoint, type NovaCheckpointFile, findCheckpoint } from './checkpoints.ts';
import { parsePhiConfig, parseTransformerConfig, parseVaeConfig, readJsonConfig } from './config.ts';
import { parseSchedulerConfig } from './sampler/schedulers/scheduler-config.ts';

/** A checkpoint folder ready to be opened, and what identifies it. */
export interface ResolvedCheckpoint {
  checkpoint: NovaCheckpoint;
  /** Full commit for a fetched checkpoint; `local` for a user's folder. */
  revision: string;
  source: 'hub' | 'local';
  dir: string;
  /** Relative path → sha256 of every file genbench reads. */
  files: Record<string, string>;
}

/** Files a checkpoint folder must hold (the text-encoder weights may be one file or shards + index). */
const REQUIRED = ['model_index.json', 'transformer/config.json', 'vae/config.json', 'text_encoder/config.json', 'tokenizer/tokenizer.json', 'scheduler/scheduler_config.json'];

/** The weight files of a folder's component: an index + its shards, or the single file. */
function weightFiles(dir: string, folder: string, stem: string): string[] {
  const abs = join(dir, folder);
  const names = existsSync(abs) ? readdirSync(abs) : [];
  const index = [`${stem}.safetensors.index.json`, 'model.safetensors.index.json'].find((n) => names.includes(n));
  if (index) {
    const map = (JSON.parse(readFileSync(join(abs, index), 'utf8')) as { weight_map?: Record<string, string> }).weight_map ?? {};
    return [`${folder}/${index}`, ...[...new Set(Object.values(map))].sort().map((f) => `${folder}/${f}`)];
  }
  const single = [`${stem}.safetensors`, 'model.safetensors'].find((n) => names.includes(n));
  if (!single) throw new GenbenchError('E_NOT_FOUND', `no safetensors weights in ${abs}`, 'the checkpoint folder is incomplete: fetch it again or point --checkpoint-dir at a full copy');
  return [`${folder}/${single}`];
}

/** Every file genbench reads from a checkpoint folder, relative to it. */
export function checkpointFiles(dir: string): string[] {
  const missing = REQUIRED.filter((f) => !existsSync(join(dir, f)));
  if (missing.length) {
    throw new GenbenchError('E_NOT_FOUND', `${dir} is not a complete NOVA checkpoint folder: missing ${missing.join(', ')}`, 'point --checkpoint-dir at a folder in the Hugging Face layout (model_index.json, transformer/, vae/, text_encoder/, tokenizer/, scheduler/)');
  }
  const files = [...REQUIRED, ...weightFiles(dir, 'transformer', 'diffusion_pytorch_model'), ...weightFiles(dir, 'vae', 'diffusion_pytorch_model'), ...weightFiles(dir, 'text_encoder', 'model')];
  if (existsSync(join(dir, 'tokenizer/tokenizer_config.json'))) files.push('tokenizer/tokenizer_config.json');
  return files.sort();
}

/**
 * What a checkpoint folder is, from its configs (all parsed and validated here: an unsupported
 * field fails now, by name). `base` is the catalogue entry the folder is a copy of, when known:
 * its id and repository are kept, and the folder must agree with its task.
 */
export function describeCheckpointDir(dir: string, base?: NovaCheckpoint): NovaCheckpoint {
  checkpointFiles(dir);
  return describeConfigs(dir, base);
}

/** describeCheckpointDir from the config files alone (the weights may still be downloading). */
export function describeConfigs(dir: string, base?: NovaCheckpoint): NovaCheckpoint {
  const tPath = join(dir, 'transformer/config.json');
  const traw = readJsonConfig(tPath);
  const t = parseTransformerConfig(traw, tPath);
  const vPath = join(dir, 'vae/config.json');
  const vae = parseVaeConfig(readJsonConfig(vPath), vPath);
  const pPath = join(dir, 'text_encoder/config.json');
  const phi = parsePhiConfig(readJsonConfig(pPath), pPath);
  const sPath = join(dir, 'scheduler/scheduler_config.json');
  const sched = parseSchedulerConfig(readJsonConfig(sPath), sPath);
  if (phi.hiddenSize !== t.textTokenDim) throw new GenbenchError('E_INPUT', `${pPath}: hidden_size ${phi.hiddenSize} differs from the transformer's text_token_dim ${t.textTokenDim}`, 'the components come from different checkpoints');
  if (vae.latentChannels !== t.imageDim) throw new GenbenchError('E_INPUT', `${vPath}: ${vae.latentChannels} latent channels, the transformer has image_dim ${t.imageDim}`, 'the components come from different checkpoints');
  const task = t.motion ? 't2v' : 't2i';
  if (task === 't2v' && vae.kind !== 'AutoencoderKLOpenSora') throw new GenbenchError('E_INPUT', `${vPath}: a video transformer needs the Open-Sora-Plan video VAE, found ${vae.kind}`, 'the components come from different checkpoints');
  if (base && base.task !== task) throw new GenbenchError('E_INPUT', `${dir} holds a ${task} checkpoint but ${base.id} is ${base.task}`, `drop --model or pass the id of the checkpoint this folder holds`);
  const size = traw.image_size;
  const [height, width] = Array.isArray(size) ? (size as number[]) : [size as number, size as number];
  const files: NovaCheckpointFile[] = [];
  return {
    id: base?.id ?? 'local',
    aliases: [],
    repo: base?.repo ?? `local:${resolve(dir)}`,
    revision: base?.revision ?? null,
    task,
    height: height!,
    width: width!,
    scheduler: sched._class_name === 'DDPMScheduler' ? 'ddpm' : 'flow-match-euler',
    schedulerVerified: true,
    vae: vae.kind,
    benchmark: task === 't2v' ? 'vbench' : 'geneval',
    reported: base?.reported ?? 'none (local checkpoint)',
    files: base?.files ?? files,
  };
}

/** sha256 of a file, hashing it only when no valid stamp says what it is. */
async function stampedSha256(path: string): Promise<string> {
  const stamped = await readStamp(path);
  if (stamped) return stamped;
  const h = await sha256File(path);
  try {
    await writeStamp(path, h);
  } catch {
    // A read-only checkpoint folder: hash again next time.
  }
  return h;
}

/** A checkpoint folder the user has: described, and every file hashed. `model` names the catalogue entry it copies (optional). */
export async function localCheckpoint(dir: string, model?: string): Promise<ResolvedCheckpoint> {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new GenbenchError('E_NOT_FOUND', `checkpoint folder not found: ${abs}`, 'pass --checkpoint-dir a folder in the Hugging Face layout');
  const base = model ? findCheckpoint(model) : undefined;
  const checkpoint = describeCheckpointDir(abs, base);
  const files: Record<string, string> = {};
  for (const f of checkpointFiles(abs)) files[f] = await stampedSha256(join(abs, f));
  for (const pinned of base?.files ?? []) {
    if (pinned.sha256 && !pinned.path.includes('*') && files[pinned.path] && files[pinned.path] !== pinned.sha256) {
      throw new GenbenchError('E_CHECKSUM', `${join(abs, pinned.path)} has sha256 ${files[pinned.path]}, ${base!.id} pins ${pinned.sha256}`, 'the folder is not the released checkpoint: fetch it again, or drop --model to run it as a local checkpoint');
    }
  }
  return { checkpoint, revision: 'local', source: 'local', dir: abs, files };
}

// ------------------------------------------------------------------ Hub downloads

/** One file of the Hub's tree listing. */
interface TreeEntry {
  type: 'file' | 'directory';
  path: string;
  size?: number;
  /** git blob sha1 */
  oid?: string;
  lfs?: { oid: string; size: number };
}

export interface FetchOptions {
  /** Hub endpoint (default: HF_ENDPOINT or https://huggingface.co). */
  endpoint?: string;
  /** Cache root (default: <GENBENCH_HOME>/nova). */
  cacheDir?: string;
  onFile?: (path: string, state: 'cached' | 'download' | 'resume') => void;
  onProgress?: (path: string) => ProgressCallback;
  timeoutMs?: number;
  signal?: AbortSignal;
}

const MANIFEST = 'genbench-checkpoint.json';

export function hubEndpoint(explicit?: string): string {
  return (explicit ?? process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/+$/, '');
}

/** Where a checkpoint revision is cached. */
export function checkpointCacheDir(c: NovaCheckpoint, revision: string, cacheDir = join(genbenchHome(), 'nova')): string {
  return join(cacheDir, c.repo.replace('/', '+'), revision);
}

const fileUrl = (endpoint: string, repo: string, revision: string, path: string): string =>
  `${endpoint}/${repo}/resolve/${revision}/${path.split('/').map(encodeURIComponent).join('/')}`;

async function listRepository(endpoint: string, c: NovaCheckpoint, revision: string, timeoutMs: number, signal?: AbortSignal): Promise<TreeEntry[]> {
  const url = `${endpoint}/api/models/${c.repo}/tree/${revision}?recursive=true`;
  let res: Response;
  try {
    res = await fetch(url, { signal: signal ?? AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new GenbenchError('E_DOWNLOAD', `cannot list ${c.repo} at ${revision}: ${(e as Error).message}`, 'check the network (or HF_ENDPOINT); offline, pass --checkpoint-dir DIR holding the checkpoint');
  }
  if (!res.ok) {
    throw new GenbenchError('E_DOWNLOAD', `listing ${c.repo} at ${revision} failed: HTTP ${res.status}`, res.status === 404 ? `is ${revision} a commit of ${c.repo}? (gated repositories need HF_TOKEN-free access; offline use --checkpoint-dir)` : 'try again later');
  }
  const body = (await res.json()) as unknown;
  if (!Array.isArray(body)) throw new GenbenchError('E_DOWNLOAD', `the listing of ${c.repo} is not a JSON array`, 'check HF_ENDPOINT');
  return body as TreeEntry[];
}

/**
 * The commit a repository's main branch points to now (the Hub's `api/models/{repo}/revision/main`,
 * whose `sha` is the full commit). Used once per output folder, at first download: the commit is
 * then recorded and kept. Offline, a single complete cached revision is used instead (said in
 * `note`); several are refused, listing them.
 */
export async function resolveMainRevision(c: NovaCheckpoint, opts: Pick<FetchOptions, 'endpoint' | 'cacheDir' | 'timeoutMs' | 'signal'> = {}): Promise<{ revision: string; note: string }> {
  const endpoint = hubEndpoint(opts.endpoint);
  const url = `${endpoint}/api/models/${c.repo}/revision/main`;
  let failure: string;
  try {
    const res = await fetch(url, { signal: opts.signal ?? AbortSignal.timeout(opts.timeoutMs ?? 30_000) });
    if (res.ok) {
      const body = (await res.json().catch(() => null)) as { sha?: unknown } | null;
      const sha = body && typeof body.sha === 'string' ? body.sha : null;
      if (sha && /^[0-9a-f]{40}$/.test(sha)) return { revision: sha, note: `${c.id}: ${c.repo} main is at commit ${sha} (recorded with the samples; pass --revision ${sha} to pin it elsewhere)` };
      throw new GenbenchError('E_DOWNLOAD', `${url} did not give a 40-hex commit (sha: ${JSON.stringify(body?.sha ?? null)})`, 'check HF_ENDPOINT, or pass --revision COMMIT');
    }
    failure = `HTTP ${res.status}`;
  } catch (e) {
    if (e instanceof GenbenchError) throw e;
    failure = (e as Error).message;
  }
  const cached = cachedRevisions(c, opts.cacheDir);
  if (cached.length === 1) return { revision: cached[0]!, note: `${c.id}: cannot reach ${endpoint} (${failure}); using the one cached revision ${cached[0]}` };
  throw new GenbenchError(
    'E_DOWNLOAD',
    `cannot resolve the current revision of ${c.repo} (${url}: ${failure})`,
    cached.length > 1
      ? `pass --revision with one of the cached revisions: ${cached.join(', ')}`
      : 'check the network (or HF_ENDPOINT), or pass --revision COMMIT; offline, pass --checkpoint-dir DIR holding the checkpoint',
  );
}

/** Revisions of `c` completely downloaded into the cache (their manifest written). */
export function cachedRevisions(c: NovaCheckpoint, cacheDir = join(genbenchHome(), 'nova')): string[] {
  const dir = join(cacheDir, c.repo.replace('/', '+'));
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((r) => /^[0-9a-f]{40}$/.test(r) && existsSync(join(dir, r, MANIFEST))).sort();
}

const globToRegExp = (pattern: string): RegExp => new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);

/** The files to fetch (patterns resolved; sharded text-encoder indexes included) with their expected hashes. */
export function planDownload(c: NovaCheckpoint, listing: readonly TreeEntry[]): { path: string; sha256: string | null; sha1: string | null; size: number | null }[] {
  const files = listing.filter((e) => e.type === 'file');
  const byPath = new Map(files.map((e) => [e.path, e]));
  const wanted: { entry: TreeEntry; pinned: string | null }[] = [];
  for (const f of c.files) {
    if (!f.path.includes('*')) {
      const e = byPath.get(f.path);
      if (!e) throw new GenbenchError('E_DOWNLOAD', `${c.repo} has no ${f.path} at this revision`, 'check the revision; genbench needs the Hugging Face layout of the released NOVA checkpoints');
      wanted.push({ entry: e, pinned: f.sha256 });
      continue;
    }
    const re = globToRegExp(f.path);
    const index = globToRegExp(`${f.path}.index.json`);
    const matches = files.filter((e) => re.test(e.path) || index.test(e.path));
    if (!matches.some((e) => re.test(e.path))) throw new GenbenchError('E_DOWNLOAD', `${c.repo} has no file matching ${f.path} at this revision`, 'check the revision');
    for (const e of matches) wanted.push({ entry: e, pinned: null });
  }
  return wanted.map(({ entry, pinned }) => {
    const listed = entry.lfs?.oid ?? null;
    if (pinned && listed && pinned !== listed) throw new GenbenchError('E_CHECKSUM', `${c.repo}/${entry.path}: the repository lists sha256 ${listed}, genbench pins ${pinned}`, 'the published file changed: check the revision');
    return { path: entry.path, sha256: pinned ?? listed, sha1: entry.lfs ? null : (entry.oid ?? null), size: entry.lfs?.size ?? entry.size ?? null };
  });
}

/** git's blob id of a small file. */
function gitBlobSha1(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/**
 * Download a released checkpoint (by id or alias) at its pinned revision, or `revision` (a full
 * commit; required while the catalogue has none pinned). Resumes interrupted downloads; verifies
 * every file; reuses a complete cached copy without touching the network.
 */
export async function fetchCheckpoint(c: NovaCheckpoint, revision: string, opts: FetchOptions = {}): Promise<ResolvedCheckpoint> {
  const dir = checkpointCacheDir(c, revision, opts.cacheDir);
  const manifestPath = join(dir, MANIFEST);
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as { repo: string; revision: string; files: Record<string, string> };
    let ok = m.repo === c.repo && m.revision === revision;
    for (const [p, h] of Object.entries(m.files)) {
      if (!ok) break;
      ok = existsSync(join(dir, p)) && (await checkFileSha256(join(dir, p), h)).ok;
    }
    if (ok) {
      for (const p of Object.keys(m.files)) opts.onFile?.(p, 'cached');
      return { checkpoint: describeCheckpointDir(dir, c), revision, source: 'hub', dir, files: m.files };
    }
  }
  const endpoint = hubEndpoint(opts.endpoint);
  const plan = planDownload(c, await listRepository(endpoint, c, revision, opts.timeoutMs ?? 30_000, opts.signal));
  const files: Record<string, string> = {};
  // Small files (configs, tokenizer) first: an unsupported config fails before gigabytes arrive.
  const small = (f: { path: string; sha1: string | null }) => f.sha1 !== null || f.path.endsWith('.json');
  let described = false;
  for (const f of [...plan.filter(small), ...plan.filter((f) => !small(f))]) {
    if (!described && !small(f)) {
      describeConfigs(dir, c);
      described = true;
    }
    const dest = join(dir, f.path);
    if (f.sha256 && existsSync(dest) && (await checkFileSha256(dest, f.sha256)).ok) {
      opts.onFile?.(f.path, 'cached');
      files[f.path] = f.sha256;
      continue;
    }
    opts.onFile?.(f.path, existsSync(`${dest}.part`) ? 'resume' : 'download');
    let got: string;
    try {
      got = (await downloadFile({ url: fileUrl(endpoint, c.repo, revision, f.path), dest, sha256: f.sha256 ?? undefined, onProgress: opts.onProgress?.(f.path), timeoutMs: opts.timeoutMs, signal: opts.signal })).sha256;
    } catch (e) {
      if (isGenbenchError(e, 'E_CHECKSUM')) {
        throw new GenbenchError('E_CHECKSUM', `${c.repo}/${f.path} at ${revision}: downloaded bytes do not match the expected sha256 ${f.sha256}`, `the download was moved aside to ${dest}.bad; run again to download it afresh (a proxy or a changed file on the Hub can cause this)`, { cause: e });
      }
      throw e;
    }
    if (f.sha1) {
      const actual = gitBlobSha1(readFileSync(dest));
      if (actual !== f.sha1) {
        await rename(dest, `${dest}.bad`);
        await rm(`${dest}.sha256`, { force: true });
        throw new GenbenchError('E_CHECKSUM', `${c.repo}/${f.path} at ${revision}: downloaded bytes have git blob id ${actual}, the repository lists ${f.sha1}`, `the download was moved aside to ${dest}.bad; run again to download it afresh`);
      }
    }
    await writeStamp(dest, got);
    files[f.path] = got;
  }
  writeJsonAtomic(manifestPath, { repo: c.repo, revision, files });
  return { checkpoint: describeCheckpointDir(dir, c), revision, source: 'hub', dir, files };
}
