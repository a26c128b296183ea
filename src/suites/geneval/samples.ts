/**
 * GenEval sample folders as the official tools lay them out (spec §1.3, §3.1):
 * `DIR/<index>/metadata.jsonl` (one JSON object: line <index> of evaluation_metadata.jsonl) and
 * `DIR/<index>/samples/<n>.png`. The official evaluator takes every all-digit folder and every
 * `samples/` file whose name starts with `\d+\.png`; it scores whatever it finds and trusts the
 * folder's metadata. We list the same files, and in addition say what it would silently accept:
 * a folder whose metadata differs from the pinned prompt of that index, unknown class names,
 * a prompt folder without `samples/`, and coverage against 553 prompts × 4 images.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GenbenchError, isGenbenchError } from '../../core/errors.ts';
import { sha256Hex } from '../../core/hash.ts';
import { loadPromptFile, resolvePromptFile } from '../../prompts/prompt-files.ts';
import { COCO_CLASS_NAMES } from './coco-class-names.ts';
import type { GenevalMetadata } from './task-checks.ts';

export const GENEVAL_IMAGES_PER_PROMPT = 4;

export interface GenevalSample {
  /** `00012/samples/00003.png` */
  id: string;
  path: string;
  promptIndex: number;
  imageIndex: number;
  metadata: GenevalMetadata;
}

export interface GenevalFolderProblem {
  folder: string;
  reason: string;
}

export interface GenevalListing {
  samples: GenevalSample[];
  /** Folders the run cannot score as the official prompt set says (each a named problem). */
  problems: GenevalFolderProblem[];
  /** Prompt indices with no folder, and prompts with fewer than 4 images. */
  missingPrompts: number[];
  shortPrompts: { index: number; images: number }[];
  expectedImages: number;
}

/** `evaluation_metadata.jsonl`: one prompt per line, in index order. */
export function parseGenevalMetadata(text: string, source: string): GenevalMetadata[] {
  const out: GenevalMetadata[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new GenbenchError('E_PROMPTS', `${source}: line ${i + 1} is not valid JSON (${(e as Error).message})`);
    }
    const m = v as GenevalMetadata;
    if (typeof m !== 'object' || m === null || typeof m.tag !== 'string' || !Array.isArray(m.include)) {
      throw new GenbenchError('E_PROMPTS', `${source}: line ${i + 1} has no tag/include`, 'is this GenEval\'s evaluation_metadata.jsonl?');
    }
    out.push(m);
  });
  return out;
}

/** Deep equality of JSON values (key order ignored), as Python compares parsed JSON. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => sameJson(x, (b as unknown[])[i]));
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const SAMPLE_NAME = /^\d+\.png/;

/**
 * List a GenEval sample folder. `prompts` = the pinned evaluation_metadata.jsonl, `classes` = the
 * 80 detector class names (object_names.txt).
 */
export function listGenevalSamples(o: { imagesDir: string; prompts: readonly (GenevalMetadata | undefined)[]; classes: readonly string[] }): GenevalListing {
  let entries: string[];
  try {
    entries = readdirSync(o.imagesDir);
  } catch {
    throw new GenbenchError('E_NOT_FOUND', `images folder not found: ${o.imagesDir}`, 'give the folder holding 00000/ … 00552/');
  }
  const known = new Set(o.classes);
  const samples: GenevalSample[] = [];
  const problems: GenevalFolderProblem[] = [];
  const imagesPerPrompt = new Map<number, number>();
  // Folders that exist, usable or not: one with a problem is reported as such, never as absent.
  const present = new Set<number>();
  const folders = entries.filter((e) => /^\d+$/.test(e) && statSync(join(o.imagesDir, e)).isDirectory()).sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  if (folders.length === 0) {
    throw new GenbenchError('E_INPUT', `no prompt folders (00000/, 00001/, …) in ${o.imagesDir}`, 'lay the images out as GenEval does: DIR/<index>/metadata.jsonl and DIR/<index>/samples/<n>.png');
  }
  for (const folder of folders) {
    const dir = join(o.imagesDir, folder);
    const index = Number(folder);
    present.add(index);
    let metadata: GenevalMetadata;
    try {
      metadata = JSON.parse(readFileSync(join(dir, 'metadata.jsonl'), 'utf8')) as GenevalMetadata;
    } catch (e) {
      problems.push({ folder, reason: `metadata.jsonl missing or not one JSON object (${(e as Error).message})` });
      continue;
    }
    const expected = o.prompts[index];
    if (!expected) {
      problems.push({ folder, reason: `no GenEval prompt has index ${index} (there are ${o.prompts.length})` });
      continue;
    }
    if (!sameJson(metadata, expected)) {
      problems.push({ folder, reason: `metadata.jsonl differs from GenEval prompt ${index} ("${expected.prompt}"); was the folder renumbered?` });
      continue;
    }
    const unknown = [...(metadata.include ?? []), ...(metadata.exclude ?? [])].map((c) => c.class).filter((c) => !known.has(c));
    if (unknown.length > 0) {
      problems.push({ folder, reason: `unknown class name(s) ${unknown.map((c) => `"${c}"`).join(', ')}` });
      continue;
    }
    let files: string[];
    try {
      files = readdirSync(join(dir, 'samples'));
    } catch {
      problems.push({ folder, reason: 'no samples/ folder' });
      continue;
    }
    const images = files.filter((f) => SAMPLE_NAME.test(f) && statSync(join(dir, 'samples', f)).isFile()).sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b));
    for (const f of images) {
      samples.push({ id: `${folder}/samples/${f}`, path: join(dir, 'samples', f), promptIndex: index, imageIndex: parseInt(f, 10), metadata });
    }
    imagesPerPrompt.set(index, (imagesPerPrompt.get(index) ?? 0) + images.length);
  }
  const missingPrompts: number[] = [];
  const shortPrompts: { index: number; images: number }[] = [];
  for (let i = 0; i < o.prompts.length; i++) {
    const n = imagesPerPrompt.get(i);
    if (n === undefined) {
      if (!present.has(i)) missingPrompts.push(i);
    } else if (n < GENEVAL_IMAGES_PER_PROMPT) shortPrompts.push({ index: i, images: n });
  }
  return { samples, problems, missingPrompts, shortPrompts, expectedImages: o.prompts.length * GENEVAL_IMAGES_PER_PROMPT };
}

