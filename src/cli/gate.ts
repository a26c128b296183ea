import { Command } from 'commander';
import { notImplemented, withExamples } from './common.ts';

export function gateCommand(): Command {
  const cmd = new Command('gate')
    .description('CI regression gate: exit 0 when no dimension drops significantly, 1 when one does, 2 when runs are not comparable')
    .option('--baseline <run|file>', 'baseline run directory or scores file')
    .option('--candidate <run>', 'candidate run directory')
    .action(() => notImplemented('genbench gate', 'the reports and regression gate issue'));
  return withExamples(cmd, ['genbench gate --baseline results/main --candidate results/pr-123 --default-max-drop 0.3']);
}
