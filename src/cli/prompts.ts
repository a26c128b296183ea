import { Command } from 'commander';
import { notImplemented, withExamples } from './common.ts';

// Wired to the prompt-file module once it lands.
export function promptsCommand(): Command {
  const cmd = new Command('prompts').description('List, fetch and verify the pinned upstream prompt files');
  cmd.command('list').description('known prompt files').action(() => notImplemented('prompts list', 'the foundation issue'));
  return withExamples(cmd, ['genbench prompts list']);
}
