/**
 * The prompt sets a generation run draws, from the pinned prompt files (prompt-files.ts), one
 * loader per set id (PROMPT_SETS):
 * - vbench: the distinct `prompt_en` of VBench_full_info.json in file order (what VBench's
 *   standard mode looks up as `{prompt}-{i}.mp4`; a prompt listed under two dimensions is one
 *   set of files); the rewritten text is NOVA's `dense_prompt` for that prompt
 *   (evaluations/vbench/prompts.json; where NOVA lists a prompt twice, its first entry).
 * - geneval: the 553 lines of GenEval's evaluation_metadata.jsonl, in order (folder NNNNN is
 *   line NNNNN, its metadata.jsonl that line); rewritten: NOVA's evaluations/geneval/prompts.json
 *   entry of the same index, whose `prompt` must be the same text.
 * - prompt: one prompt given on the command line (no rewritten variant).
 */
import { GenbenchError } from '../core/errors.ts';
import type { PromptSetInfo } from '../core/provenance.ts';
import { loadPromptFile } from './prompt-files.ts';

/** What a generation run draws its prompts from (and lays its samples out for): a benchmark's prompt set, or one prompt. */
export type GenerationSuite = 'vbench' | 'geneval' | 'prompt';
/** The benchmark prompt sets (`--suite`). */
export type BenchmarkSuite = Exclude<GenerationSuite, 'prompt'>;
/** `original`: the benchmark's prompt; `rewritten`: NOVA's dense rewrite of it (the samples are named after the original either way). */
export type PromptVariant = 'original' | 'rewritten';

export interface GenerationPrompt {
  /** Position in the suite's list (VBench: among distinct prompts; GenEval: metadata line). */
  index: number;
  /** The benchmark prompt: what samples are named after. */
  prompt: string;
  /** The text encoded (the rewritten prompt for `rewritten`). */
  used: string;
  /** GenEval: the metadata object written to NNNNN/metadata.jsonl. */
  metadata?: Record<string, unknown>;
}

export interface PromptSet {
  prompts: GenerationPrompt[];
  /** Files the prompts came from (for provenance). */
  sources: PromptSetInfo[];
}

const FULL_INFO = 'vbench/vbench/VBench_full_info.json';
const NOVA_VBENCH = 'nova/evaluations/vbench/prompts.json';
const GENEVAL_METADATA = 'geneval/prompts/evaluation_metadata.jsonl';
const NOVA_GENEVAL = 'nova/evaluations/geneval/prompts.json';

interface NovaEntry {
  prompt: string;
  dense_prompt: string;
}

function novaEntries(entries: unknown[], name: string): NovaEntry[] {
  return entries.map((e, i) => {
    const o = e as Partial<NovaEntry>;
    if (typeof o?.prompt !== 'string' || typeof o.dense_prompt !== 'string') throw new GenbenchError('E_PROMPTS', `${name} entry ${i} has no prompt/dense_prompt strings`, 'the pinned file is damaged: fetch it again');
    return o as NovaEntry;
  });
}

export interface PromptSetOptions {
  promptsDir?: string;
  /** The text of a one-prompt set. */
  prompt?: string;
}

async function onePrompt(variant: PromptVariant, opts: PromptSetOptions): Promise<PromptSet> {
  if (variant === 'rewritten') throw new GenbenchError('E_USAGE', '--prompt-variant rewritten needs a benchmark prompt set (NOVA rewrote the VBench and GenEval prompts only)', 'drop --prompt-variant, or use --suite vbench|geneval');
  const p = opts.prompt ?? '';
  if (p.trim() === '') throw new GenbenchError('E_USAGE', '--prompt is empty', 'pass the text to generate from');
  return { prompts: [{ index: 0, prompt: p, used: p }], sources: [] };
}

