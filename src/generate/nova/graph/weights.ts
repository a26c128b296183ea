/**
 * Binding checkpoint tensors (by their PyTorch state-dict names) to graph initializers.
 *
 * Three ways a weight reaches ONNX Runtime:
 *  - 'embed': read as float32 and stored inside the .onnx (tests and tiny checkpoints: protobuf caps a file at 2 GB);
 *  - 'external': an initializer of the tensor's own dtype whose external data points at the tensor's
 *    byte range inside the safetensors file (no copy on disk). A Cast to float32 is added for f16/bf16
 *    tensors; ORT folds Cast/Transpose of initializers once when the session is created.
 *  - 'converted': float32 copies (linear weights already transposed) appended to one data file next to
 *    the .onnx (written by `writeData()`), referenced as external data: a one-time conversion into the
 *    cache (faster session creation; costs the conversion once and 4 bytes per weight on disk).
 * Which one the product uses, and the measurements behind the choice (external in place by default):
 * networks/transformer-graphs.ts. ORT only accepts external data inside the .onnx file's folder.
 * Linear weights are (out, in) in PyTorch; MatMul wants (in, out): embedded weights are transposed
 * here, external ones get a Transpose node (folded at session creation).
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GenbenchError } from '../../../core/errors.ts';
import type { SafetensorsDtype, TensorSource } from '../safetensors.ts';
import { type ElementType, type GraphBuilder, float32Bytes } from '../../../runtime/onnx-builder.ts';

export type WeightMode =
  | { kind: 'embed' }
  | { kind: 'external'; /** folder the .onnx file will be written to */ modelDir: string }
  | { kind: 'converted'; /** folder the .onnx file will be written to */ modelDir: string; /** data file name inside modelDir */ dataFile: string };

const EXTERNAL_TYPES: Partial<Record<SafetensorsDtype, ElementType>> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' };

export class WeightBinder {
  private readonly bound = new Map<string, string>();
  private readonly chunks: Uint8Array[] = [];
  private dataLength = 0;

  constructor(
    readonly source: TensorSource,
    readonly mode: WeightMode = { kind: 'embed' },
  ) {}

  shape(name: string): readonly number[] {
    return this.source.entry(name).shape;
  }

  has(name: string): boolean {
    return this.source.has(name);
  }

  /** Check a tensor's shape against what the config implies. */
  expectShape(name: string, shape: readonly number[]): void {
    const got = this.shape(name);
    if (got.length !== shape.length || got.some((d, i) => d !== shape[i])) {
      throw new GenbenchError('E_INPUT', `tensor ${name} has shape [${got.join(',')}], the config implies [${shape.join(',')}]`, 'the weights do not belong to this config.json; download the checkpoint again');
    }
  }

  /** Float32 values (for constants computed at build time, e.g. a bos token). */
  values(name: string): Float32Array {
    return this.source.float32(name);
  }

  /** The tensor as a float32 graph value, in its checkpoint layout. */
  tensor(b: GraphBuilder, name: string, expected?: readonly number[]): string {
    if (expected) this.expectShape(name, expected);
    const key = `${name}`;
    const cached = this.bound.get(key);
    if (cached) return cached;
    const entry = this.source.entry(name);
    let value: string;
    if (this.mode.kind === 'embed') {
      value = b.floatInitializer(b.fresh(name), entry.shape, this.source.float32(name));
    } else if (this.mode.kind === 'converted') {
      value = this.appendConverted(b, b.fresh(name), entry.shape, this.source.float32(name));
    } else {
      const type = EXTERNAL_TYPES[entry.dtype];
      if (!type) throw new GenbenchError('E_INPUT', `tensor ${name} is ${entry.dtype}; only F32, F16 and BF16 weights are supported`, 'use a float checkpoint');
      const raw = b.externalInitializer(b.fresh(`${name}.raw`), type, entry.shape, { location: relative(this.mode.modelDir, entry.file), offset: entry.offset, length: entry.byteLength });
      value = type === 'float32' ? raw : b.op('Cast', [raw], { to: { int: 1 } }, b.fresh(name));
    }
    this.bound.set(key, value);
    return value;
  }

  /** A 2-D (out, in) Linear weight as an (in, out) MatMul operand. */
  linearWeight(b: GraphBuilder, name: string, expected?: readonly [number, number]): string {
    if (expected) this.expectShape(name, expected);
    const key = `${name}#T`;
    const cached = this.bound.get(key);
    if (cached) return cached;
    let value: string;
    const entry = this.source.entry(name);
    if (this.mode.kind === 'embed') {
      const [out, inp] = entry.shape;
      const w = this.source.float32(name);
      const t = new Float32Array(w.length);
      for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) t[i * out + o] = w[o * inp + i];
      value = b.floatInitializer(b.fresh(`${name}.T`), [inp, out], t);
    } else if (this.mode.kind === 'converted') {
      const [out, inp] = entry.shape;
      const w = this.source.float32(name);
      const t = new Float32Array(w.length);
      for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) t[i * out + o] = w[o * inp + i];
      value = this.appendConverted(b, b.fresh(`${name}.T`), [inp, out], t);
    } else {
      value = b.op('Transpose', [this.tensor(b, name)], { perm: { ints: [1, 0] } }, b.fresh(`${name}.T`));
    }
    this.bound.set(key, value);
    return value;
  }

  private appendConverted(b: GraphBuilder, name: string, shape: readonly number[], values: Float32Array): string {
    if (this.mode.kind !== 'converted') throw new Error('not in converted mode');
    const bytes = float32Bytes(values);
    const pad = (64 - (this.dataLength % 64)) % 64; // keep every tensor 64-byte aligned (mmap-friendly)
    if (pad) this.chunks.push(new Uint8Array(pad));
    this.dataLength += pad;
    const offset = this.dataLength;
    this.chunks.push(bytes);
    this.dataLength += bytes.length;
    return b.externalInitializer(name, 'float32', shape, { location: this.mode.dataFile, offset, length: bytes.length });
  }

  /** Write the converted data file (mode 'converted'); returns its path. */
  writeData(): string {
    if (this.mode.kind !== 'converted') throw new Error('writeData() is for the converted mode');
    const path = join(this.mode.modelDir, this.mode.dataFile);
    const fd = openSync(path, 'w');
    try {
      for (const c of this.chunks) writeSync(fd, c);
    } finally {
      closeSync(fd);
    }
    this.chunks.length = 0;
    return path;
  }
}