/** How the prompt checks ran: against the pinned evaluation_metadata.jsonl, or skipped (offline). */
export interface GenevalPromptSource {
  /** Indexed by prompt index; holes where no folder says (offline). */
  prompts: (GenevalMetadata | undefined)[];
  classNames: string[];
  promptSet: { name: string; sha256: string; count: number; promptCheck?: string };
  /** Set when the pinned prompt file was unavailable and each folder's metadata.jsonl was trusted. */
  offline?: string;
}

/**
 * The prompts of an offline run, from each folder's metadata.jsonl as the official evaluator reads
 * them (it never opens evaluation_metadata.jsonl): index → metadata, `count` entries long.
 */
export function genevalPromptsFromFolders(imagesDir: string, count: number): (GenevalMetadata | undefined)[] {
  const prompts: (GenevalMetadata | undefined)[] = new Array<GenevalMetadata | undefined>(count).fill(undefined);
  let entries: string[];
  try {
    entries = readdirSync(imagesDir);
  } catch {
    throw new GenbenchError('E_NOT_FOUND', `images folder not found: ${imagesDir}`, 'give the folder holding 00000/ … 00552/');
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const m = JSON.parse(readFileSync(join(imagesDir, e, 'metadata.jsonl'), 'utf8')) as GenevalMetadata;
      if (typeof m === 'object' && m !== null && typeof m.tag === 'string' && Array.isArray(m.include)) {
        const i = Number(e);
        if (i >= prompts.length) prompts.length = i + 1;
        prompts[i] = m;
      }
    } catch {
      // listGenevalSamples names the folder's problem.
    }
  }
  return prompts;
}

/**
 * GenEval's prompts and class names for a run: the pinned files (from `promptsDir`, else the
 * sha256-checked cache, downloaded when missing). When no `promptsDir` was given and the download
 * fails (offline), the run goes on as the official evaluator does — each folder's metadata.jsonl
 * is trusted — with a warning and `promptCheck: "skipped (…)"` in the provenance; the class
 * names then come from the pinned file if cached, else from the built-in COCO list when its text
 * has the pinned file's sha256.
 */
export async function loadGenevalPromptSource(o: {
  imagesDir: string;
  promptsDir?: string;
  /** `--folder-prompts`: do not read the pinned prompts at all; each folder's metadata.jsonl is its prompt. */
  fromFolders?: boolean;
  log: (line: string) => void;
  metadataFile: string;
  classesFile: string;
}): Promise<GenevalPromptSource> {
  const offline = (e: unknown): boolean => o.promptsDir === undefined && isGenbenchError(e, 'E_DOWNLOAD');
  let classNames: string[];
  try {
    const classes = await loadPromptFile(o.classesFile, { promptsDir: o.promptsDir });
    classNames = classes.text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  } catch (e) {
    if (!offline(e)) throw e;
    const spec = resolvePromptFile(o.classesFile);
    if (sha256Hex(Buffer.from(`${COCO_CLASS_NAMES.join('\n')}\n`)) !== spec.sha256) throw e;
    classNames = [...COCO_CLASS_NAMES];
  }
  const spec = resolvePromptFile(o.metadataFile);
  let why: string;
  if (o.fromFolders) why = '--folder-prompts';
  else {
    try {
      const metadata = await loadPromptFile(o.metadataFile, { promptsDir: o.promptsDir });
      return { prompts: parseGenevalMetadata(metadata.text, metadata.path), classNames, promptSet: { name: metadata.name, sha256: metadata.sha256, count: metadata.entries.length } };
    } catch (e) {
      if (!offline(e)) throw e;
      why = `the pinned ${spec.name} is not cached and could not be downloaded (${(e as Error).message.split('\n')[0]})`;
    }
  }
  {
    // A set of one's own (--folder-prompts) is as long as its folders say; offline, the pinned set's length.
    const prompts = genevalPromptsFromFolders(o.imagesDir, o.fromFolders ? 0 : spec.count);
    const lines = prompts.map((m, i) => (m ? `${i}\t${JSON.stringify(m)}` : '')).filter(Boolean).join('\n');
    o.log(
      o.fromFolders
        ? `note (--folder-prompts): scoring from each folder's metadata.jsonl as the official evaluator does; not checked against the pinned GenEval prompts`
        : `warning: ${why}; scoring from each folder's metadata.jsonl as the official evaluator does — the checks against the pinned prompts are skipped (run \`genbench prompts fetch\` online, or pass --prompts-dir DIR, to check them)`,
    );
    return {
      prompts,
      classNames,
      promptSet: { name: `${spec.name} (folder metadata)`, sha256: sha256Hex(Buffer.from(lines)), count: prompts.length, promptCheck: `skipped (${why}; each folder's metadata.jsonl was used)` },
      offline: why,
    };
  }
}
