/** tests/golden/nova-sampler.json (made by tools/parity/nova_sampler_golden.py from the official code), typed loosely. */
import { readFileSync } from 'node:fs';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;
export const novaGolden: Json = JSON.parse(readFileSync(new URL('../golden/nova-sampler.json', import.meta.url), 'utf8'));

/** Largest |a−b| / max(|b|, floor) over two equal-length arrays (floor keeps near-zero values absolute). */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-6): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), floor));
  return m;
}
