import { cpus, hostname, platform, arch, totalmem } from 'node:os';
import { sha256Hex, stableStringify } from './hash.ts';
import { toolInfo } from './tool-info.ts';
import type { Shard } from './shard.ts';

export interface PromptSetInfo {
  name: string;
  sha256: string;
  count: number;
  source?: string;
  /** Set when the checks against the pinned prompt file did not run (offline GenEval: "skipped (…)"). */
  promptCheck?: string;
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
  /** The whole sample set before sharding: count and sha256 over sorted (id, content sha256). */
  samples: { count: number; sha256: string } | null;
  /** Samples each dimension expects over the whole set (before sharding), found or not. */
  expected?: Record<string, number>;
  generator: GeneratorInfo | null;
  models: Record<string, ModelInfo>;
  /** Per dimension: its settings, `models`, and (dimensions made by defineDimension) `notes` and `previousSettingsSha256`; see dimensionEntry. */
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
  /** True when some record of the run was scored with a fixture model (set by merge from its shards). */
  smoke?: boolean;
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
    samples: p.samples,
    generator: p.generator,
    models: Object.fromEntries(Object.entries(p.models).map(([k, v]) => [k, v.sha256])),
    dimensions: Object.fromEntries(Object.entries(p.dimensions).map(([k, v]) => [k, measuredPart(v)])),
    aggregation: p.aggregation,
  };
}

export function shardField(s: Shard | undefined): Provenance['shard'] {
  return s ? { index: s.index, count: s.count } : null;
}

/** Digest of a sample set: independent of listing order, sensitive to names and bytes. */
export function samplesDigest(samples: readonly { id: string; contentSha256: string }[]): { count: number; sha256: string } {
  const lines = samples.map((s) => `${s.id}\t${s.contentSha256}`).sort();
  return { count: samples.length, sha256: sha256Hex(lines.join('\n')) };
}

/** A fresh provenance for an evaluation run (before `RunDir.open` merges it with an existing one). */
export function evaluationProvenance(o: {
  suite: string;
  mode: string;
  promptSet: PromptSetInfo | null;
  samples: readonly { id: string; contentSha256: string }[];
  expected: Record<string, number>;
  generator?: GeneratorInfo | null;
  models: Record<string, ModelInfo>;
  dimensions: readonly DimensionEntrySource[];
  executionProvider: string;
  shard: Shard | undefined;
  versions?: Record<string, string>;
  command: string[];
}): Provenance {
  return {
    schema: 1,
    tool: toolInfo(),
    suite: o.suite,
    mode: o.mode,
    promptSet: o.promptSet,
    samples: samplesDigest(o.samples),
    expected: o.expected,
    generator: o.generator ?? null,
    models: o.models,
    dimensions: Object.fromEntries(o.dimensions.map((d) => [d.id, dimensionEntry(d)])),
    aggregation: 'single-process',
    executionProvider: o.executionProvider,
    shard: shardField(o.shard),
    host: hostInfo(),
    versions: o.versions ?? {},
    command: o.command,
    startedAt: new Date().toISOString(),
    finishedAt: null,
  };
}

/** What a run.json dimension entry is made of (a core Dimension has these fields). */
export interface DimensionEntrySource {
  id: string;
  settings: Record<string, unknown>;
  models: readonly string[];
  notes?: Record<string, unknown>;
  previousSettings?: Record<string, unknown>;
}

/**
 * A dimension's entry in run.json: its settings (what changes numbers) at the top level as before,
 * `models`, its `notes` (descriptions, never compared) and, for a dimension that existed before
 * settings and notes were split, `previousSettingsSha256`: the sha256 of the settings object it
 * recorded then (stable JSON), so that an entry written then still matches (dimensionEntriesAgree).
 */
export function dimensionEntry(d: DimensionEntrySource): Record<string, unknown> {
  return {
    ...d.settings,
    models: [...d.models],
    ...(d.notes !== undefined ? { notes: d.notes } : {}),
    ...(d.previousSettings !== undefined ? { previousSettingsSha256: sha256Hex(stableStringify(d.previousSettings)) } : {}),
  };
}

/** The part of a run.json dimension entry that says what was measured: all but the notes and the previous-settings digest. */
export function measuredPart(entry: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { notes: _notes, previousSettingsSha256: _previous, ...measured } = entry;
  return measured;
}

/**
 * Whether two run.json entries of a dimension describe the same measurement: same settings and
 * models (notes aside), or one entry written before settings and notes were split (its settings
 * then held the descriptions too, and it has no `notes`) whose settings are the other entry's
 * previous settings (`previousSettingsSha256`) with the same models.
 */
export function dimensionEntriesAgree(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  if (stableStringify(measuredPart(a)) === stableStringify(measuredPart(b))) return true;
  return writtenBefore(a, b) || writtenBefore(b, a);
}

/** `old` is an entry written before the split whose settings are `current`'s previous settings. */
function writtenBefore(old: Readonly<Record<string, unknown>>, current: Readonly<Record<string, unknown>>): boolean {
  const digest = current['previousSettingsSha256'];
  if (typeof digest !== 'string' || 'notes' in old || 'previousSettingsSha256' in old) return false;
  const { models, ...settings } = old;
  return sha256Hex(stableStringify(settings)) === digest && stableStringify(models) === stableStringify(current['models']);
}
