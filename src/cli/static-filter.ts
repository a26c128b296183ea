/**
 * `genbench static-filter`: VBench's protocol step before temporal_flickering (static_filter.py,
 * spec §3.4). Finds the static videos of each in-scope prompt with RAFT, writes
 * `OUT/filtered_static_video.json` and copies the chosen files to `OUT/filtered_videos/{prompt}-{i}.mp4`,
 * which `genbench evaluate --mode standard --dimensions temporal_flickering --videos OUT/filtered_videos`
 * then scores. Verdicts are appended (fsynced) to `OUT/static_verdicts.jsonl`, keyed by the file's
 * sha256 and the model's, so a killed run resumes without redoing a video.
 */
import { Command } from 'commander';
import { copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { acquireDirLock } from '../core/dir-lock.ts';
import { ensureDeviceAvailable } from './device-check.ts';
import { unreadableEntryReason } from '../suites/vbench/custom-samples.ts';
import { GenbenchError, describeError } from '../core/errors.ts';
import { sha256File } from '../core/hash.ts';
import { RecordsStore } from '../core/records-store.ts';
import { loadPromptFile } from '../prompts/prompt-files.ts';
import { modelProvider } from '../runtime/models.ts';
// Loading the metric model catalog registers the built-in models with the registry (runtime/model-catalog.ts).
import '../metrics/catalog.ts';
import { parseFullInfo } from '../suites/vbench/standard-samples.ts';
import { globMp4, promptFromFilename, selectStaticVideos, staticFilterVideo, type StaticFilterScope } from '../suites/vbench/static-filter.ts';
import { EXIT, parseDevice, parsePositiveInt, printJson, withExamples } from './common.ts';
import type { Device } from '../core/contracts.ts';

const FULL_INFO = 'vbench/vbench/VBench_full_info.json';

interface Options {
  videos: string;
  out: string;
  scope: string;
  promptsDir?: string;
  device: Device;
  threads?: number;
  fixtureModels?: boolean;
  json?: boolean;
}

export function staticFilterCommand(): Command {
  const cmd = new Command('static-filter')
    .description("VBench's static-video filter (RAFT) before temporal_flickering: select up to 5 static videos per prompt and copy them as {prompt}-{i}.mp4")
    .requiredOption('--videos <dir>', 'folder of generated .mp4 videos ({prompt}-{i}.mp4; VBench samples 25 per prompt for this step)')
    .requiredOption('--out <dir>', 'output folder: filtered_static_video.json, filtered_videos/, static_verdicts.jsonl')
    .option('--scope <scope>', "'temporal_flickering' (the 75 prompts tagged with it, at most 5 static videos each) or 'all' (every prompt, no limit)", 'temporal_flickering')
    .option('--prompts-dir <dir>', 'offline folder holding VBench_full_info.json (else the pinned upstream file is fetched and cached)')
    .option('--device <device>', 'execution provider: cpu, webgpu or cuda', parseDevice, 'cpu')
    .option('--threads <n>', 'ONNX Runtime intra-op threads', parsePositiveInt)
    .option('--fixture-models', 'use the tiny random-weight RAFT fixture (smoke runs only)')
    .option('--json', 'print the selection as JSON')
    .action(async (opts: Options) => {
      await runStaticFilter(opts);
    });
  return withExamples(cmd, [
    'genbench static-filter --videos samples/temporal_flickering --out filter_results',
    'genbench evaluate --suite vbench --mode standard --dimensions temporal_flickering --videos filter_results/filtered_videos --allow-partial --out runs/tf',
    'genbench static-filter --videos samples --out filter_results --scope all --device cuda',
  ]);
}

async function runStaticFilter(opts: Options): Promise<void> {
  const videosDir = resolve(opts.videos);
  let names: string[];
  try {
    names = readdirSync(videosDir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new GenbenchError('E_NOT_FOUND', `videos folder not found: ${videosDir}`, 'give the folder holding {prompt}-{i}.mp4 files');
    if (code === 'ENOTDIR') throw new GenbenchError('E_USAGE', `--videos ${videosDir} is a file, not a folder`, 'give the folder holding {prompt}-{i}.mp4 files');
    throw new GenbenchError('E_INPUT', `cannot list --videos ${videosDir}: ${unreadableEntryReason(e)}`, 'give a folder you can read');
  }
  // Entries named *.mp4 that are not readable files (dangling symlinks, loops, folders) are named and left out.
  const skipped: string[] = [];
  const paths = globMp4(names)
    .map((n) => join(videosDir, n))
    .filter((p) => {
      try {
        const st = statSync(p);
        if (st.isFile()) return true;
        skipped.push(`${p}: not a file`);
      } catch (e) {
        skipped.push(`${p}: ${unreadableEntryReason(e)}`);
      }
      return false;
    });
  for (const x of skipped) process.stderr.write(`warning: skipped ${x}\n`);
  if (paths.length === 0) throw new GenbenchError('E_INPUT', `no .mp4 file in ${videosDir}${skipped.length ? ` (${skipped.length} unreadable entries skipped)` : ''}`, 'the static filter reads *.mp4 only, as the official script');
  let scope: StaticFilterScope;
  if (opts.scope === 'temporal_flickering') {
    const file = await loadPromptFile(FULL_INFO, { promptsDir: opts.promptsDir });
    const prompts = parseFullInfo(file.text, file.path)
      .filter((e) => e.dimension.includes('temporal_flickering'))
      .map((e) => e.prompt_en);
    scope = { kind: 'temporal_flickering', prompts };
    checkScopeCoverage(paths, prompts, videosDir);
  } else if (opts.scope === 'all') {
    scope = { kind: 'all' };
  } else {
    throw new GenbenchError('E_USAGE', `unknown --scope ${opts.scope}`, "use 'temporal_flickering' or 'all'");
  }

  await ensureDeviceAvailable(opts.device);
  const out = resolve(opts.out);
  const lock = acquireDirLock(out, { what: 'static-filter output folder', flag: '--out' });
  try {
    await filterInto(out, paths, scope, videosDir, opts);
  } finally {
    lock.release({ removeDirIfUnused: true });
  }
}

/**
 * The temporal_flickering scope reads only files named after one of its prompts. None: nothing
 * would be checked, so refuse (with the naming rule); some: say how many files are left out.
 */
function checkScopeCoverage(paths: readonly string[], prompts: readonly string[], videosDir: string): void {
  const wanted = new Set(prompts);
  const outside = paths.filter((p) => !wanted.has(promptFromFilename(p)));
  if (outside.length === paths.length) {
    const example = basename(paths[0]!);
    throw new GenbenchError(
      'E_INPUT',
      `none of the ${paths.length} .mp4 file(s) in ${videosDir} is named after one of the ${prompts.length} temporal_flickering prompts (e.g. "${example}" gives the prompt "${promptFromFilename(example)}")`,
      `name the videos {prompt}-{i}.mp4 with the prompt text exactly as in VBench_full_info.json, e.g. "${prompts[0]}-0.mp4"; or pass --scope all to check every video whatever its name`,
    );
  }
  if (outside.length > 0) {
    process.stderr.write(`warning: ${outside.length} of ${paths.length} .mp4 file(s) match no temporal_flickering prompt and are not checked (e.g. "${basename(outside[0]!)}")\n`);
  }
}

async function filterInto(out: string, paths: string[], scope: StaticFilterScope, videosDir: string, opts: Options): Promise<void> {
  mkdirSync(join(out, 'filtered_videos'), { recursive: true });
  const model = await modelProvider({ device: opts.device, threads: opts.threads, useFixtures: opts.fixtureModels }).get('raft-things');
  const store = new RecordsStore(join(out, 'static_verdicts.jsonl'));
  let done = 0;
  let reused = 0;
  const errors: string[] = [];
  const isStatic = async (path: string): Promise<boolean> => {
    let sha: string;
    try {
      sha = await sha256File(path);
    } catch (e) {
      errors.push(`${path}: cannot read (${unreadableEntryReason(e)})`);
      return false;
    }
    const key = `${sha}:${model.sha256}`;
    const prior = store.get(key);
    if (prior?.ok) {
      reused++;
      return prior.value === true;
    }
    const t0 = performance.now();
    try {
      const r = await staticFilterVideo(path, model.session);
      store.append({ key, dimension: 'static_filter', sample: path, path, prompt: '', contentSha256: sha, ok: true, value: r.isStatic, extra: { frames: r.frames, thres: r.thres, count_num: r.countNum, pair_scores: r.pairScores }, seconds: (performance.now() - t0) / 1000, at: new Date().toISOString() });
      done++;
      process.stderr.write(`static-filter: ${done + reused} checked — ${path.slice(videosDir.length + 1)}: ${r.isStatic ? 'static' : 'moving'}\n`);
      return r.isStatic;
    } catch (e) {
      // The official script stops at such a file; we record it and leave it out of the selection.
      errors.push(`${path}: ${describeError(e)}`);
      store.append({ key, dimension: 'static_filter', sample: path, path, prompt: '', contentSha256: sha, ok: false, error: { code: (e as GenbenchError).code ?? 'E_RUN', message: describeError(e) }, at: new Date().toISOString() });
      return false;
    }
  };
  const { results, copies } = await selectStaticVideos(paths, scope, isStatic);
  store.close();
  const json: Record<string, { static_count: number; static_path: string[] }> = {};
  for (const [prompt, v] of results) json[prompt] = v;
  writeFileSync(join(out, 'filtered_static_video.json'), JSON.stringify(json, null, 4) + '\n');
  for (const c of copies) copyFileSync(c.from, join(out, 'filtered_videos', c.to));
  // Prompts with videos but fewer than 5 static ones, one line each; prompts without any video in one line.
  const present = new Set(paths.map((p) => promptFromFilename(p)));
  const short = scope.kind === 'temporal_flickering' ? [...results].filter(([p, v]) => v.static_count < 5 && present.has(p)) : [];
  const absent = scope.kind === 'temporal_flickering' ? [...results.keys()].filter((p) => !present.has(p)) : [];
  if (opts.json) {
    printJson({ out, checked: done, reused, copied: copies.length, fewerThanFive: short.map(([p, v]) => ({ prompt: p, static: v.static_count })), promptsWithoutVideos: absent, errors, selection: json });
  } else {
    process.stdout.write(`static-filter: ${done} videos checked, ${reused} reused, ${copies.length} static videos copied to ${join(out, 'filtered_videos')}\n`);
    for (const [p, v] of short) process.stdout.write(`warning: only ${v.static_count} static video(s) for "${p}"\n`);
    if (absent.length > 0) process.stdout.write(`warning: ${absent.length} of ${results.size} temporal_flickering prompts have no video in the folder (e.g. "${absent[0]}")\n`);
    for (const e of errors) process.stdout.write(`error: ${e}\n`);
  }
  process.exitCode = errors.length > 0 ? EXIT.sampleErrors : EXIT.ok;
}