async function vbenchPrompts(variant: PromptVariant, opts: PromptSetOptions): Promise<PromptSet> {
  const o = { promptsDir: opts.promptsDir };
  const info = await loadPromptFile(FULL_INFO, o);
  const seen = new Set<string>();
  const texts: string[] = [];
  for (const e of info.entries) {
    const t = (e as { prompt_en?: unknown }).prompt_en;
    if (typeof t !== 'string') throw new GenbenchError('E_PROMPTS', `${FULL_INFO}: an entry has no prompt_en`, 'the pinned file is damaged: fetch it again');
    if (!seen.has(t)) texts.push(t);
    seen.add(t);
  }
  const sources: PromptSetInfo[] = [{ name: info.name, sha256: info.sha256, count: texts.length, source: 'vbench' }];
  let dense = new Map<string, string>();
  if (variant === 'rewritten') {
    const nova = await loadPromptFile(NOVA_VBENCH, o);
    sources.push({ name: nova.name, sha256: nova.sha256, count: nova.entries.length, source: 'nova' });
    dense = new Map();
    for (const e of novaEntries(nova.entries, nova.name)) if (!dense.has(e.prompt)) dense.set(e.prompt, e.dense_prompt);
    const missing = texts.find((t) => !dense.has(t));
    if (missing) throw new GenbenchError('E_PROMPTS', `NOVA's rewritten prompts have no entry for the VBench prompt "${missing}"`, 'the pinned files disagree: report it');
  }
  return { prompts: texts.map((t, index) => ({ index, prompt: t, used: variant === 'rewritten' ? dense.get(t)! : t })), sources };
}

async function genevalPrompts(variant: PromptVariant, opts: PromptSetOptions): Promise<PromptSet> {
  const o = { promptsDir: opts.promptsDir };
  const meta = await loadPromptFile(GENEVAL_METADATA, o);
  const sources: PromptSetInfo[] = [{ name: meta.name, sha256: meta.sha256, count: meta.entries.length, source: 'geneval' }];
  let nova: NovaEntry[] | null = null;
  if (variant === 'rewritten') {
    const f = await loadPromptFile(NOVA_GENEVAL, o);
    sources.push({ name: f.name, sha256: f.sha256, count: f.entries.length, source: 'nova' });
    nova = novaEntries(f.entries, f.name);
  }
  const prompts = meta.entries.map((e, index) => {
    const m = e as Record<string, unknown>;
    if (typeof m.prompt !== 'string') throw new GenbenchError('E_PROMPTS', `${GENEVAL_METADATA} line ${index} has no prompt`, 'the pinned file is damaged: fetch it again');
    let used = m.prompt;
    if (nova) {
      const n = nova[index];
      if (!n || n.prompt !== m.prompt) throw new GenbenchError('E_PROMPTS', `NOVA's GenEval prompt ${index} is not GenEval's "${m.prompt}"`, 'the pinned files disagree: report it');
      used = n.dense_prompt;
    }
    return { index, prompt: m.prompt, used, metadata: m };
  });
  return { prompts, sources };
}

/** The loader of each prompt set. A new suite adds its loader here (and its sample layout in src/generate/outputs/sample-layouts.ts). */
export const PROMPT_SETS: Readonly<Record<GenerationSuite, (variant: PromptVariant, opts: PromptSetOptions) => Promise<PromptSet>>> = {
  vbench: vbenchPrompts,
  geneval: genevalPrompts,
  prompt: onePrompt,
};

/** The benchmark prompt sets a run can generate for (`--suite`), in the table's order. */
export const BENCHMARK_SUITES: readonly BenchmarkSuite[] = Object.keys(PROMPT_SETS).filter((s): s is BenchmarkSuite => s !== 'prompt');

export function isBenchmarkSuite(s: string): s is BenchmarkSuite {
  return (BENCHMARK_SUITES as readonly string[]).includes(s);
}

/** The prompts of a set, in its order, and the files they came from. */
export function loadPromptSet(suite: GenerationSuite, variant: PromptVariant, opts: PromptSetOptions): Promise<PromptSet> {
  return PROMPT_SETS[suite](variant, opts);
}
