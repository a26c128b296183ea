import { sha256Hex, stableStringify } from './hash.ts';
import type { SampleRecord, SampleRef } from './contracts.ts';

/**
 * Which sample a record belongs to: its id within the run's input (the file's path relative to the
 * samples folder), its prompt, its index among the prompt's samples, and the suite's own metadata
 * for it (GenEval: the folder's metadata line). Two files with identical bytes are two samples.
 */
export interface SampleIdentity {
  sample: string;
  prompt: string;
  index?: number;
  meta?: unknown;
}

export function sampleIdentity(s: SampleRef): SampleIdentity {
  return {
    sample: s.id,
    prompt: s.prompt,
    ...(s.index !== undefined ? { index: s.index } : {}),
    ...(s.identity !== undefined ? { meta: s.identity } : s.auxiliary !== undefined ? { meta: s.auxiliary } : {}),
  };
}

/**
 * Resume key of one (sample, dimension) score. It covers the sample's identity and everything that
 * changes the result: the sample's bytes, the dimension, the hashes of the models used and the
 * dimension's settings (what changes numbers; its notes never enter). A changed file, model or
 * setting gives a new key, so a stale score is never reused; byte-identical files under different
 * names or prompts get different keys. Records keyed by a dimension's `previousSettings` (written
 * before settings and notes were split) are found by score-dimension.ts under that object.
 */
export function recordKey(parts: {
  identity: SampleIdentity;
  contentSha256: string;
  dimension: string;
  modelHashes: Record<string, string>;
  settings: Record<string, unknown>;
}): string {
  return sha256Hex(
    stableStringify({
      v: 2,
      i: parts.identity,
      c: parts.contentSha256,
      d: parts.dimension,
      m: parts.modelHashes,
      s: parts.settings,
    }),
  ).slice(0, 32);
}

/**
 * The key genbench wrote before records were identified by their sample (content, dimension, models,
 * settings only). Runs made then are still resumed: a record under this key is reused for a sample
 * only when the record names that very sample (`legacyRecordMatches`).
 */
export function legacyRecordKey(parts: {
  contentSha256: string;
  dimension: string;
  modelHashes: Record<string, string>;
  settings: Record<string, unknown>;
}): string {
  return sha256Hex(
    stableStringify({
      c: parts.contentSha256,
      d: parts.dimension,
      m: parts.modelHashes,
      s: parts.settings,
    }),
  ).slice(0, 32);
}

/** Whether a record stored under a legacy key is the record of this sample (same name, prompt, index and bytes). */
export function legacyRecordMatches(r: SampleRecord, s: SampleRef): boolean {
  return r.sample === s.id && r.prompt === s.prompt && r.index === s.index && r.contentSha256 === s.contentSha256;
}
