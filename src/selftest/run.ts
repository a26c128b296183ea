/**
 * `genbench selftest`: checks that this installation computes what the official code computes —
 * decoders, resize kernels, ONNX Runtime on the requested execution provider, and every
 * registered model contract — against small goldens shipped with the package.
 */
import type { Device } from '../core/contracts.ts';
import { checkDecoder } from './decoder.ts';
import { GOLDEN_PATH, loadGolden, type Golden } from './golden.ts';
import { checkModels } from './models.ts';
import { checkOnnxRuntime } from './onnxruntime.ts';
import { checkResize } from './resize.ts';
import { threw, type CheckResult } from './result.ts';

export type { CheckResult } from './result.ts';

export interface SelftestOptions {
  device?: Device;
  /** The golden file (default: the one shipped with the package). */
  golden?: string;
}

export interface SelftestReport {
  ok: boolean;
  device: Device;
  golden: string;
  checks: CheckResult[];
  counts: { ok: number; failed: number; skipped: number };
}

export async function runSelftest(options: SelftestOptions = {}): Promise<SelftestReport> {
  const device = options.device ?? 'cpu';
  const goldenPath = options.golden ?? GOLDEN_PATH;
  const checks: CheckResult[] = [];
  let golden: Golden | undefined;
  try {
    golden = loadGolden(goldenPath);
  } catch (e) {
    checks.push(threw('decoder', 'selftest goldens', e));
  }
  if (golden) {
    checks.push(...(await checkDecoder(golden)));
    checks.push(...checkResize(golden));
  }
  checks.push(...(await checkOnnxRuntime(device)));
  checks.push(...(await checkModels()));
  const counts = { ok: 0, failed: 0, skipped: 0 };
  for (const c of checks) counts[c.status]++;
  return { ok: counts.failed === 0, device, golden: goldenPath, checks, counts };
}
