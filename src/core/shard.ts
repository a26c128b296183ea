import { GenbenchError } from './errors.ts';
import { sha256Hex } from './hash.ts';

export interface Shard {
  index: number; // 0-based
  count: number;
}

/** Parse `I/N` (1-based I, as users and Kubernetes' JOB_COMPLETION_INDEX+1 give it). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new GenbenchError('E_USAGE', `--shard must look like I/N (for example 2/8), got "${text}"`);
  const i = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || i < 1 || i > n) {
    throw new GenbenchError('E_USAGE', `--shard ${text}: need 1 ≤ I ≤ N`, 'shards are numbered from 1');
  }
  return { index: i - 1, count: n };
}

export function formatShard(s: Shard): string {
  return `${s.index + 1}/${s.count}`;
}

/**
 * Which shard owns a unit of work (a prompt). Assignment hashes the unit's id, so it is stable
 * whatever the order or the subset of units, and all samples of one prompt land on one shard.
 */
export function shardOf(unitId: string, count: number): number {
  if (count === 1) return 0;
  const h = sha256Hex(unitId);
  // 48 bits of the hash, uniformly reduced.
  return Number(BigInt(`0x${h.slice(0, 12)}`) % BigInt(count));
}

export function inShard(unitId: string, shard: Shard | undefined): boolean {
  return shard === undefined || shardOf(unitId, shard.count) === shard.index;
}
