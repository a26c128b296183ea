/** The tiny NOVA checkpoint (tests/fixtures/nova-tiny/) and its goldens (tests/golden/nova-networks.json). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ort from 'onnxruntime-node';

export interface GoldenTensor {
  shape: number[];
  data: number[];
}

export const NOVA_TINY_DIR = fileURLToPath(new URL('../fixtures/nova-tiny/', import.meta.url));

export const novaGolden = JSON.parse(readFileSync(new URL('../golden/nova-networks.json', import.meta.url), 'utf8'));

export function tensor(t: GoldenTensor): ort.Tensor {
  return new ort.Tensor('float32', Float32Array.from(t.data), t.shape);
}

export async function session(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
}

/** max |a − b| and that divided by max |b| (the "relative" agreement reported for each network). */
export function agreement(actual: ArrayLike<number>, expected: ArrayLike<number>): { maxAbs: number; relative: number } {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  let maxAbs = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= maxAbs)) maxAbs = d; // NaN propagates
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return { maxAbs, relative: maxAbs / scale };
}
