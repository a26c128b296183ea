/**
 * VBench's samples from the user's `--videos`: custom mode takes the videos of the folder (prompt
 * from the file name, as VBench's custom_input does), standard mode the official file names of the
 * pinned prompt suite (VBench_full_info.json), with coverage. Problems are said, never dropped silently.
 */
import { GenbenchError } from '../../core/errors.ts';
import type { SuiteInputRequest, SuiteSamples } from '../../core/suite-contract.ts';
import { loadPromptFile } from '../../prompts/prompt-files.ts';
import { listCustomSamples } from './custom-samples.ts';
import { listStandardSamples, parseFullInfo, type FullInfoEntry } from './standard-samples.ts';

export const VBENCH_FULL_INFO_FILE = 'vbench/vbench/VBench_full_info.json';

/** What standard mode reads from the prompt suite (custom mode reads none). */
export interface VbenchPrompts {
  fullInfo: FullInfoEntry[];
  file: { name: string; sha256: string };
}

/** Standard mode: the pinned VBench_full_info.json (from --prompts-dir, else the sha256-checked cache). */
export async function loadVbenchPrompts(req: Pick<SuiteInputRequest, 'mode' | 'promptsDir'>): Promise<VbenchPrompts | undefined> {
  if (req.mode !== 'standard') return undefined;
  const file = await loadPromptFile(VBENCH_FULL_INFO_FILE, { promptsDir: req.promptsDir });
  return { fullInfo: parseFullInfo(file.text, file.path), file: { name: file.name, sha256: file.sha256 } };
}

export async function listVbenchSamples(req: SuiteInputRequest, prompts: VbenchPrompts | undefined): Promise<SuiteSamples> {
  return prompts ? standardInput(req, prompts) : customInput(req);
}

async function customInput(req: SuiteInputRequest): Promise<SuiteSamples> {
  const { samples, ignored, subfolders, skipped } = await listCustomSamples(req.path);
  if (ignored.length > 0) req.progress.log(`ignored ${ignored.length} file(s) that are not .mp4/.gif (e.g. ${ignored[0]})`);
  // Left-out input is said even with --quiet: nothing is dropped silently.
  if (subfolders.length > 0) {
    const shown = subfolders.slice(0, 5).map((f) => `${f}/`).join(', ') + (subfolders.length > 5 ? `, … ${subfolders.length - 5} more` : '');
    req.warn(`${subfolders.length} sub-folder(s) not scored (${shown}): custom mode reads the videos directly in --videos, as VBench does; pass a sub-folder as --videos to score it`);
  }
  for (const s of skipped) req.warn(`skipped ${s.name}: ${s.reason}`);
  return { samples };
}

/** Standard mode: the official file names from the pinned prompt suite, with coverage. */
async function standardInput(req: SuiteInputRequest, prompts: VbenchPrompts): Promise<SuiteSamples> {
  const { fullInfo, file } = prompts;
  const l = await listStandardSamples({ videosDir: req.path, fullInfo, dimensions: [...req.dimensionIds] });
  if (l.unexpected.length > 0) {
    req.progress.log(`${l.unexpected.length} video(s) match no expected name and are not scored (wrong name?), e.g. "${l.unexpected[0]}"`);
  }
  if (l.missing.length > 0) {
    const total = Object.values(l.expectedByDimension).reduce((a, b) => a + b, 0);
    const msg = `${l.missing.length} expected video(s) missing, e.g. "${l.missing[0]!.name}" (coverage ${l.samples.length}/${l.samples.length + l.missing.length} files, ${total} dimension samples expected)`;
    if (!req.allowPartial) throw new GenbenchError('E_INPUT', msg, 'generate the missing videos, or pass --allow-partial to score what is there (scores then cover fewer prompts than VBench)');
    req.progress.log(`warning: ${msg}; scoring a partial set (--allow-partial)`);
  }
  return {
    samples: l.samples,
    dimensionSamples: l.byDimension,
    expectedByDimension: l.expectedByDimension,
    promptSet: { name: file.name, sha256: file.sha256, count: fullInfo.length },
  };
}
