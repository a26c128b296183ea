/** Worker side of frame-transform-pool.ts: runs one frame transform (image-transform.ts) per message. */
import { parentPort } from 'node:worker_threads';
import { imageTransform, type ImageTransformSpec } from './image-transform.ts';

export interface TransformRequest {
  id: number;
  /** The model table's preprocessing (structured-cloned). */
  transform: ImageTransformSpec;
  width: number;
  height: number;
  /** The frame's bytes: transferred, or a view of a SharedArrayBuffer read in place. */
  pixels: Uint8Array;
  /** A view of a SharedArrayBuffer to write the result into (then the reply carries no data). */
  into?: Float32Array;
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
    const frame = { width: m.width, height: m.height, data: m.pixels };
    const t = imageTransform(frame, m.transform, m.into);
    if (m.into) {
      parentPort!.postMessage({ id: m.id, channels: t.channels, height: t.height, width: t.width } satisfies TransformReply);
      return;
    }
    // A fresh, exactly-sized buffer, handed over without a copy.
    const data = t.data.byteOffset === 0 && t.data.byteLength === t.data.buffer.byteLength ? t.data.buffer : t.data.slice().buffer;
    const reply: TransformReply = { id: m.id, channels: t.channels, height: t.height, width: t.width, data: data as ArrayBuffer };
    parentPort!.postMessage(reply, [data as ArrayBuffer]);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, channels: 0, height: 0, width: 0, error: (e as Error).message } satisfies TransformReply);
  }
});
