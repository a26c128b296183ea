import { Command } from 'commander';
import { notImplemented, withExamples } from './common.ts';

// Wired to src/runtime/models.ts once the runtime lands.
export function modelsCommand(): Command {
  const cmd = new Command('models').description('List, fetch, import and verify metric and generator models (ONNX, sha256-checked)');
  cmd.command('list').description('registered models').action(() => notImplemented('models list', 'the foundation issue'));
  return withExamples(cmd, ['genbench models list']);
}
