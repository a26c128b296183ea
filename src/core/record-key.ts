import { sha256Hex, stableStringify } from './hash.ts';

/**
 * Resume key of one (sample, dimension) score. It covers everything that changes the result:
 * the sample's bytes, the dimension, the hashes of the models used and the dimension's settings.
 * A changed file, model or setting gives a new key, so a stale score is never reused.
 */
export function recordKey(parts: {
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
