/**
 * Reading safetensors checkpoints (single files and sharded `*.safetensors.index.json` sets).
 *
 * Format: 8 bytes little-endian u64 header length n, n bytes of JSON
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {...}}`, then the data block;
 * offsets are relative to the start of the data block, tensors are little-endian, row-major.
 *
 * Only the header is read on open; tensors are read on demand with positioned reads, so a multi-GB
 * checkpoint never has to fit in memory at once. Float tensors come back as Float32Array with exact
 * conversions (f16 and bf16 are subsets of f32). `entry()` gives the absolute byte range of a tensor,
 * which is what ONNX external data needs to point at it in place.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GenbenchError } from '../../core/errors.ts';

export type SafetensorsDtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/** One tensor of a file: dtype, shape and its absolute byte range in `file`. */
export interface TensorEntry {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly file: string;
  /** Absolute offset of the first byte in `file`. */
  readonly offset: number;
  readonly byteLength: number;
}

/** Anything tensors can be read from by name (one file, or a sharded set). */
export interface TensorSource {
  names(): string[];
  has(name: string): boolean;
  entry(name: string): TensorEntry;
  /** The tensor as float32 (F32 copied, F16/BF16 widened exactly, F64 rounded, integers converted). */
  float32(name: string): Float32Array;
  close(): void;
}

function corrupt(file: string, what: string): GenbenchError {
  return new GenbenchError('E_INPUT', `${file} is not a valid safetensors file: ${what}`, 'download it again (genbench models fetch resumes and re-verifies it)');
}

/** f16 bits → f32 value, exact (subnormals, infinities and NaN included). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Decode little-endian tensor bytes into float32 values. */
export function decodeToFloat32(bytes: Uint8Array, dtype: SafetensorsDtype): Float32Array {
  const n = bytes.byteLength / DTYPE_BYTES[dtype];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(n);
  switch (dtype) {
    case 'F32':
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(i * 4, true);
      break;
    case 'F16': {
      const table = halfTable();
      for (let i = 0; i < n; i++) out[i] = table[view.getUint16(i * 2, true)];
      break;
    }
    case 'BF16': {
      const u32 = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) u32[i] = view.getUint16(i * 2, true) << 16;
      break;
    }
    case 'F64':
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(i * 8, true);
      break;
    case 'I64':
      for (let i = 0; i < n; i++) out[i] = Number(view.getBigInt64(i * 8, true));
      break;
    case 'I32':
      for (let i = 0; i < n; i++) out[i] = view.getInt32(i * 4, true);
      break;
    case 'I16':
      for (let i = 0; i < n; i++) out[i] = view.getInt16(i * 2, true);
      break;
    case 'I8':
      for (let i = 0; i < n; i++) out[i] = view.getInt8(i);
      break;
    case 'U8':
    case 'BOOL':
      for (let i = 0; i < n; i++) out[i] = bytes[i];
      break;
  }
  return out;
}

let HALF_TABLE: Float32Array | undefined;
function halfTable(): Float32Array {
  if (!HALF_TABLE) {
    HALF_TABLE = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) HALF_TABLE[h] = halfToFloat(h);
  }
  return HALF_TABLE;
}

function readExactly(fd: number, length: number, position: number, file: string, what: string): Uint8Array {
  const buf = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw corrupt(file, `truncated while reading ${what} (${done} of ${length} bytes at offset ${position})`);
    done += n;
  }
  return buf;
}

/** Largest header the format allows (the reference implementation caps it at 100 MB). */
const MAX_HEADER_BYTES = 100_000_000;

/** One `.safetensors` file; tensors read on demand. */
export class SafetensorsFile implements TensorSource {
  private fd: number | undefined;
  private readonly entries = new Map<string, TensorEntry>();
  readonly metadata: Readonly<Record<string, string>>;

