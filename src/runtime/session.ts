/**
 * ONNX Runtime sessions: one per (model file, device, threads), created once and reused.
 * cpu is the default; webgpu and cuda are asked for explicitly and never fall back silently:
 * if the execution provider cannot start, the user gets E_PROVIDER saying why and what to do.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import ort from 'onnxruntime-node';
import { GenbenchError, describeError } from '../core/errors.ts';
import { alignScalarOperands } from './onnx-scalar-align.ts';
import type { ModelSignature, TensorSignature } from './signature.ts';
import { DEVICES, type Device } from '../core/contracts.ts';

export { checkSignature, formatSignature, signatureDifferences, type ModelSignature, type TensorSignature } from './signature.ts';


export interface SessionOptions {
  /** Execution provider; default cpu. */
  device?: Device;
  /** Intra-op threads (default: ONNX Runtime's choice, one per core). */
  threads?: number;
}

export type InferenceSession = ort.InferenceSession;

const CUDA_HINT = 'install it with `npm run install:cuda` in the genbench folder (online; needs CUDA 12 and cuDNN 9 on the machine), or use --device cpu|webgpu';
const WEBGPU_HINT = 'check that a GPU with Vulkan (Linux), D3D12 (Windows) or Metal (macOS) drivers is visible to this process, or use --device cpu';

/** Folder holding onnxruntime-node's native binding (and, when installed, the CUDA provider libraries). */
function bindingDir(): string {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('onnxruntime-node/package.json'));
  return join(pkgDir, 'bin', 'napi-v6', process.platform, process.arch);
}

function cudaLibraryName(): string {
  return process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
}

/**
 * Whether this onnxruntime-node install can try the provider at all (files present). A present
 * provider can still fail to start (no GPU, driver missing); createSession reports that.
 */
export function providerInstalled(device: Device): boolean {
  if (device === 'cpu') return true;
  const backends = ort.listSupportedBackends?.() ?? [];
  const entry = backends.find((b) => b.name === device);
  if (device === 'cuda') return existsSync(join(bindingDir(), cudaLibraryName()));
  return entry !== undefined && entry.bundled;
}

function providerMissing(device: Device, detail?: string): GenbenchError {
  if (device === 'cuda') {
    return new GenbenchError(
      'E_PROVIDER',
      `the cuda execution provider is not installed in this onnxruntime-node build${detail ? ` (${detail})` : ''}`,
      CUDA_HINT,
    );
  }
  return new GenbenchError(
    'E_PROVIDER',
    `the ${device} execution provider could not start${detail ? `: ${detail}` : ''}`,
    device === 'webgpu' ? WEBGPU_HINT : 'use --device cpu',
  );
}

function sessionOptions(device: Device, threads: number | undefined): ort.InferenceSession.SessionOptions {
  const options: ort.InferenceSession.SessionOptions = {
    executionProviders: [device],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  };
  if (threads !== undefined) {
    options.intraOpNumThreads = threads;
    options.interOpNumThreads = 1;
  }
  return options;
}

/** First line of an ONNX Runtime error, without its source-location prefix (`/onnxruntime_src/…: check was false.`). */
function firstLine(e: unknown): string {
  const line = describeError(e).split('\n')[0].trim();
  const m = line.match(/^\/onnxruntime_src\/\S+ .*? was false\. (.+)$/);
  return m ? m[1] : line;
}

/** Files up to this size get the cpu graph rewrite of onnx-scalar-align.ts (it decodes the whole model). */
const ALIGN_MAX_BYTES = 512 * 1024 ** 2;

/**
 * The model a cpu session loads: the file's graph with 0-d operands rank-aligned when that changes
 * anything (same outputs bit for bit, see onnx-scalar-align.ts), else undefined (load the file).
 */
function cpuModelBytes(path: string, size: number): Uint8Array | undefined {
  if (size > ALIGN_MAX_BYTES || process.env['GENBENCH_ALIGN_SCALARS'] === '0') return undefined;
  return alignScalarOperands(readFileSync(path))?.bytes;
}

