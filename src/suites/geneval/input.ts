/**
 * GenEval's samples from the user's `--images`: the folder is listed as the official evaluator
 * lists it (samples.ts, with named problems and coverage) against the prompts, and every image
 * becomes a sample of its prompt's task.
 */
import { GenbenchError } from '../../core/errors.ts';
import { sha256File } from '../../core/hash.ts';
import type { Progress } from '../../core/progress.ts';
import { pythonPathJoin } from '../../core/pycompat/path.ts';
import type { SampleRef } from '../../core/contracts.ts';
import type { SuiteInputRequest, SuiteSamples } from '../../core/suite-contract.ts';
import { GENEVAL_IMAGES_PER_PROMPT, listGenevalSamples, type GenevalListing, type GenevalPromptSource } from './samples.ts';
import type { GenevalSampleInfo } from './task-dimension.ts';
import type { GenevalMetadata } from './task-checks.ts';

export interface GenevalInput {
  samples: SampleRef[];
  listing: GenevalListing;
  expectedByTask: Record<string, number>;
}

/**
 * List `imagesDir` against the pinned prompts and turn the images into samples. Folder problems
 * (renumbered or edited metadata, unknown classes, no samples/) and missing images refuse the run
 * unless `allowPartial`; then they are reported and the run covers what is there.
 */
export async function genevalInput(o: {
  imagesDir: string;
  prompts: readonly (GenevalMetadata | undefined)[];
  classes: readonly string[];
  allowPartial?: boolean;
  progress: Progress;
}): Promise<GenevalInput> {
  const listing = listGenevalSamples({ imagesDir: o.imagesDir, prompts: o.prompts, classes: o.classes });
  const issues: string[] = listing.problems.map((p) => `${p.folder}/: ${p.reason}`);
  const missingImages = listing.expectedImages - listing.samples.length;
  if (listing.missingPrompts.length > 0 || listing.shortPrompts.length > 0) {
    const short = listing.shortPrompts[0];
    issues.push(
      `${missingImages > 0 ? missingImages : 0} of ${listing.expectedImages} images missing: ${listing.missingPrompts.length} prompt folder(s) absent` +
        `${listing.missingPrompts.length > 0 ? ` (e.g. ${String(listing.missingPrompts[0]).padStart(5, '0')}/)` : ''}` +
        `, ${listing.shortPrompts.length} with fewer than ${GENEVAL_IMAGES_PER_PROMPT} images${short ? ` (e.g. ${String(short.index).padStart(5, '0')}/ has ${short.images})` : ''}`,
    );
  }
  if (issues.length > 0) {
    const shown = issues.slice(0, 8).join('; ') + (issues.length > 8 ? `; … ${issues.length - 8} more` : '');
    if (!o.allowPartial) {
      throw new GenbenchError(
        'E_INPUT',
        `the GenEval folder ${o.imagesDir} does not match the official prompt set: ${shown}`,
        'fix or regenerate those folders (NNNNN/metadata.jsonl must be line NNNNN of evaluation_metadata.jsonl), or pass --allow-partial to score what is there',
      );
    }
    o.progress.log(`warning (--allow-partial): ${shown}`);
  }
  const samples: SampleRef[] = [];
  for (const s of listing.samples) {
    const folder = s.id.split('/')[0]!;
    const info: GenevalSampleInfo = {
      metadata: s.metadata,
      promptIndex: s.promptIndex,
      filename: pythonPathJoin(o.imagesDir, folder, 'samples', s.id.split('/').at(-1)!),
    };
    samples.push({
      id: s.id,
      path: s.path,
      // The prompt identity is the folder (summary_scores.py groups by the metadata string).
      prompt: `${folder}:${s.metadata.prompt ?? ''}`,
      index: s.imageIndex,
      contentSha256: await sha256File(s.path),
      dimensions: [s.metadata.tag],
      auxiliary: { geneval: info },
      // The record key covers the folder's metadata line (not the images folder's location).
      identity: { metadata: s.metadata },
    });
  }
  const expectedByTask: Record<string, number> = {};
  for (const p of o.prompts) if (p) expectedByTask[p.tag] = (expectedByTask[p.tag] ?? 0) + GENEVAL_IMAGES_PER_PROMPT;
  return { samples, listing, expectedByTask };
}

/**
 * The suite's listing: genevalInput over the prompts, each selected task's images (in folder and
 * image order; none when no prompt has the task) and the images each task expects.
 */
export async function listGenevalInput(req: SuiteInputRequest, source: GenevalPromptSource): Promise<SuiteSamples> {
  const input = await genevalInput({ imagesDir: req.path, prompts: source.prompts, classes: source.classNames, allowPartial: req.allowPartial, progress: req.progress });
  return { ...genevalRunSamples(input, req.dimensionIds), promptSet: source.promptSet };
}

/** The listed images as the run scores them: by task (every task given, empty when it has none), with each task's expected count. */
export function genevalRunSamples(input: GenevalInput, tasks: readonly string[]): Omit<SuiteSamples, 'promptSet'> {
  const dimensionSamples: Record<string, SampleRef[]> = Object.fromEntries(tasks.map((t) => [t, []]));
  for (const s of input.samples) dimensionSamples[s.dimensions![0]!]?.push(s);
  const expectedByDimension = Object.fromEntries(tasks.map((t) => [t, input.expectedByTask[t] ?? 0]));
  return { samples: input.samples, dimensionSamples, expectedByDimension };
}
