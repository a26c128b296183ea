/**
 * Writing a network's graph (and, for 'converted' weights, its data file) where ONNX Runtime will
 * open it. Graphs are deterministic, so an unchanged file is left alone (its mtime, and so the
 * session cache key, stays the same); a converted data file is only rewritten when the weights,
 * the config or the graph format changed (a stamp file next to it records them).
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { TensorSource } from '../safetensors.ts';
import { WeightBinder, type WeightMode } from './weights.ts';

export type WeightDelivery = 'embed' | 'external' | 'converted';

/** Bump when the graphs built from the same weights change. */
export const GRAPH_FORMAT_VERSION = 1;

function sameBytes(path: string, bytes: Uint8Array): boolean {
  if (!existsSync(path) || statSync(path).size !== bytes.length) return false;
  return Buffer.compare(readFileSync(path), bytes) === 0;
}

/**
 * Build the graph `name` with weights from `source` and write it; returns its path, or null when
 * `build` returns null (a graph the checkpoint does not have). 'external' graphs go next to the
 * weights (ORT requires external data inside the model's folder); the others go to `outDir`
 * (default: next to the weights). `identity` is anything else the graph depends on (its config).
 */
export function writeGraphFile(source: TensorSource, name: string, delivery: WeightDelivery, outDir: string | undefined, identity: unknown, build: (w: WeightBinder) => Uint8Array | null): string | null {
  const weightsDir = dirname(source.entry(source.names()[0]).file);
  const dir = delivery === 'external' ? weightsDir : (outDir ?? weightsDir);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `genbench.${name}.onnx`);
  const dataFile = `genbench.${name}.data`;
  const stampPath = join(dir, `genbench.${name}.stamp.json`);
  let stamp = '';
  if (delivery === 'converted') {
    const files = [...new Set(source.names().map((n) => source.entry(n).file))].sort().map((f) => ({ file: f, size: statSync(f).size, mtimeMs: statSync(f).mtimeMs }));
    stamp = JSON.stringify({ format: GRAPH_FORMAT_VERSION, name, files, identity });
    if (existsSync(path) && existsSync(join(dir, dataFile)) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) return path;
  }
  const mode: WeightMode = delivery === 'embed' ? { kind: 'embed' } : delivery === 'external' ? { kind: 'external', modelDir: dir } : { kind: 'converted', modelDir: dir, dataFile };
  const w = new WeightBinder(source, mode);
  const bytes = build(w);
  if (!bytes) return null;
  if (delivery === 'converted') w.writeData();
  if (!sameBytes(path, bytes)) writeFileSync(path, bytes);
  if (delivery === 'converted') writeFileSync(stampPath, stamp);
  return path;
}
