/** Worker side of frame-transform-pool.ts: runs one VBench frame transform per message. */
import { parentPort } from 'node:worker_threads';
import { clipTransform, dinoTransform } from './frame-transforms.ts';

export interface TransformRequest {
  id: number;
  kind: 'clip' | 'dino';
  size: number;
  width: number;
  height: number;
  pixels: ArrayBuffer;
}

export interface TransformReply {
  id: number;
  channels: number;
  height: number;
  width: number;
  data?: ArrayBuffer;
  error?: string;
}

parentPort!.on('message', (m: TransformRequest) => {
  try {
    const frame = { width: m.width, height: m.height, data: new Uint8Array(m.pixels) };
    const t = m.kind === 'clip' ? clipTransform(frame, m.size) : dinoTransform(frame, m.size);
    // A fresh, exactly-sized buffer, handed over without a copy.
    const data = t.data.byteOffset === 0 && t.data.byteLength === t.data.buffer.byteLength ? t.data.buffer : t.data.slice().buffer;
    const reply: TransformReply = { id: m.id, channels: t.channels, height: t.height, width: t.width, data: data as ArrayBuffer };
    parentPort!.postMessage(reply, [data as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, channels: 0, height: 0, width: 0, error: (e as Error).message } satisfies TransformReply);
  }
});
