/**
 * Start ffmpeg / ffprobe without forking this (large) process: through spawn-helper.mjs, a small
 * long-lived helper process that forks them instead and hands their stdout to us over a Unix
 * socket (see the helper's header for why and the protocol). Falls back to child_process.spawn
 * where the helper cannot run (no Unix sockets, the helper failed) or GENBENCH_SPAWN_HELPER=0.
 *
 * Either way a launch gives the same things: the child's stdout as a stream, its stderr as text
 * through a callback, its exit status, and kill().
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import net from 'node:net';
import { platform } from 'node:os';
import readline from 'node:readline';
import { PassThrough, type Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The process could not be started (e.g. ENOENT). */
  error?: string;
}

export interface LaunchedProcess {
  pid: number | undefined;
  /** The child's stdout; ends when the child has exited (or could not start). */
  stdout: Readable;
  /** Settles once the child has exited and its stderr was delivered. */
  exited: Promise<ProcessExit>;
  /** Whether `exited` has settled. */
  readonly hasExited: boolean;
  kill(signal?: NodeJS.Signals): void;
}

export interface LaunchOptions {
  /** The child's stderr, decoded as UTF-8, chunk by chunk. */
  onStderr?: (text: string) => void;
}

interface Pending {
  onStderr?: (text: string) => void;
  socket?: net.Socket;
  pid?: number;
  spawnedOrFailed: boolean;
  /** The helper's exit message, held until the stream is attached (see finish). */
  exitMessage?: ProcessExit;
  exit?: ProcessExit;
  resolveExit: (e: ProcessExit) => void;
  resolveLaunch: (p: LaunchedProcess) => void;
  rejectLaunch: (e: Error) => void;
  launched?: LaunchedProcess;
  settled: boolean;
}

const HELPER = new URL('./spawn-helper.mjs', import.meta.url);

class SpawnHelper {
  private readonly child: ChildProcess;
  private readonly server: net.Server;
  private readonly address: string;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  broken: Error | undefined;

  constructor() {
    // Linux: an abstract socket (no file to clean up); elsewhere a file in /tmp (a short path:
    // socket paths are limited to about 100 bytes, and macOS's TMPDIR is long). A failure to
    // listen breaks the helper, and launches fall back to child_process.spawn.
    const name = `genbench-spawn-${process.pid}-${randomBytes(6).toString('hex')}`;
    this.address = platform() === 'linux' ? `\0${name}` : `/tmp/${name}.sock`;
    this.server = net.createServer((sock) => this.accept(sock));
    this.server.on('error', (e) => this.fail(e));
    this.server.listen(this.address);
    if (!this.address.startsWith('\0')) {
      const file = this.address;
      process.once('exit', () => {
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      });
    }
    this.child = spawn(process.execPath, [fileURLToPath(HELPER)], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.on('error', (e) => this.fail(e));
    this.child.on('exit', () => this.fail(new Error('the process launcher exited')));
    readline.createInterface({ input: this.child.stdout! }).on('line', (line) => this.message(line));
    this.idle();
  }

  launch(file: string, args: readonly string[], opts: LaunchOptions): Promise<LaunchedProcess> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    return new Promise<LaunchedProcess>((resolveLaunch, rejectLaunch) => {
      let resolveExit!: (e: ProcessExit) => void;
      const exited = new Promise<ProcessExit>((r) => (resolveExit = r));
      const p: Pending = { onStderr: opts.onStderr, spawnedOrFailed: false, resolveExit, resolveLaunch, rejectLaunch, settled: false };
      exited.then((e) => {
        p.exit = e;
        this.pending.delete(id);
        if (this.pending.size === 0) this.idle();
      });
      this.pending.set(id, p);
      this.busy();
      this.child.stdin!.write(`${JSON.stringify({ op: 'spawn', id, file, args, socket: this.address })}\n`);
      const kill = (signal: NodeJS.Signals = 'SIGKILL') => {
        if (!p.exit && !this.broken) this.child.stdin!.write(`${JSON.stringify({ op: 'kill', id, signal })}\n`);
      };
      p.launched = {
        get pid() {
          return p.pid;
        },
        get stdout() {
          return p.socket!;
        },
        exited,
        get hasExited() {
          return p.exit !== undefined;
        },
        kill,
      };
    });
  }

  /** A connection from the helper: "<id>\n", then the child's stdout. */
  private accept(sock: net.Socket): void {
    let head = Buffer.alloc(0);
    const onReadable = (): void => {
      let chunk: Buffer | null;
      while ((chunk = sock.read() as Buffer | null) !== null) {
        head = Buffer.concat([head, chunk]);
        const nl = head.indexOf(10);
        if (nl < 0) continue;
        sock.off('readable', onReadable);
        const rest = head.subarray(nl + 1);
        if (rest.length > 0) sock.unshift(rest);
        const p = this.pending.get(Number(head.subarray(0, nl).toString('ascii')));
        if (!p) {
          sock.destroy();
          return;
        }
        p.socket = sock;
        this.ready(p);
        this.finish(p);
        return;
      }
    };
    sock.on('readable', onReadable);
  }

