/** `genbench selftest`: verify this installation against the goldens shipped with the package. */
import { Command, Option } from 'commander';
import { EXIT, parseDevice, printJson, withExamples } from './common.ts';
import type { Device } from '../core/contracts.ts';

const MARK = { ok: '✓', failed: '✗', skipped: '–' } as const;

export function selftestCommand(): Command {
  const cmd = new Command('selftest')
    .description(
      'Verify this installation before trusting its numbers: the video decoder (ffmpeg/ffprobe) against OpenCV, the resize kernels ' +
        '(JavaScript and WebAssembly) against torchvision, Pillow and OpenCV, ONNX Runtime on the chosen execution provider, and every ' +
        'registered model (fixtures built and pinned; installed models rehashed and their signatures checked). Exit 0 when every check passes, 1 otherwise.',
    )
    .addOption(new Option('--device <device>', 'execution provider to check besides cpu: cpu, webgpu or cuda').argParser(parseDevice).default('cpu'))
    .option('--json', 'machine-readable output (every check with its status and numbers)')
    .option('--golden <file>', 'compare against this golden file instead of the one shipped with the package (src/selftest/golden.json)')
    .action(async (o: { device: Device; json?: boolean; golden?: string }) => {
      const { runSelftest } = await import('../selftest/run.ts');
      const { releaseSessions } = await import('../runtime/session.ts');
      const report = await runSelftest({ device: o.device, golden: o.golden });
      await releaseSessions();
      if (o.json) {
        printJson(report);
      } else {
        const width = Math.max(...report.checks.map((c) => c.group.length));
        for (const c of report.checks) {
          process.stdout.write(`${MARK[c.status]} ${c.group.padEnd(width)}  ${c.name}: ${c.detail}\n`);
          if (c.status === 'failed' && c.error?.hint) process.stdout.write(`  ${' '.repeat(width)}  → ${c.error.hint}\n`);
        }
        const { ok, failed, skipped } = report.counts;
        const failedNames = report.checks.filter((c) => c.status === 'failed').map((c) => `${c.group} ${c.name}`);
        process.stdout.write(
          report.ok
            ? `selftest passed: ${ok} ok, ${skipped} skipped (device ${report.device})\n`
            : `selftest FAILED: ${failed} failed (${failedNames.join('; ')}), ${ok} ok, ${skipped} skipped (device ${report.device})\n`,
        );
      }
      process.exitCode = report.ok ? EXIT.ok : EXIT.failed;
    });
  return withExamples(cmd, ['genbench selftest', 'genbench selftest --device cuda', 'genbench selftest --json > selftest.json']);
}
