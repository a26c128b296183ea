/**
 * Runs an ONNX model through onnxruntime-node (the runtime genbench uses) for the Python export
 * scripts, which have no onnxruntime of their own (Debian does not package it). Inputs are raw
 * little-endian float32 files (int64 when the file name ends in .i64); every float32 output is
 * written to OUTDIR/<name>.f32 with its dims in OUTDIR/outputs.json, together with the session's
 * wall times.
 *
 *   node --import tsx tools/parity/ort-run.ts MODEL.onnx OUTDIR [--threads N] [--repeat N] NAME=FILE.f32:1x3x800x800 ...
 *   (token ids: input_ids=IDS.i64:2x77)
 *
 * --repeat N runs the model N times on the same inputs (the first run is reported separately as
 * warm-up); the outputs written are those of the last run.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSession } from '../../src/runtime/session.ts';
import ort from 'onnxruntime-node';

const args = process.argv.slice(2);
const usage = 'usage: ort-run.ts MODEL.onnx OUTDIR [--threads N] [--repeat N] NAME=FILE.f32:DxDxD ...';
let threads: number | undefined;
let repeat = 1;
const positional: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--threads') threads = Number(args[++i]);
  else if (args[i] === '--repeat') repeat = Number(args[++i]);
  else positional.push(args[i]!);
}
const [model, outDir, ...specs] = positional;
if (!model || !outDir || specs.length === 0 || !(repeat >= 1)) throw new Error(usage);

const feeds: Record<string, ort.Tensor> = {};
for (const spec of specs) {
  const m = spec.match(/^([^=]+)=(.+):(\d+(?:x\d+)*)$/);
  if (!m) throw new Error(`bad input ${spec}; ${usage}`);
  const dims = m[3]!.split('x').map(Number);
  const buf = readFileSync(m[2]!);
  const bytes = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const data = m[2]!.endsWith('.i64') ? new BigInt64Array(bytes) : new Float32Array(bytes);
  if (data.length !== dims.reduce((a, b) => a * b, 1)) throw new Error(`${m[2]}: ${data.length} values, dims ${dims.join('x')}`);
  feeds[m[1]!] = data instanceof BigInt64Array ? new ort.Tensor('int64', data, dims) : new ort.Tensor('float32', data, dims);
}

const t0 = performance.now();
const session = await createSession(model, { threads });
const loadMs = performance.now() - t0;
const runMs: number[] = [];
let result: ort.InferenceSession.OnnxValueMapType = {};
for (let r = 0; r < repeat; r++) {
  const t = performance.now();
  result = await session.run(feeds);
  runMs.push(performance.now() - t);
}
mkdirSync(outDir, { recursive: true });
const outputs: Record<string, number[]> = {};
for (const [name, value] of Object.entries(result)) {
  const t = value as ort.Tensor;
  const data = t.data as Float32Array;
  writeFileSync(join(outDir, `${name}.f32`), Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  outputs[name] = [...t.dims];
}
writeFileSync(join(outDir, 'outputs.json'), `${JSON.stringify({ outputs, loadMs, runMs, threads: threads ?? null, ort: ort.env.versions.common }, null, 1)}\n`);
process.stdout.write(`load ${loadMs.toFixed(0)} ms; runs ${runMs.map((x) => x.toFixed(0)).join(', ')} ms\n`);
