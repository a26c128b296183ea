import cliProgress from 'cli-progress';

/** Progress of one long task: a bar on a TTY, plain lines (at most every few seconds) elsewhere (CI logs). */
export interface Progress {
  start(label: string, total: number): void;
  tick(detail?: string): void;
  stop(summary?: string): void;
  log(line: string): void;
}

export function createProgress(opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return silentProgress();
  if (stream.isTTY) return barProgress(stream);
  return lineProgress(stream);
}

export function silentProgress(): Progress {
  return { start() {}, tick() {}, stop() {}, log() {} };
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  let bar: cliProgress.SingleBar | undefined;
  let done = 0;
  return {
    start(label, total) {
      done = 0;
      bar = new cliProgress.SingleBar(
        { stream, format: `${label} [{bar}] {value}/{total} {percentage}% eta {eta_formatted} {detail}`, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0, { detail: '' });
    },
    tick(detail) {
      done += 1;
      bar?.update(done, { detail: detail ?? '' });
    },
    stop(summary) {
      bar?.stop();
      bar = undefined;
      if (summary) stream.write(`${summary}\n`);
    },
    log(line) {
      if (bar) stream.write('\n');
      stream.write(`${line}\n`);
    },
  };
}

function lineProgress(stream: NodeJS.WriteStream, everyMs = 5000): Progress {
  let label = '';
  let total = 0;
  let done = 0;
  let last = 0;
  let t0 = 0;
  return {
    start(l, t) {
      label = l;
      total = t;
      done = 0;
      t0 = Date.now();
      last = t0;
      stream.write(`${label}: ${total} to do\n`);
    },
    tick(detail) {
      done += 1;
      const now = Date.now();
      if (now - last >= everyMs || done === total) {
        last = now;
        const rate = done / Math.max(1e-3, (now - t0) / 1000);
        stream.write(`${label}: ${done}/${total} (${rate.toFixed(2)}/s)${detail ? ` ${detail}` : ''}\n`);
      }
    },
    stop(summary) {
      if (summary) stream.write(`${summary}\n`);
    },
    log(line) {
      stream.write(`${line}\n`);
    },
  };
}
