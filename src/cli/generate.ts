import { Command } from 'commander';
import { notImplemented, withExamples } from './common.ts';

export function generateCommand(): Command {
  const cmd = new Command('generate')
    .description('Generate a benchmark prompt set with a model (NOVA over ONNX Runtime, a folder, or a command)')
    .option('--model <id>', 'nova-osp480 | nova-sd512 | nova-sdxl1024-* | folder:DIR | cmd:"…"')
    .option('--suite <suite>', 'vbench | geneval')
    .option('--out <dir>', 'output folder for the samples')
    .action(() => notImplemented('genbench generate', 'the NOVA issue'));
  return withExamples(cmd, [
    'genbench generate --model nova-osp480 --suite vbench --limit 10 --out samples/nova',
    'genbench generate --model nova-sd512 --prompt "a red cube on a blue sphere" --out out/',
  ]);
}
