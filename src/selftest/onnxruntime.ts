/**
 * ONNX Runtime check: a tiny model built here (Conv → Relu → GlobalAveragePool → Gemm) whose
 * inputs and weights are small dyadic numbers, so every intermediate is exact in float32 and the
 * outputs are known exactly. It runs on cpu, and on the requested execution provider when that is
 * not cpu (compared with the cpu outputs within a tolerance).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { GraphBuilder } from '../runtime/onnx-builder.ts';
import { createSession } from '../runtime/session.ts';
import { failed, formatDiff, maxAbsDiff, ok, threw, type CheckResult } from './result.ts';
import type { Device } from '../core/contracts.ts';

const C = 3;
const H = 4;
const W = 4;
const K = 2;
const OUT = 3;

/** Tolerance between the cpu and another execution provider (GPU kernels may use other algorithms; the values here are exact in float32 and TF32). */
export const DEVICE_TOLERANCE = 1e-4;

function dyadic(count: number, mul: number, mod: number, denom: number): Float32Array {
  return Float32Array.from({ length: count }, (_, i) => (((i * mul) % mod) - (mod >> 1)) / denom);
}

const INPUT = dyadic(C * H * W, 7, 13, 4);
const CONV_W = dyadic(K * C * 3 * 3, 5, 11, 8);
const CONV_B = Float32Array.of(0.5, -0.25);
const GEMM_B = dyadic(K * OUT, 3, 7, 2);
const GEMM_C = Float32Array.of(0.125, -1, 2);

export function tinyModelBytes(): Uint8Array {
  const g = new GraphBuilder({ name: 'genbench-selftest', producerName: 'genbench-selftest' });
  g.input('x', 'float32', [1, C, H, W]);
  const conv = g.op('Conv', ['x', g.floatInitializer('conv.w', [K, C, 3, 3], CONV_W), g.floatInitializer('conv.b', [K], CONV_B)], {
    kernel_shape: { ints: [3, 3] },
    pads: { ints: [1, 1, 1, 1] },
  });
  const pooled = g.op('GlobalAveragePool', [g.op('Relu', [conv])]);
  const flat = g.op('Flatten', [pooled], { axis: { int: 1 } });
  g.op('Gemm', [flat, g.floatInitializer('gemm.b', [K, OUT], GEMM_B), g.floatInitializer('gemm.c', [OUT], GEMM_C)], undefined, 'y');
  g.output('y', 'float32', [1, OUT]);
  return g.toBytes();
}

/** The model's output worked out in float64 (exact: every value is a small dyadic number). */
export function tinyModelExpected(): Float64Array {
  const pooled = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let sum = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let acc = CONV_B[k]!;
        for (let c = 0; c < C; c++) {
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) {
              const yy = y + dy;
              const xx = x + dx;
              if (yy < 0 || yy >= H || xx < 0 || xx >= W) continue;
              acc += INPUT[(c * H + yy) * W + xx]! * CONV_W[((k * C + c) * 3 + (dy + 1)) * 3 + (dx + 1)]!;
            }
          }
        }
        sum += Math.max(0, acc);
      }
    }
    pooled[k] = sum / (H * W);
  }
  const out = new Float64Array(OUT);
  for (let o = 0; o < OUT; o++) {
    let acc = GEMM_C[o]!;
    for (let k = 0; k < K; k++) acc += pooled[k]! * GEMM_B[k * OUT + o]!;
    out[o] = acc;
  }
  return out;
}

async function runOn(path: string, device: Device): Promise<Float32Array> {
  const session = await createSession(path, { device, threads: 1 });
  const result = await session.run({ x: new ort.Tensor('float32', INPUT.slice(), [1, C, H, W]) });
  return Float32Array.from(result['y']!.data as Float32Array);
}

export async function checkOnnxRuntime(device: Device): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const expected = tinyModelExpected();
  const dir = await mkdtemp(join(tmpdir(), 'genbench-selftest-ort-'));
  try {
    const path = join(dir, 'tiny.onnx');
    await writeFile(path, tinyModelBytes());
    let cpu: Float32Array;
    const cpuName = `cpu execution provider (onnxruntime-node ${ort.env.versions.common})`;
    try {
      cpu = await runOn(path, 'cpu');
      const d = maxAbsDiff(cpu, expected);
      const detail = `tiny Conv/Relu/Pool/Gemm model: max |Δ| ${formatDiff(d)} over ${expected.length} outputs vs the exact values`;
      results.push(d <= 1e-6 ? ok('onnxruntime', cpuName, detail, { maxAbsDiff: d, values: expected.length }) : failed('onnxruntime', cpuName, detail, { maxAbsDiff: d, values: expected.length }));
    } catch (e) {
      results.push(threw('onnxruntime', cpuName, e));
      return results;
    }
    if (device !== 'cpu') {
      const name = `${device} execution provider`;
      try {
        const other = await runOn(path, device);
        const d = maxAbsDiff(other, cpu);
        const detail = `max |Δ| ${formatDiff(d)} vs cpu over ${cpu.length} outputs (tolerance ${DEVICE_TOLERANCE})`;
        results.push(d <= DEVICE_TOLERANCE ? ok('onnxruntime', name, detail, { maxAbsDiff: d, values: cpu.length }) : failed('onnxruntime', name, detail, { maxAbsDiff: d, values: cpu.length }));
      } catch (e) {
        results.push(threw('onnxruntime', name, e));
      }
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
