/**
 * A minimal Chrome DevTools Protocol client over --remote-debugging-pipe (file descriptors 3 and 4,
 * messages terminated by NUL): enough to load a page in headless Chromium, read the DOM, click,
 * collect console errors and requests, and take a screenshot. No WebSocket or npm package needed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

export const CHROMIUM = process.env.GENBENCH_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

interface Pending {
  resolve: (v: any) => void;
  reject: (e: Error) => void;
}

export interface CdpEvent {
  method: string;
  params: any;
  sessionId?: string;
}

export class CdpBrowser {
  private readonly proc: ChildProcess;
  private readonly out: Writable;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private buffer = '';
  readonly events: CdpEvent[] = [];
  private readonly waiters: { method: string; resolve: (e: CdpEvent) => void }[] = [];
  private readonly profile: string;
  stderr = '';

  private constructor() {
    this.profile = mkdtempSync(join(tmpdir(), 'gb-chromium-'));
    this.proc = spawn(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-extensions',
        `--user-data-dir=${this.profile}`,
        '--remote-debugging-pipe',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
    );
    this.out = this.proc.stdio[3] as Writable;
    const input = this.proc.stdio[4] as Readable;
    (this.proc.stderr as Readable).on('data', (d: Buffer) => (this.stderr += d.toString()));
    input.on('data', (d: Buffer) => this.receive(d.toString('utf8')));
    this.proc.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`chromium exited: ${this.stderr.slice(-2000)}`));
      this.pending.clear();
    });
  }

  static launch(): CdpBrowser {
    return new CdpBrowser();
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\0')) >= 0) {
      const msg = JSON.parse(this.buffer.slice(0, end));
      this.buffer = this.buffer.slice(end + 1);
      if (typeof msg.id === 'number') {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error) p?.reject(new Error(`${msg.error.message} (${JSON.stringify(msg.error.data ?? '')})`));
        else p?.resolve(msg.result);
      } else if (msg.method) {
        const ev = { method: msg.method, params: msg.params, sessionId: msg.sessionId };
        this.events.push(ev);
        for (const w of this.waiters.filter((x) => x.method === msg.method)) w.resolve(ev);
        for (let i = this.waiters.length - 1; i >= 0; i--) if (this.waiters[i]!.method === msg.method) this.waiters.splice(i, 1);
      }
    }
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.out.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  waitFor(method: string, timeoutMs = 60_000): Promise<CdpEvent> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${method}`)), timeoutMs);
      this.waiters.push({ method, resolve: (e) => (clearTimeout(t), resolve(e)) });
    });
  }

  /** Open a page target and attach to it; returns the session id. */
  async newPage(width: number, height: number): Promise<string> {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    for (const d of ['Page.enable', 'Runtime.enable', 'Log.enable', 'Network.enable']) await this.send(d, {}, sessionId);
    await this.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
    return sessionId;
  }

  async evaluate<T>(sessionId: string, expression: string): Promise<T> {
    const r = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true }, sessionId);
    if (r.exceptionDetails) throw new Error(`page threw: ${JSON.stringify(r.exceptionDetails)}`);
    return r.result.value as T;
  }

  async close(): Promise<void> {
    try {
      await Promise.race([this.send('Browser.close'), new Promise((r) => setTimeout(r, 3000))]);
    } catch {
      // already gone
    }
    // Browser.close answers before Chromium (and its helper processes) have finished writing the
    // profile: wait for the exit, then remove the folder with retries (a late write made CI's
    // rmSync fail with ENOTEMPTY once).
    if (!(await this.exited(5000))) {
      this.proc.kill('SIGKILL');
      await this.exited(5000);
    }
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }

  private exited(timeoutMs: number): Promise<boolean> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.proc.once('exit', () => (clearTimeout(t), resolve(true)));
    });
  }
}