  private message(line: string): void {
    let m: { op: string; id: number; pid?: number; data?: string; code?: number | null; signal?: NodeJS.Signals | null; error?: string; stream?: boolean };
    try {
      m = JSON.parse(line);
    } catch {
      return;
    }
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.op === 'spawned') {
      p.pid = m.pid;
      p.spawnedOrFailed = true;
      this.ready(p);
    } else if (m.op === 'stderr') {
      p.onStderr?.(m.data ?? '');
    } else if (m.op === 'exit') {
      p.spawnedOrFailed = true;
      const exit: ProcessExit = { code: m.code ?? null, signal: m.signal ?? null, ...(m.error !== undefined ? { error: m.error } : {}) };
      if (!p.socket && m.stream === false) {
        // The helper could not open the stream: an empty stdout. (Otherwise the stream is on its
        // way through the socket, possibly after this message, with whatever the child wrote.)
        const empty = new PassThrough();
        empty.end();
        p.socket = empty as unknown as net.Socket;
      }
      p.exitMessage = exit;
      this.ready(p);
      this.finish(p);
    }
  }

  /**
   * A launch ends once the child exited and its stream is attached: the exit message may overtake
   * the socket connection, and until the socket is accepted nothing else keeps the event loop
   * alive (the helper goes idle when the last launch ends).
   */
  private finish(p: Pending): void {
    if (p.exitMessage && p.socket && !p.exit) p.resolveExit(p.exitMessage);
  }

  /** The launch is usable once its stdout arrived and the child started (or failed to). */
  private ready(p: Pending): void {
    if (p.settled || !p.socket || !p.spawnedOrFailed) return;
    p.settled = true;
    p.resolveLaunch(p.launched!);
  }

  private fail(e: Error): void {
    if (this.broken) return;
    this.broken = e;
    for (const p of this.pending.values()) {
      if (!p.settled) {
        p.settled = true;
        p.rejectLaunch(e);
      } else {
        p.socket?.destroy();
        p.resolveExit({ code: null, signal: null, error: `the process launcher failed: ${e.message}` });
      }
    }
    this.pending.clear();
    this.server.close();
    this.child.kill();
  }

  // The helper must not keep this process alive while nothing runs, and must while something does.
  private idle(): void {
    this.child.unref();
    (this.child.stdin as net.Socket).unref();
    (this.child.stdout as net.Socket).unref();
    this.server.unref();
  }

  private busy(): void {
    this.child.ref();
    (this.child.stdin as net.Socket).ref();
    (this.child.stdout as net.Socket).ref();
    this.server.ref();
  }
}

let helper: SpawnHelper | null | undefined;

function theHelper(): SpawnHelper | null {
  if (helper === undefined) {
    helper = null;
    if (process.env['GENBENCH_SPAWN_HELPER'] !== '0' && platform() !== 'win32') {
      try {
        helper = new SpawnHelper();
      } catch {
        helper = null;
      }
    }
  }
  return helper && !helper.broken ? helper : null;
}

/** child_process.spawn behind the same interface (the fallback; exported for tests). */
export function launchDirect(file: string, args: readonly string[], opts: LaunchOptions = {}): Promise<LaunchedProcess> {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let exit: ProcessExit | undefined;
  let error: string | undefined;
  child.on('error', (e) => (error = e.message));
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => opts.onStderr?.(d));
  const exited = new Promise<ProcessExit>((resolve) =>
    child.on('close', (code, signal) => resolve((exit = { code, signal, ...(error !== undefined ? { error } : {}) }))),
  );
  return Promise.resolve({
    pid: child.pid,
    stdout: child.stdout!,
    exited,
    get hasExited() {
      return exit !== undefined;
    },
    kill: (signal: NodeJS.Signals = 'SIGKILL') => void child.kill(signal),
  });
}

/** Start `file args` (stdin ignored); see the module comment. */
export async function launchProcess(file: string, args: readonly string[], opts: LaunchOptions = {}): Promise<LaunchedProcess> {
  const h = theHelper();
  if (h) {
    try {
      return await h.launch(file, args, opts);
    } catch {
      // The helper broke: the direct way from now on.
    }
  }
  return launchDirect(file, args, opts);
}

/**
 * Run a command to its end and collect stdout (at most `maxBytes`) and stderr. Rejects with the
 * exit status when it fails, is killed after `timeoutMs`, or `signal` aborts it.
 */
export async function runProcess(
  file: string,
  args: readonly string[],
  opts: { timeoutMs?: number; maxBytes?: number; signal?: AbortSignal } = {},
): Promise<{ stdout: string; stderr: string; exit: ProcessExit }> {
  let stderr = '';
  const p = await launchProcess(file, args, { onStderr: (d) => (stderr = (stderr + d).slice(-(1 << 20))) });
  const kill = () => p.kill();
  opts.signal?.addEventListener('abort', kill, { once: true });
  if (opts.signal?.aborted) kill();
  const timer = opts.timeoutMs ? setTimeout(kill, opts.timeoutMs) : undefined;
  try {
    const chunks: Buffer[] = [];
    let bytes = 0;
    for await (const c of p.stdout as AsyncIterable<Buffer>) {
      bytes += c.length;
      if (opts.maxBytes !== undefined && bytes > opts.maxBytes) {
        kill();
        throw new Error(`${file} wrote more than ${opts.maxBytes} bytes`);
      }
      chunks.push(c);
    }
    const exit = await p.exited;
    return { stdout: Buffer.concat(chunks).toString('utf8'), stderr, exit };
  } finally {
    if (timer) clearTimeout(timer);
    opts.signal?.removeEventListener('abort', kill);
    if (!p.hasExited) {
      kill();
      await p.exited;
    }
  }
}
