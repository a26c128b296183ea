/**
 * ONNX graph builder (the NOVA networks, the fixture models through runtime/fixtures/onnx-builder.ts,
 * the self-test's tiny graphs): declare inputs/outputs (symbolic dims allowed), add
 * initializers (stored in the file, or as external data pointing at byte ranges of another file,
 * e.g. a tensor inside a safetensors checkpoint) and nodes, then serialize a ModelProto.
 *
 * Output bytes depend only on what was declared, in order (same graph + same weights → same file).
 * This is the product-side sibling of tools/fixtures/onnx-builder.ts (which the metric fixtures
 * keep using unchanged, so their pinned sha256s stay valid); it adds half-precision and external
 * initializers, value-name generation per prefix, and a producer name of its own.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export type ElementType = 'float32' | 'float16' | 'bfloat16' | 'float64' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

export const ONNX_DATA_TYPE: Record<ElementType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  bfloat16: onnx.TensorProto.DataType.BFLOAT16,
  float64: onnx.TensorProto.DataType.DOUBLE,
  uint8: onnx.TensorProto.DataType.UINT8,
  int8: onnx.TensorProto.DataType.INT8,
  int16: onnx.TensorProto.DataType.INT16,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

export type Dim = number | string;

export type AttributeValue =
  | { int: number }
  | { float: number }
  | { ints: number[] }
  | { floats: number[] }
  | { string: string }
  | { tensor: onnxProto.onnx.ITensorProto };

/** Opset of the NOVA graphs: 17 has LayerNormalization; onnxruntime-node 1.30 runs it on every EP. */
export const NOVA_OPSET = 17;
export const NOVA_IR_VERSION = 8;

export interface GraphOptions {
  name: string;
  opset?: number;
  docString?: string;
  producerName?: string;
}

/** Where an external initializer's bytes live: `location` relative to the .onnx file's folder. */
export interface ExternalLocation {
  location: string;
  offset: number;
  length: number;
}

function valueInfo(name: string, type: ElementType, shape: readonly Dim[]): onnxProto.onnx.IValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: ONNX_DATA_TYPE[type], shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}

function attribute(name: string, value: AttributeValue): onnxProto.onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('int' in value) return { name, type: T.INT, i: value.int };
  if ('float' in value) return { name, type: T.FLOAT, f: value.float };
  if ('ints' in value) return { name, type: T.INTS, ints: value.ints };
  if ('floats' in value) return { name, type: T.FLOATS, floats: value.floats };
  if ('tensor' in value) return { name, type: T.TENSOR, t: value.tensor };
  return { name, type: T.STRING, s: new TextEncoder().encode(value.string) };
}

/** float32 values as little-endian bytes (ONNX raw_data), independent of the host byte order. */
export function float32Bytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

export function int64Bytes(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(values.length * 8);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setBigInt64(i * 8, BigInt(values[i]), true);
  return out;
}

export class GraphBuilder {
  private readonly inputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly outputs: onnxProto.onnx.IValueInfoProto[] = [];
  private readonly initializers: onnxProto.onnx.ITensorProto[] = [];
  private readonly nodes: onnxProto.onnx.INodeProto[] = [];
  private readonly names = new Set<string>();
  private readonly constCache = new Map<string, string>();
  private nodeCount = 0;

