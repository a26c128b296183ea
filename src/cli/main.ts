import { Command, CommanderError } from 'commander';
import { fromSystemError, GenbenchError } from '../core/errors.ts';
import { toolInfo } from '../core/tool-info.ts';
import { EXIT } from './common.ts';
import { benchCommand } from './bench.ts';
import { evaluateCommand } from './evaluate.ts';
import { gateCommand } from './gate.ts';
import { generateCommand } from './generate.ts';
import { mergeCommand } from './merge.ts';
import { staticFilterCommand } from './static-filter.ts';
import { modelsCommand } from './models.ts';
import { promptsCommand } from './prompts.ts';
import { reportCommand } from './report.ts';
import { selftestCommand } from './selftest.ts';
// The built-in metric models: loading the catalog registers every family's tables with the model
// registry (runtime/model-catalog.ts), for every command of this program.
import '../metrics/catalog.ts';

export function buildProgram(): Command {
  const program = new Command('genbench')
    .description(
      'Exact VBench and GenEval scoring over ONNX Runtime, NOVA generation, and comparative reports.\n' +
        'Scores equal the official implementations for the same model weights; every run records its provenance.',
    )
    .version(toolInfo().version)
    .showHelpAfterError('(add --help for usage and examples)');
  program.addCommand(benchCommand());
  program.addCommand(generateCommand());
  program.addCommand(evaluateCommand());
  program.addCommand(reportCommand());
  program.addCommand(gateCommand());
  program.addCommand(mergeCommand());
  program.addCommand(staticFilterCommand());
  program.addCommand(promptsCommand());
  program.addCommand(modelsCommand());
  program.addCommand(selftestCommand());
  program.addHelpText(
    'after',
    `
Examples:
  $ genbench evaluate --suite vbench --mode custom --videos ./videos --dimensions temporal_flickering --out results/run1
  $ genbench report results/run1
  $ genbench models list
  $ genbench selftest
  $ genbench prompts verify --prompts-dir ./upstream

Exit codes: 0 ok · 1 failed · 2 runs not comparable (gate) · 3 finished with sample errors · 4 not implemented yet`,
  );
  return program;
}

/** `genbench … | head` closes the pipe early: stop quietly instead of crashing on EPIPE. */
function onStdoutError(e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
}

/** Run the CLI; turns typed errors into one clear message and an exit code. */
export async function main(argv: string[]): Promise<void> {
  // Once per process: the demo and tests call main() many times (one listener each was a leak warning).
  if (!process.stdout.listeners('error').includes(onStdoutError)) process.stdout.on('error', onStdoutError);
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode;
      return;
    }
    e = fromSystemError(e) ?? e; // a file-system error on a user's path: named, not "internal"
    if (e instanceof GenbenchError) {
      process.stderr.write(`genbench: error [${e.code}]: ${e.message}\n`);
      if (e.hint) process.stderr.write(`  → ${e.hint}\n`);
      process.exitCode = e.code === 'E_NOT_IMPLEMENTED' ? EXIT.notImplemented : e.code === 'E_NOT_COMPARABLE' ? EXIT.notComparable : EXIT.failed;
      return;
    }
    process.stderr.write(`genbench: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = EXIT.failed;
  }
}
