/**
 * Upstream prompt text the goldens refer to as `{{tag:i}}` tokens instead of carrying it
 * (tools/parity/parity_common.py `mask_upstream_text`): read from the pinned prompt files
 * (tests/helpers/upstream-files.ts: GENBENCH_TEST_PROMPTS_DIR or the genbench prompt cache) and
 * substituted back, so a golden compares exactly as the official run wrote it. Tests that need
 * them skip with `upstreamPrompts(...).skip` when the files are absent.
 */
import { COCO_CLASS_NAMES } from '../../src/suites/geneval/coco-class-names.ts';
import { readUpstreamFile, upstreamPrompts } from './upstream-files.ts';

export const VBENCH_FULL_INFO = 'vbench/vbench/VBench_full_info.json';
export const GENEVAL_METADATA = 'geneval/prompts/evaluation_metadata.jsonl';
export const GENEVAL_CLASSES = 'geneval/evaluation/object_names.txt';

/** Skip reason (or false) for tests using the functions below. */
export const upstreamTextSkip = {
  vbench: upstreamPrompts(VBENCH_FULL_INFO).skip,
  geneval: upstreamPrompts(GENEVAL_METADATA, GENEVAL_CLASSES).skip,
  genevalClasses: upstreamPrompts(GENEVAL_CLASSES).skip,
};

/** VBench_full_info.json prompts tagged temporal_flickering, in file order (static_filter's scope). */
export function vbenchTemporalFlickeringPrompts(): string[] {
  const info = JSON.parse(readUpstreamFile(VBENCH_FULL_INFO)) as { prompt_en: string; dimension: string[] }[];
  return info.filter((e) => e.dimension.includes('temporal_flickering')).map((e) => e.prompt_en);
}

/** GenEval's benchmark prompts: the `prompt` of each line of prompts/evaluation_metadata.jsonl. */
export function genevalPrompts(): string[] {
  return readUpstreamFile(GENEVAL_METADATA)
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { prompt: string }).prompt);
}

/**
 * GenEval's 80 detector class names (evaluation/object_names.txt), in class-index order: the pinned
 * file when present, else genbench's built-in copy, which is the same list (tests/geneval/
 * offline-prompts.test.ts checks that its text has the pinned file's sha256).
 */
export function genevalClassNames(): string[] {
  if (upstreamTextSkip.genevalClasses) return [...COCO_CLASS_NAMES];
  return readUpstreamFile(GENEVAL_CLASSES).split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Replace `{{tag:i}}` by `tables[tag][i]` in every string and key of `value`. */
export function expandUpstreamText<T>(value: T, tables: Record<string, readonly string[]>): T {
  const expand = (s: string): string =>
    s.replace(/\{\{([a-z-]+):(\d+)\}\}/g, (m, tag: string, i: string) => {
      const t = tables[tag]?.[Number(i)];
      if (t === undefined) throw new Error(`golden token ${m} has no upstream text`);
      return t;
    });
  const walk = (x: unknown): unknown => {
    if (typeof x === 'string') return expand(x);
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [expand(k), walk(v)]));
    return x;
  };
  return walk(value) as T;
}