async function openSession(path: string, device: Device, threads: number | undefined, model?: Uint8Array): Promise<ort.InferenceSession> {
  if (device === 'cuda' && !providerInstalled('cuda')) throw providerMissing('cuda', `${cudaLibraryName()} not found in ${bindingDir()}`);
  if (device === 'webgpu' && !providerInstalled('webgpu')) throw providerMissing('webgpu', 'not bundled in this build');
  try {
    return model ? await ort.InferenceSession.create(model, sessionOptions(device, threads)) : await ort.InferenceSession.create(path, sessionOptions(device, threads));
  } catch (e) {
    if (device !== 'cpu') {
      // Tell a provider failure from a bad model: if the cpu provider loads the file, the provider is at fault.
      const probe = await ort.InferenceSession.create(path, sessionOptions('cpu', 1)).catch(() => undefined);
      if (probe) {
        await probe.release();
        throw providerMissing(device, firstLine(e));
      }
    }
    throw new GenbenchError('E_INPUT', `cannot load ONNX model ${path}: ${firstLine(e)}`, 'the file is not a valid ONNX model for this onnxruntime version: re-fetch or re-export it', { cause: e });
  }
}

const cache = new Map<string, Promise<ort.InferenceSession>>();

/** Where a session made by createSession came from: enough for another thread to open the same model. */
export interface SessionSource {
  path: string;
  device: Device;
  /** The intra-op threads asked for (undefined: ONNX Runtime's choice). */
  threads?: number;
  /** File size, to judge how many copies fit in memory. */
  bytes: number;
  /** The model bytes the session was made from when they differ from the file (cpu graph rewrite). */
  model?: Uint8Array;
}

const sources = new WeakMap<ort.InferenceSession, SessionSource>();

/** The source of a session made by createSession (undefined for sessions made elsewhere). */
export function sessionSource(session: ort.InferenceSession): SessionSource | undefined {
  return sources.get(session);
}

/**
 * Create (or reuse) an ONNX Runtime session for `modelPath` on `device` (default cpu).
 * Errors: E_NOT_FOUND (no file), E_PROVIDER (execution provider missing or unable to start),
 * E_INPUT (not a loadable ONNX model).
 */
export async function createSession(modelPath: string, options: SessionOptions = {}): Promise<ort.InferenceSession> {
  const device = options.device ?? 'cpu';
  if (!DEVICES.includes(device)) throw new GenbenchError('E_USAGE', `unknown device ${String(device)}`, `use one of ${DEVICES.join(', ')}`);
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new GenbenchError('E_USAGE', `threads must be a positive integer, got ${options.threads}`);
  }
  const path = resolve(modelPath);
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new GenbenchError('E_NOT_FOUND', `model file not found: ${path}`, 'fetch it with `genbench models fetch ID` or import it with `genbench models import`');
  }
  // The file's size and mtime are in the key, so a replaced file gets a new session.
  const key = [path, st.size, st.mtimeMs, device, options.threads ?? 'auto'].join('|');
  let pending = cache.get(key);
  if (!pending) {
    let model: Uint8Array | undefined;
    try {
      model = device === 'cpu' ? cpuModelBytes(path, st.size) : undefined;
    } catch {
      model = undefined; // unreadable here: openSession reports it
    }
    const source: SessionSource = { path, device, threads: options.threads, bytes: st.size, ...(model ? { model } : {}) };
    pending = openSession(path, device, options.threads, model).then((session) => {
      sources.set(session, source);
      return session;
    });
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

/** Release every cached session (tests, end of a run). */
export async function releaseSessions(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  for (const p of all) {
    const s = await p.catch(() => undefined);
    await s?.release();
  }
}

/** The session's inputs and outputs as onnxruntime-node reports them (symbolic dims as strings). */
export function inspectSignature(session: ort.InferenceSession): ModelSignature {
  const convert = (m: ort.InferenceSession.ValueMetadata): TensorSignature =>
    m.isTensor ? { name: m.name, dtype: m.type, shape: [...m.shape] } : { name: m.name, dtype: 'non-tensor', shape: [] };
  return { inputs: session.inputMetadata.map(convert), outputs: session.outputMetadata.map(convert) };
}

/**
 * Signature of an ONNX file, read through a short-lived cpu session (not cached). Errors:
 * E_NOT_FOUND (no file), E_INPUT (not a loadable ONNX model).
 */
export async function inspectModelFile(modelPath: string): Promise<ModelSignature> {
  const path = resolve(modelPath);
  if (!existsSync(path)) throw new GenbenchError('E_NOT_FOUND', `model file not found: ${path}`);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(path, { executionProviders: ['cpu'], intraOpNumThreads: 1, graphOptimizationLevel: 'disabled' });
  } catch (e) {
    throw new GenbenchError('E_INPUT', `cannot load ONNX model ${path}: ${firstLine(e)}`, 'the file is not a valid ONNX model for this onnxruntime version', { cause: e });
  }
  try {
    return inspectSignature(session);
  } finally {
    await session.release();
  }
}
