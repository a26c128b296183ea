import { Command } from 'commander';
import { fetchPromptFile, listPromptFiles, verifyPromptFiles } from '../prompts/prompt-files.ts';
import { EXIT, formatTable, printJson, withExamples } from './common.ts';

export function promptsCommand(): Command {
  const cmd = new Command('prompts').description('List, fetch and verify the pinned upstream prompt files (VBench, GenEval, NOVA); never bundled, always sha256-checked');
  cmd
    .command('list')
    .description('known prompt files: name, entries, pinned source, cached or not')
    .option('--json', 'machine-readable output')
    .action((o: { json?: boolean }) => {
      const files = listPromptFiles();
      if (o.json) return printJson(files);
      const rows = files.map((f) => [f.name, String(f.count), f.cached ? 'yes' : 'no', `${f.repository}@${f.commit.slice(0, 7)}`]);
      process.stdout.write(formatTable(['FILE', 'ENTRIES', 'CACHED', 'SOURCE'], rows, [1]));
    });
  cmd
    .command('fetch')
    .description('download prompt files from their pinned upstream commit into the cache (or check a local copy)')
    .argument('[names...]', 'file names or unique endings (default: all)')
    .option('--prompts-dir <dir>', 'offline: take the files from this folder (upstream layout or flat)')
    .action(async (names: string[], o: { promptsDir?: string }) => {
      const list = names.length > 0 ? names : listPromptFiles().map((f) => f.name);
      for (const n of list) {
        const f = await fetchPromptFile(n, { promptsDir: o.promptsDir });
        process.stdout.write(`${f.name}: ${f.path} (sha256 ok)\n`);
      }
    });
  cmd
    .command('verify')
    .description('check cached (or --prompts-dir) prompt files against their sha256 and entry counts; downloads nothing')
    .option('--prompts-dir <dir>', 'check this folder instead of the cache')
    .option('--json', 'machine-readable output')
    .action(async (o: { promptsDir?: string; json?: boolean }) => {
      const out = await verifyPromptFiles({ promptsDir: o.promptsDir });
      const where = o.promptsDir ?? 'the cache';
      const ok = out.filter((r) => r.status === 'ok').length;
      const failed = out.filter((r) => r.status === 'mismatch' || r.status === 'bad-count' || (r.status === 'missing' && r.movedAside)).length;
      const absent = out.filter((r) => r.status === 'missing' && !r.movedAside).length;
      if (o.json) printJson(out);
      else {
        // Files simply not fetched are summed up, not listed one per line (a partial cache is normal).
        for (const r of out) if (r.status !== 'missing' || r.movedAside) process.stdout.write(`${r.name.padEnd(56)} ${r.status}${r.message ? `: ${r.message}` : ''}\n`);
        if (ok + failed > 0) process.stdout.write(`verified ${ok + failed} of ${out.length} pinned prompt file(s) in ${where}: ${ok} ok${failed > 0 ? `, ${failed} FAILED` : ''}; ${absent} not present (not checked)\n`);
      }
      if (ok + failed === 0) {
        process.stderr.write(`nothing to verify: none of the ${out.length} pinned prompt files is in ${where} (genbench prompts fetch [NAME…] downloads them; offline, pass --prompts-dir DIR holding the upstream files)\n`);
        process.exitCode = EXIT.failed;
        return;
      }
      if (failed > 0) process.exitCode = EXIT.failed;
    });
  const subExamples: Record<string, string[]> = {
    list: ['genbench prompts list', 'genbench prompts list --json'],
    fetch: ['genbench prompts fetch', 'genbench prompts fetch VBench_full_info.json', 'genbench prompts fetch --prompts-dir ./upstream   # offline: check a local copy into the cache'],
    verify: ['genbench prompts verify', 'genbench prompts verify --prompts-dir ./upstream'],
  };
  for (const sub of cmd.commands) withExamples(sub, subExamples[sub.name()] ?? []);
  return withExamples(cmd, [
    'genbench prompts list',
    'genbench prompts fetch all_dimension.txt VBench_full_info.json',
    'genbench prompts verify --prompts-dir ./upstream',
  ]);
}
