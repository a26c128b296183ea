import { Command, InvalidArgumentError } from 'commander';
import { availableParallelism } from 'node:os';
import { GenbenchError } from '../core/errors.ts';
import { parseShard, type Shard } from '../core/shard.ts';
import type { Device } from '../core/contracts.ts';

/** Exit codes shared by all commands (documented in the README). */
export const EXIT = {
  ok: 0,
  /** A failure that stopped the command (bad input, missing model, …). */
  failed: 1,
  /** gate: the runs are not comparable. */
  notComparable: 2,
  /** The run finished but some samples have error records (use --allow-errors to accept). */
  sampleErrors: 3,
  notImplemented: 4,
} as const;


export function parseDevice(v: string): Device {
  if (v === 'cpu' || v === 'webgpu' || v === 'cuda') return v;
  throw new InvalidArgumentError('expected cpu, webgpu or cuda');
}

export function parseList(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

export function parsePositiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function parseShardOption(v: string): Shard {
  try {
    return parseShard(v);
  } catch (e) {
    throw new InvalidArgumentError(e instanceof Error ? e.message : String(e));
  }
}

/** Help text block of examples, appended after the options. */
export function withExamples(cmd: Command, examples: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
}

/** A command that is planned but not built: says so and exits non-zero, never fakes output. */
export function notImplemented(what: string, issue: string): never {
  throw new GenbenchError('E_NOT_IMPLEMENTED', `${what} is not implemented yet`, `tracked in ${issue}`);
}

/**
 * An abort signal set when the user interrupts (SIGINT, Ctrl-C) or the process is asked to stop
 * (SIGTERM), for long commands that finish their current work and leave a resumable state. Call
 * `dispose()` when done (in a finally), so the handlers do not outlive the command.
 */
export function interruptSignal(): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const onSignal = (): void => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: abort.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Samples in flight by default: one per core. Each decodes in its own ffmpeg process while
 * JavaScript does the (SIMD) arithmetic; on 2 cores two at a time measured 958 frames/s against
 * 886 for one (bench/temporal-flickering.ts).
 */
export function defaultConcurrency(): number {
  return Math.max(1, availableParallelism());
}

/**
 * A plain-text table: a header row, columns as wide as their widest cell (two spaces apart),
 * columns listed in `right` aligned right, the last column not padded.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], right: readonly number[] = []): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? (right.includes(c) ? cell.padStart(widths[c]!) : cell) : right.includes(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
