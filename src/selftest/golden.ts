/**
 * The goldens `genbench selftest` compares against (src/selftest/golden.json, shipped with the
 * package; written by tools/parity/selftest_golden.py from torchvision, Pillow, OpenCV and the
 * bundled ffmpeg). Arrays are stored whole, as base64 little-endian bytes, with their sha256.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { GenbenchError } from '../core/errors.ts';

export const GOLDEN_PATH = fileURLToPath(new URL('./golden.json', import.meta.url));

const Blob = {
  dtype: z.enum(['uint8', 'float32']),
  shape: z.array(z.number().int().positive()),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  data: z.string(),
};

const ResizeCase = z.object({
  library: z.string(),
  op: z.enum(['torch', 'pil', 'opencv']),
  mode: z.enum(['bilinear', 'bicubic']),
  /** Output [height, width] (torch: before the window). */
  size: z.tuple([z.number().int().positive(), z.number().int().positive()]),
  antialias: z.boolean().optional(),
  /** [top, left, height, width] of the result kept (a center crop). */
  window: z.tuple([z.number().int(), z.number().int(), z.number().int().positive(), z.number().int().positive()]).optional(),
  post: z.object({ kind: z.literal('normalize'), mean: z.array(z.number()), std: z.array(z.number()) }).optional(),
  /** Which source the kernels read: the float tensor (default) or the 8-bit RGB pixels. */
  source: z.enum(['float', 'uint8']).optional(),
  /** Largest |Δ| accepted: 0 where the kernel is bit-identical to the library, a few ulps where the project documents a bound. */
  tolerance: z.number().nonnegative(),
  ...Blob,
});

const GoldenSchema = z.object({
  generator: z.string(),
  versions: z.record(z.string(), z.string()),
  image: z.object({ width: z.number().int(), height: z.number().int(), ...Blob }),
  resize: z.record(z.string(), ResizeCase),
  video: z.object({
    lavfi: z.string(),
    encode: z.array(z.string()),
    made_by: z.string(),
    decoded_by: z.string(),
    fps: z.number(),
    frames: z.number().int().positive(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    frame_sha256: z.array(z.string()),
    ...Blob,
  }),
});

export type Golden = z.infer<typeof GoldenSchema>;
export type GoldenResizeCase = z.infer<typeof ResizeCase>;
export interface GoldenBlob {
  dtype: 'uint8' | 'float32';
  shape: number[];
  sha256: string;
  data: string;
}

/** Read and validate the golden file (E_INPUT naming the file when it is damaged). */
export function loadGolden(path = GOLDEN_PATH): Golden {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new GenbenchError('E_INPUT', `cannot read the selftest goldens ${path}: ${(e as Error).message}`, 'reinstall genbench (npm ci), or regenerate them with tools/parity/selftest_golden.py');
  }
  const r = GoldenSchema.safeParse(raw);
  if (!r.success) {
    throw new GenbenchError('E_INPUT', `the selftest goldens ${path} are malformed: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 'reinstall genbench, or regenerate them with tools/parity/selftest_golden.py');
  }
  return r.data;
}

/** The array a golden blob holds (its sha256 is checked: a damaged golden is reported, not compared against). */
export function blobValues(b: GoldenBlob, what: string): Uint8Array | Float32Array {
  const bytes = Buffer.from(b.data, 'base64');
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== b.sha256) throw new GenbenchError('E_CHECKSUM', `golden ${what} is damaged: its data hash ${sha.slice(0, 12)}… differs from the recorded ${b.sha256.slice(0, 12)}…`, 'reinstall genbench, or regenerate the goldens with tools/parity/selftest_golden.py');
  const count = b.shape.reduce((a, n) => a * n, 1);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  const values = b.dtype === 'uint8' ? copy : new Float32Array(copy.buffer, 0, copy.byteLength / 4);
  if (values.length !== count) throw new GenbenchError('E_INPUT', `golden ${what}: ${values.length} values for shape [${b.shape.join(',')}]`, 'regenerate the goldens with tools/parity/selftest_golden.py');
  return values;
}
