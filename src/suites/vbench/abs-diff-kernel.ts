/**
 * Sum of |a[i] − b[i]| over uint8 buffers: the hot loop of temporal_flickering. A small
 * WebAssembly SIMD function does 16 bytes per step (|a−b| = sat(a−b) | sat(b−a), then widening
 * pairwise adds); a plain loop is the fallback where WebAssembly SIMD is unavailable. Both are
 * exact integer sums, so they agree bit for bit (tested).
 */

/** The plain-JavaScript sum over [start, end) (exact). */
export function absDiffSumJs(a: Uint8Array, b: Uint8Array, start: number, end: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = start;
  for (const end2 = end - 1; i < end2; i += 2) {
    const d0 = a[i]! - b[i]!;
    const d1 = a[i + 1]! - b[i + 1]!;
    s0 += d0 < 0 ? -d0 : d0;
    s1 += d1 < 0 ? -d1 : d1;
  }
  if (i < end) {
    const d = a[i]! - b[i]!;
    s0 += d < 0 ? -d : d;
  }
  return s0 + s1;
}

// --- WebAssembly module, assembled here (no toolchain needed) --------------------------------

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

// Opcodes (WebAssembly core + fixed-width SIMD).
const I32 = 0x7f;
const V128 = 0x7b;
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32c = (v: number) => [0x41, v & 0x7f]; // small non-negative constants, or -16 (0x70)
const SIMD = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
const V128_LOAD = SIMD(0x00, 0, 0);
const I8X16_SUB_SAT_U = SIMD(0x73);
const V128_OR = SIMD(0x50);
const I16X8_EXTADD_PAIRWISE_I8X16_U = SIMD(0x7d);
const I32X4_EXTADD_PAIRWISE_I16X8_U = SIMD(0x7f);
const I32X4_ADD = SIMD(0xae);
const lane = (l: number) => SIMD(0x1b, l);
const [I32_ADD, I32_SUB, I32_AND, I32_LT_S, I32_GE_U, I32_LOAD8_U, SELECT] = [0x6a, 0x6b, 0x71, 0x48, 0x4f, 0x2d, 0x1b];
const [BLOCK, LOOP, END, BR, BR_IF, VOID] = [0x02, 0x03, 0x0b, 0x0c, 0x0d, 0x40];

// sad(a: i32, b: i32, n: i32) -> i32 over memory[a..a+n) and memory[b..b+n).
// Locals: 3 acc (v128), 4 end, 5 sum.
const advance = (p: number, by: number) => [...get(p), ...i32c(by), I32_ADD, ...set(p)];
const body = [
  0x02, 0x01, V128, 0x02, I32,
  ...get(0), ...get(2), 0x41, 0x70 /* -16 */, I32_AND, I32_ADD, ...set(4),
  BLOCK, VOID, LOOP, VOID,
  ...get(0), ...get(4), I32_GE_U, BR_IF, 1,
  ...get(0), ...V128_LOAD, ...get(1), ...V128_LOAD, ...I8X16_SUB_SAT_U,
  ...get(1), ...V128_LOAD, ...get(0), ...V128_LOAD, ...I8X16_SUB_SAT_U,
  ...V128_OR, ...I16X8_EXTADD_PAIRWISE_I8X16_U, ...I32X4_EXTADD_PAIRWISE_I16X8_U,
  ...get(3), ...I32X4_ADD, ...set(3),
  ...advance(0, 16), ...advance(1, 16),
  BR, 0, END, END,
  ...get(3), ...lane(0), ...get(3), ...lane(1), I32_ADD, ...get(3), ...lane(2), I32_ADD, ...get(3), ...lane(3), I32_ADD, ...set(5),
  ...get(4), ...get(2), ...i32c(15), I32_AND, I32_ADD, ...set(4),
  BLOCK, VOID, LOOP, VOID,
  ...get(0), ...get(4), I32_GE_U, BR_IF, 1,
  ...get(0), I32_LOAD8_U, 0, 0, ...get(1), I32_LOAD8_U, 0, 0, I32_SUB, ...set(2),
  ...i32c(0), ...get(2), I32_SUB, ...get(2), ...get(2), ...i32c(0), I32_LT_S, SELECT,
  ...get(5), I32_ADD, ...set(5),
  ...advance(0, 1), ...advance(1, 1),
  BR, 0, END, END,
  ...get(5), END,
];
const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [0x01, 0x60, 0x03, I32, I32, I32, 0x01, I32]),
  ...section(2, [0x01, ...name('m'), ...name('mem'), 0x02, 0x00, 0x01]),
  ...section(3, [0x01, 0x00]),
  ...section(7, [0x01, ...name('sad'), 0x00, 0x00]),
  ...section(10, [0x01, ...uleb(body.length), ...body]),
]);

const PAGE = 65536;
let compiled: WebAssembly.Module | undefined;

/**
 * Two frame slots in WebAssembly memory; `load` copies a frame into a slot, `sum` adds up
 * |slot0 − slot1| over a byte range.
 */
export class SimdAbsDiff {
  private readonly memory: WebAssembly.Memory;
  private readonly sad: (a: number, b: number, n: number) => number;
  private slotBytes = 0;

  private constructor(memory: WebAssembly.Memory, sad: (a: number, b: number, n: number) => number) {
    this.memory = memory;
    this.sad = sad;
  }

  /** null where WebAssembly SIMD is not available. */
  static create(): SimdAbsDiff | null {
    try {
      compiled ??= new WebAssembly.Module(MODULE);
      const memory = new WebAssembly.Memory({ initial: 1 });
      const instance = new WebAssembly.Instance(compiled, { m: { mem: memory } });
      return new SimdAbsDiff(memory, instance.exports.sad as (a: number, b: number, n: number) => number);
    } catch {
      return null;
    }
  }

  /** Copy `data` into slot 0 or 1 (slots grow to the largest frame seen). */
  load(slot: 0 | 1, data: Uint8Array): void {
    if (data.length > this.slotBytes) {
      const slotBytes = Math.ceil(data.length / 16) * 16;
      const need = Math.ceil((2 * slotBytes) / PAGE) - this.memory.buffer.byteLength / PAGE;
      if (need > 0) this.memory.grow(need);
      this.slotBytes = slotBytes;
    }
    new Uint8Array(this.memory.buffer, slot * this.slotBytes, data.length).set(data);
  }

  /** Σ |slot0[i] − slot1[i]| for i in [start, end) (end − start ≤ 2^23 keeps it exact in int32). */
  sum(start: number, end: number): number {
    return this.sad(start, this.slotBytes + start, end - start);
  }
}