  private constructor(readonly path: string) {
    if (!existsSync(path)) throw new GenbenchError('E_NOT_FOUND', `safetensors file not found: ${path}`, 'check the checkpoint folder (genbench models fetch downloads it)');
    this.fd = openSync(path, 'r');
    try {
      const size = fstatSync(this.fd).size;
      if (size < 8) throw corrupt(path, `${size} bytes, shorter than the 8-byte header length`);
      const lenBytes = readExactly(this.fd, 8, 0, path, 'the header length');
      const headerLen = Number(new DataView(lenBytes.buffer).getBigUint64(0, true));
      if (headerLen > MAX_HEADER_BYTES || 8 + headerLen > size) throw corrupt(path, `header length ${headerLen} does not fit in a ${size}-byte file`);
      const headerText = new TextDecoder('utf-8', { fatal: false }).decode(readExactly(this.fd, headerLen, 8, path, 'the header'));
      let header: unknown;
      try {
        header = JSON.parse(headerText);
      } catch (e) {
        throw corrupt(path, `header is not JSON (${(e as Error).message})`);
      }
      if (typeof header !== 'object' || header === null || Array.isArray(header)) throw corrupt(path, 'header is not a JSON object');
      const dataStart = 8 + headerLen;
      const dataSize = size - dataStart;
      let meta: Record<string, string> = {};
      for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
        if (name === '__metadata__') {
          meta = (raw ?? {}) as Record<string, string>;
          continue;
        }
        const info = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
        const dtype = info?.dtype as SafetensorsDtype;
        if (typeof dtype !== 'string' || !(dtype in DTYPE_BYTES)) throw corrupt(path, `tensor ${name} has unsupported dtype ${String(info?.dtype)}`);
        const shape = info.shape;
        if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw corrupt(path, `tensor ${name} has a bad shape`);
        const offsets = info.data_offsets;
        if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) throw corrupt(path, `tensor ${name} has bad data_offsets`);
        const [begin, end] = offsets as number[];
        const count = (shape as number[]).reduce((a, b) => a * b, 1);
        if (end - begin !== count * DTYPE_BYTES[dtype]) throw corrupt(path, `tensor ${name}: ${end - begin} bytes for ${dtype}[${shape.join(',')}]`);
        if (end > dataSize) throw corrupt(path, `tensor ${name} ends at byte ${end} of a ${dataSize}-byte data block (truncated download?)`);
        this.entries.set(name, { name, dtype, shape: shape as number[], file: path, offset: dataStart + begin, byteLength: end - begin });
      }
      this.metadata = meta;
    } catch (e) {
      this.close();
      throw e;
    }
  }

  static open(path: string): SafetensorsFile {
    return new SafetensorsFile(path);
  }

  names(): string[] {
    return [...this.entries.keys()];
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  entry(name: string): TensorEntry {
    const e = this.entries.get(name);
    if (!e) throw new GenbenchError('E_INPUT', `tensor ${name} is missing from ${this.path}`, 'the checkpoint does not match its config.json; check that the files come from the same model');
    return e;
  }

  /** The tensor's raw little-endian bytes. */
  bytes(name: string): Uint8Array {
    const e = this.entry(name);
    if (this.fd === undefined) throw new Error(`safetensors file ${this.path} is closed`);
    return readExactly(this.fd, e.byteLength, e.offset, this.path, `tensor ${name}`);
  }

  float32(name: string): Float32Array {
    return decodeToFloat32(this.bytes(name), this.entry(name).dtype);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A sharded checkpoint: `weight_map` of an index JSON names the shard file of each tensor. */
export class ShardedSafetensors implements TensorSource {
  private readonly shards = new Map<string, SafetensorsFile>();
  private readonly weightMap: Map<string, string>;

  private constructor(readonly indexPath: string) {
    let index: { weight_map?: Record<string, string> };
    try {
      index = JSON.parse(readFileSync(indexPath, 'utf8'));
    } catch (e) {
      throw new GenbenchError('E_INPUT', `cannot read the safetensors index ${indexPath}: ${(e as Error).message}`, 'download the checkpoint again');
    }
    if (!index.weight_map || typeof index.weight_map !== 'object') throw new GenbenchError('E_INPUT', `${indexPath} has no weight_map`, 'download the checkpoint again');
    this.weightMap = new Map(Object.entries(index.weight_map));
    const dir = dirname(indexPath);
    try {
      for (const file of new Set(this.weightMap.values())) this.shards.set(file, SafetensorsFile.open(join(dir, file)));
      for (const [name, file] of this.weightMap) {
        if (!this.shards.get(file)!.has(name)) throw new GenbenchError('E_INPUT', `${indexPath} maps ${name} to ${file}, which does not hold it`, 'download the checkpoint again');
      }
    } catch (e) {
      this.close();
      throw e;
    }
  }

  static open(indexPath: string): ShardedSafetensors {
    return new ShardedSafetensors(indexPath);
  }

  names(): string[] {
    return [...this.weightMap.keys()];
  }

  has(name: string): boolean {
    return this.weightMap.has(name);
  }

  private shard(name: string): SafetensorsFile {
    const file = this.weightMap.get(name);
    if (file === undefined) throw new GenbenchError('E_INPUT', `tensor ${name} is missing from ${this.indexPath}`, 'the checkpoint does not match its config.json');
    return this.shards.get(file)!;
  }

  entry(name: string): TensorEntry {
    return this.shard(name).entry(name);
  }

  float32(name: string): Float32Array {
    return this.shard(name).float32(name);
  }

  close(): void {
    for (const s of this.shards.values()) s.close();
  }
}

/**
 * Open a checkpoint: a `.safetensors` file, an `.index.json`, or a folder holding either
 * `<stem>.safetensors.index.json` or `<stem>.safetensors` (stem defaults to diffusers' name).
 */
export function openSafetensors(path: string, stem = 'diffusion_pytorch_model'): TensorSource {
  if (existsSync(path) && statSync(path).isDirectory()) {
    const names = [`${stem}.safetensors.index.json`, `${stem}.safetensors`, 'model.safetensors.index.json', 'model.safetensors'];
    const found = names.map((n) => join(path, n)).find((p) => existsSync(p));
    if (!found) throw new GenbenchError('E_NOT_FOUND', `no safetensors weights in ${path} (looked for ${names.join(', ')})`, 'download the checkpoint with genbench models fetch');
    path = found;
  }
  return path.endsWith('.json') ? ShardedSafetensors.open(path) : SafetensorsFile.open(path);
}

/** Serialize float32 tensors as a safetensors file (test fixtures, converted caches). */
export function encodeSafetensors(tensors: Record<string, { shape: readonly number[]; data: Float32Array }>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  const names = Object.keys(tensors);
  for (const name of names) {
    const { shape, data } = tensors[name];
    if (data.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`tensor ${name}: ${data.length} values for shape [${shape.join(',')}]`);
    header[name] = { dtype: 'F32', shape: [...shape], data_offsets: [offset, offset + data.length * 4] };
    offset += data.length * 4;
  }
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += ' ';
  const jsonBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + jsonBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(jsonBytes.length), true);
  out.set(jsonBytes, 8);
  let pos = 8 + jsonBytes.length;
  for (const name of names) {
    const d = tensors[name].data;
    for (let i = 0; i < d.length; i++) view.setFloat32(pos + i * 4, d[i], true);
    pos += d.length * 4;
  }
  return out;
}
