/**
 * Upstream prompt text the goldens refer to as `{{tag:i}}` tokens instead of carrying it
 * (tools/parity/parity_common.py `mask_upstream_text`): read from ../shared/data/upstream and
 * substituted back, so a golden compares exactly as the official run wrote it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const UPSTREAM = fileURLToPath(new URL('../../../shared/data/upstream/', import.meta.url));

/** VBench_full_info.json prompts tagged temporal_flickering, in file order (static_filter's scope). */
export function vbenchTemporalFlickeringPrompts(): string[] {
  const info = JSON.parse(readFileSync(`${UPSTREAM}vbench/vbench/VBench_full_info.json`, 'utf8')) as { prompt_en: string; dimension: string[] }[];
  return info.filter((e) => e.dimension.includes('temporal_flickering')).map((e) => e.prompt_en);
}

/** GenEval's benchmark prompts: the `prompt` of each line of prompts/evaluation_metadata.jsonl. */
export function genevalPrompts(): string[] {
  return readFileSync(`${UPSTREAM}geneval/prompts/evaluation_metadata.jsonl`, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { prompt: string }).prompt);
}

/** GenEval's 80 detector class names (evaluation/object_names.txt), in class-index order. */
export function genevalClassNames(): string[] {
  return readFileSync(`${UPSTREAM}geneval/evaluation/object_names.txt`, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
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
