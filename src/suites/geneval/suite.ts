/**
 * GenEval as a Suite (core/suite-contract.ts): images in the official folder layout, six task
 * dimensions against the pinned prompts, the official evaluator's `--options`, scores.json with
 * the overall score, results.jsonl and summary.txt. The scoring code is imported when used, so
 * registering the suite costs the CLI's start nothing.
 */
import { GenbenchError } from '../../core/errors.ts';
import type { Suite, SuiteEvaluation } from '../../core/suite-contract.ts';
import { coverageText } from '../coverage.ts';
import { parseGenevalSettings, type GenevalSettings } from './options.ts';
import { GENEVAL_LAYOUT } from './report-layout.ts';
import type { GenevalPromptSource } from './samples.ts';
import { GENEVAL_TASK_ORDER } from './tasks.ts';

export const GENEVAL_METADATA_FILE = 'geneval/prompts/evaluation_metadata.jsonl';
export const GENEVAL_CLASSES_FILE = 'geneval/evaluation/object_names.txt';

/** What `genbench evaluate --suite geneval` prints: summary_scores.py's text, the overall score's state, failures, the files. */
function genevalEvaluationSummary(r: SuiteEvaluation): string {
  const lines: string[] = [];
  if (r.scores.smoke) lines.push('SMOKE RUN: fixture models with random weights — these are not real scores.');
  lines.push(`run: ${r.root}`, '', (r.summaryText ?? '').trimEnd(), '');
  const overall = r.scores.headline['overall']!;
  if (overall.value === null) lines.push(`overall: not computed (${overall.missing.join(', ')} missing; --allow-partial computes it over the tasks present)`);
  else if (overall.partial) lines.push(`overall: PARTIAL (${[overall.coverage ? `computed on ${coverageText(overall.coverage)}` : '', overall.missing.length ? `${overall.missing.join(', ')} missing` : ''].filter(Boolean).join('; ')})`);
  if (r.errorRecords.length > 0) {
    lines.push(`${r.errorRecords.length} image(s) failed (see records/*.jsonl):`);
    for (const e of r.errorRecords.slice(0, 10)) lines.push(`  ${e.sample}: ${e.error?.message}`);
  }
  lines.push(`scores: ${r.root}/scores.json · official format: ${r.exports[0]}`);
  return `${lines.join('\n')}\n`;
}

export const GENEVAL_SUITE: Suite<GenevalSettings, GenevalPromptSource> = {
  id: 'geneval',
  name: 'GenEval',
  modes: ['standard'],
  input: {
    kind: 'image',
    help: 'GenEval sample folder (NNNNN/metadata.jsonl, NNNNN/samples/NNNNN.png as the official generation script writes them; any digits)',
    missingHint: 'pass the GenEval sample folder (NNNNN/metadata.jsonl, NNNNN/samples/NNNNN.png)',
    promptFiles: "GenEval's evaluation_metadata.jsonl and object_names.txt",
    // Offline with no --prompts-dir: each folder's metadata.jsonl, the pinned-prompt checks skipped (said, and recorded).
    async loadPrompts(req) {
      const { loadGenevalPromptSource } = await import('./samples.ts');
      return loadGenevalPromptSource({
        imagesDir: req.path,
        promptsDir: req.promptsDir,
        fromFolders: req.folderPrompts,
        log: (m) => req.progress.log(m),
        metadataFile: GENEVAL_METADATA_FILE,
        classesFile: GENEVAL_CLASSES_FILE,
      });
    },
    async list(req, source) {
      return (await import('./input.ts')).listGenevalInput(req, source);
    },
  },
  dimensions: {
    ids: GENEVAL_TASK_ORDER,
    // The task ids are checked when the tasks are built (after the prompts, as the class names are).
    select(requested) {
      return { ids: [...(requested ?? GENEVAL_TASK_ORDER)], notes: [] };
    },
    async create(ids, settings, source) {
      const { createGenevalDimensions } = await import('./dimensions.ts');
      const color = settings.logits ? (await import('./clip-color-support.ts')).clipColorSupport({ logits: settings.logits }) : undefined;
      return createGenevalDimensions(ids, { classNames: source.classNames, options: settings.options, ...(color ? { color } : {}) });
    },
    async forAggregate(id) {
      return (await import('./dimensions.ts')).genevalTaskForAggregate(id);
    },
  },
  options: {
    help: "the official evaluator's options (threshold=0.3 counting_threshold=0.9 max_objects=16 max_overlap=1.0 position_threshold=0.1 by default) and logits=fp16|fp32 (colour tasks; default fp16)",
    parse: parseGenevalSettings,
  },
  scores: {
    async finalize(o) {
      return (await import('./finalize.ts')).finalizeGenevalRun(o);
    },
    headlineMembers: () => null,
  },
  officialExport: { label: 'official format', file: 'results.jsonl' },
  layout: GENEVAL_LAYOUT,
  merge: {
    async dimensionFor(id) {
      const d = (await import('./dimensions.ts')).genevalTaskForAggregate(id);
      if (!d) throw new GenbenchError('E_MERGE', `unknown GenEval task "${id}" in the shards' run.json`, `known: ${GENEVAL_TASK_ORDER.join(', ')}`);
      return d;
    },
  },
  evaluationSummary: genevalEvaluationSummary,
};
