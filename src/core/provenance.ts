import { cpus, hostname, platform, arch, totalmem } from 'node:os';
import { toolInfo } from './tool-info.ts';
import type { Shard } from './shard.ts';

export interface PromptSetInfo {
  name: string;
  sha256: string;
  count: number;
  source?: string;
}

export interface ModelInfo {
  sha256: string;
  files?: Record<string, string>;
  fixture?: boolean;
}

export interface GeneratorInfo {
  id: string;
  settings: Record<string, unknown>;
  seeds?: number[] | { base: number; rule: string };
}

/**
 * Everything needed to say where a number came from. The `comparable` part decides whether two
 * runs (or two shards) measure the same thing; the rest describes where and when.
 */
export interface Provenance {
  schema: 1;
  tool: ReturnType<typeof toolInfo>;
  suite: string;
  mode: string;
  promptSet: PromptSetInfo | null;
  generator: GeneratorInfo | null;
  models: Record<string, ModelInfo>;
  dimensions: Record<string, Record<string, unknown>>;
  /** VBench multi-GPU aggregation differs for some dimensions; we always aggregate as one process. */
  aggregation: 'single-process';
  executionProvider: string;
  shard: { index: number; count: number } | null;
  host: { hostname: string; platform: string; arch: string; cpus: number; cpuModel: string; memoryBytes: number; node: string };
  versions: Record<string, string>;
  command: string[];
  startedAt: string;
  finishedAt: string | null;
}

export function hostInfo(): Provenance['host'] {
  const c = cpus();
  return {
    hostname: hostname(),
    platform: platform(),
    arch: arch(),
    cpus: c.length,
    cpuModel: c[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    node: process.version,
  };
}

/** The fields that must agree for runs/shards to be compared or merged. */
export function comparablePart(p: Provenance): Record<string, unknown> {
  return {
    suite: p.suite,
    mode: p.mode,
    promptSet: p.promptSet ? { name: p.promptSet.name, sha256: p.promptSet.sha256 } : null,
    generator: p.generator,
    models: Object.fromEntries(Object.entries(p.models).map(([k, v]) => [k, v.sha256])),
    dimensions: p.dimensions,
    aggregation: p.aggregation,
  };
}

export function shardField(s: Shard | undefined): Provenance['shard'] {
  return s ? { index: s.index, count: s.count } : null;
}
