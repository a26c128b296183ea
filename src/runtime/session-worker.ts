/** Worker side of session-workers.ts: one ONNX Runtime session of its own, one run per message. */
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import type { RunReply, RunRequest, WireTensor, WorkerSetup } from './session-workers.ts';

const setup = workerData as WorkerSetup;
// The same options as session.ts's cpu sessions, with this worker's thread count.
const options: ort.InferenceSession.SessionOptions = {
  executionProviders: ['cpu'],
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  intraOpNumThreads: setup.threads,
  interOpNumThreads: 1,
};
const ready = setup.model ? ort.InferenceSession.create(setup.model, options) : ort.InferenceSession.create(setup.path, options);

function toWire(t: ort.Tensor): { wire: WireTensor; transfer: ArrayBuffer[] } {
  const data = t.data as Float32Array;
  // Hand over an exactly-sized buffer of our own (the tensor's may be shared or offset).
  const own = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
  return { wire: { type: t.type as WireTensor['type'], dims: [...t.dims], data: own }, transfer: [own.buffer as ArrayBuffer] };
}

parentPort!.on('message', async (m: RunRequest) => {
  try {
    const session = await ready;
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, w] of Object.entries(m.feeds)) feeds[name] = new ort.Tensor(w.type, w.data as Float32Array, w.dims);
    const out = await session.run(feeds);
    const outputs: Record<string, WireTensor> = {};
    const transfer: ArrayBuffer[] = [];
    for (const [name, t] of Object.entries(out)) {
      const { wire, transfer: tr } = toWire(t);
      outputs[name] = wire;
      transfer.push(...tr);
    }
    parentPort!.postMessage({ id: m.id, outputs } satisfies RunReply, transfer);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) } satisfies RunReply);
  }
});
