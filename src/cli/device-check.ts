/**
 * `--device webgpu|cuda` checked before a run loads its models: a tiny model is opened on the
 * device in a child process whose stderr is captured, so the GPU driver's own messages (Dawn's
 * Vulkan adapter warnings, XDG_RUNTIME_DIR complaints, CUDA loader lines), which native code writes
 * straight to the process's stderr, do not bury the one clear error. cpu needs no check.
 *
 *   node --import tsx src/cli/device-check.ts DEVICE    (the child: prints one JSON line)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GenbenchError, isGenbenchError } from '../core/errors.ts';
import type { Device } from '../core/contracts.ts';

const SELF = fileURLToPath(import.meta.url);

interface ProbeAnswer {
  ok: boolean;
  code?: string;
  message?: string;
  hint?: string;
}

const checked = new Map<Device, Promise<void>>();

/** Throws E_PROVIDER (with the provider's own first line, without driver noise) when `device` cannot run a model here. */
export function ensureDeviceAvailable(device: Device): Promise<void> {
  if (device === 'cpu' || process.env['GENBENCH_DEVICE_CHECK'] === '0') return Promise.resolve();
  let p = checked.get(device);
  if (!p) {
    p = probe(device);
    checked.set(device, p);
  }
  return p;
}

async function probe(device: Device): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF, device], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const code = await new Promise<number | null>((res) => child.once('close', res));
  const line = out.trim().split('\n').at(-1) ?? '';
  let answer: ProbeAnswer | undefined;
  try {
    answer = JSON.parse(line) as ProbeAnswer;
  } catch {
    answer = undefined;
  }
  if (answer?.ok) return;
  const noise = err.trim() ? ' (the driver\'s messages are shown by GENBENCH_DEVICE_CHECK=0, which skips this check)' : '';
  if (answer?.message) {
    throw new GenbenchError('E_PROVIDER', answer.message, `${answer.hint ?? 'use --device cpu'}${noise}`);
  }
  throw new GenbenchError(
    'E_PROVIDER',
    `the ${device} execution provider could not be checked: the probe process ended with ${code}${err.trim() ? `: ${err.trim().split('\n').at(-1)}` : ''}`,
    'use --device cpu, or run `genbench selftest` for details',
  );
}

/** The child: open the selftest's tiny model on the device and run it once. */
async function child(device: Device): Promise<void> {
  const answer = (a: ProbeAnswer): void => {
    process.stdout.write(`${JSON.stringify(a)}\n`);
  };
  const dir = await mkdtemp(join(tmpdir(), 'genbench-device-'));
  try {
    const { tinyModelBytes } = await import('../selftest/onnxruntime.ts');
    const { createSession } = await import('../runtime/session.ts');
    const ort = (await import('onnxruntime-node')).default;
    const path = join(dir, 'tiny.onnx');
    await writeFile(path, tinyModelBytes());
    const session = await createSession(path, { device });
    await session.run({ x: new ort.Tensor('float32', new Float32Array(3 * 4 * 4), [1, 3, 4, 4]) });
    answer({ ok: true });
  } catch (e) {
    if (isGenbenchError(e)) answer({ ok: false, code: e.code, message: e.message, hint: e.hint });
    else answer({ ok: false, message: `the ${device} execution provider could not start: ${(e as Error).message?.split('\n')[0] ?? String(e)}` });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === SELF) {
  await child(process.argv[2] as Device);
  process.exit(0);
}
