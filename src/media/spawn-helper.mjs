// genbench's process launcher (see process-launcher.ts): a small Node.js process that starts
// ffmpeg / ffprobe on behalf of the main process.
//
// Why: child_process.spawn forks the calling process, and a fork costs time in proportion to the
// caller's mapped memory (measured: ~1 ms at 45 MB, 8 ms at 250 MB, 34 ms at 1 GB resident),
// during which the caller's event loop stands still. A scoring run holds models and frame
// buffers (often gigabytes) and starts one or two processes per video; this helper stays small,
// so its forks stay cheap.
//
// Protocol: one JSON object per line.
//   in:  {op: 'spawn', id, file, args, socket}   connect to the Unix socket, send "<id>\n" on it,
//                                               start `file args` with that socket as stdout
//        {op: 'kill', id, signal}
//   out: {op: 'spawned', id, pid}
//        {op: 'stderr', id, data}                 the child's stderr, as UTF-8 text
//        {op: 'exit', id, code, signal, error?, stream?}  after the child's stderr closed (error: it could
//                                               not start; stream false: no socket stream will come)
// The child's stdout bytes go straight to the main process through the socket (no copy here).
// When the main process goes away (stdin ends), every child still running is killed.
import { spawn } from 'node:child_process';
import net from 'node:net';
import readline from 'node:readline';

const children = new Map();
const send = (m) => process.stdout.write(`${JSON.stringify(m)}\n`);

function start(m) {
  const sock = net.connect(m.socket);
  let done = false;
  // Before the id went out on the socket, the main process will see no stream for this launch.
  const fail = (message) => {
    if (done) return;
    done = true;
    sock.destroy();
    send({ op: 'exit', id: m.id, code: null, signal: null, error: message, stream: false });
  };
  sock.once('error', (e) => fail(`cannot reach the main process: ${e.message}`));
  sock.once('connect', () => {
    sock.write(`${m.id}\n`, (err) => {
      if (err) return fail(`cannot reach the main process: ${err.message}`);
      let child;
      try {
        child = spawn(m.file, m.args, { stdio: ['ignore', sock, 'pipe'] });
      } catch (e) {
        return fail(e.message);
      }
      // The child holds the socket now; this process's copy must close so that the main
      // process sees the end of the stream when the child exits.
      sock.destroy();
      done = true;
      children.set(m.id, child);
      child.once('error', (e) => {
        children.delete(m.id);
        send({ op: 'exit', id: m.id, code: null, signal: null, error: e.message });
      });
      if (child.pid !== undefined) send({ op: 'spawned', id: m.id, pid: child.pid });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (data) => send({ op: 'stderr', id: m.id, data }));
      child.once('close', (code, signal) => {
        if (!children.has(m.id)) return;
        children.delete(m.id);
        send({ op: 'exit', id: m.id, code, signal });
      });
    });
  });
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let m;
  try {
    m = JSON.parse(line);
  } catch {
    return;
  }
  if (m.op === 'spawn') start(m);
  else if (m.op === 'kill') children.get(m.id)?.kill(m.signal ?? 'SIGKILL');
});

// Ctrl-C reaches the whole process group: the children stop by themselves and the main process
// decides what that means; this helper stays to report their exits, and ends with the main process.
process.on('SIGINT', () => {});

process.stdin.once('end', () => {
  // Kill what still runs and reap it before leaving (no orphans, no zombies).
  const left = [...children.values()];
  if (left.length === 0) process.exit(0);
  let n = left.length;
  for (const c of left) {
    c.once('exit', () => --n === 0 && process.exit(0));
    c.kill('SIGKILL');
  }
  setTimeout(() => process.exit(0), 5000).unref();
});
