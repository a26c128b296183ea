/** Worker side of frame-jobs.ts: runs one frame job (the semantic dimensions' frame transforms) per message. */
import { parentPort } from 'node:worker_threads';
import { runFrameJob, type FrameJobReply, type FrameJobRequest } from './frame-job-kinds.ts';

parentPort!.on('message', (m: FrameJobRequest) => {
  try {
    const out = runFrameJob(m.job, { width: m.width, height: m.height, data: m.pixels });
    // A fresh, exactly-sized buffer, handed over without a copy.
    const data = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? (out.buffer as ArrayBuffer) : (out.slice().buffer as ArrayBuffer);
    parentPort!.postMessage({ id: m.id, data, float: out instanceof Float32Array } satisfies FrameJobReply, [data]);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message } satisfies FrameJobReply);
  }
});