  constructor(readonly options: GraphOptions) {}

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`duplicate value name in graph ${this.options.name}: ${name}`);
    this.names.add(name);
    return name;
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /** A fresh value name starting with `prefix`. */
  fresh(prefix: string): string {
    let name = prefix;
    for (let i = 1; this.names.has(name); i++) name = `${prefix}_${i}`;
    return name;
  }

  input(name: string, type: ElementType, shape: readonly Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), type, shape));
    return name;
  }

  output(name: string, type: ElementType, shape: readonly Dim[]): string {
    this.outputs.push(valueInfo(name, type, shape));
    return name;
  }

  /** Mark an existing value as a graph output under a new name (Identity). */
  outputAs(value: string, name: string, type: ElementType, shape: readonly Dim[]): string {
    this.op('Identity', [value], undefined, name);
    return this.output(name, type, shape);
  }

  floatInitializer(name: string, dims: readonly number[], values: Float32Array): string {
    const expected = dims.reduce((a, b) => a * b, 1);
    if (values.length !== expected) throw new Error(`initializer ${name}: ${values.length} values for dims [${dims.join(',')}]`);
    this.initializers.push({ name: this.claim(name), dims: [...dims], dataType: ONNX_DATA_TYPE.float32, rawData: float32Bytes(values) });
    return name;
  }

  int64Initializer(name: string, dims: readonly number[], values: readonly number[]): string {
    this.initializers.push({ name: this.claim(name), dims: [...dims], dataType: ONNX_DATA_TYPE.int64, rawData: int64Bytes(values) });
    return name;
  }

  /** An initializer whose raw little-endian bytes live in another file (ONNX external data). */
  externalInitializer(name: string, type: ElementType, dims: readonly number[], where: ExternalLocation): string {
    this.initializers.push({
      name: this.claim(name),
      dims: [...dims],
      dataType: ONNX_DATA_TYPE[type],
      dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: where.location },
        { key: 'offset', value: String(where.offset) },
        { key: 'length', value: String(where.length) },
      ],
    });
    return name;
  }

  /** A shared small int64 constant (shapes, axes), created once per distinct value. */
  ints(values: readonly number[], scalar = false): string {
    const key = `i:${scalar ? 's' : 'v'}:${values.join(',')}`;
    let name = this.constCache.get(key);
    if (!name) {
      name = this.fresh(`const_i64_${this.constCache.size}`);
      this.int64Initializer(name, scalar ? [] : [values.length], values);
      this.constCache.set(key, name);
    }
    return name;
  }

  /** A shared float32 scalar constant. */
  scalar(value: number): string {
    const key = `f:${Object.is(value, -0) ? '-0' : String(value)}`;
    let name = this.constCache.get(key);
    if (!name) {
      name = this.fresh(`const_f32_${this.constCache.size}`);
      this.floatInitializer(name, [], Float32Array.of(value));
      this.constCache.set(key, name);
    }
    return name;
  }

  node(opType: string, inputs: readonly string[], options: { outputs?: string[]; attributes?: Record<string, AttributeValue>; domain?: string } = {}): string[] {
    const index = this.nodeCount++;
    const outputs = options.outputs ?? [this.fresh(`${opType.toLowerCase()}_${index}`)];
    for (const o of outputs) this.claim(o);
    const attrs = Object.entries(options.attributes ?? {}).map(([k, v]) => attribute(k, v));
    this.nodes.push({ name: `${opType}_${index}`, opType, input: [...inputs], output: outputs, attribute: attrs, domain: options.domain });
    return outputs;
  }

  op(opType: string, inputs: readonly string[], attributes?: Record<string, AttributeValue>, output?: string): string {
    return this.node(opType, inputs, { attributes, outputs: output ? [output] : undefined })[0];
  }

  get nodeTotal(): number {
    return this.nodeCount;
  }

  toBytes(): Uint8Array {
    for (const o of this.outputs) {
      if (!this.names.has(o.name ?? '')) throw new Error(`output ${o.name} of graph ${this.options.name} is not produced by any node`);
    }
    const model = onnx.ModelProto.create({
      irVersion: NOVA_IR_VERSION,
      producerName: this.options.producerName ?? 'genbench',
      producerVersion: '1',
      docString: this.options.docString ?? '',
      // Contrib domains (e.g. com.microsoft) are declared only when a node uses one.
      opsetImport: [{ domain: '', version: this.options.opset ?? NOVA_OPSET }, ...[...new Set(this.nodes.map((n) => n.domain).filter((d): d is string => !!d))].sort().map((domain) => ({ domain, version: 1 }))],
      graph: { name: this.options.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs },
    });
    const err = onnx.ModelProto.verify(model);
    if (err) throw new Error(`invalid ModelProto for ${this.options.name}: ${err}`);
    return onnx.ModelProto.encode(model).finish();
  }
}
