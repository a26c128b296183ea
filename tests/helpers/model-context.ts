/** A DimensionContext whose models are local ONNX files (parity tests on the tiny fixtures). */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import type { DimensionContext, SampleRecord, SampleRef } from '../../src/core/contracts.ts';
import type { ModelHandle } from '../../src/runtime/model-handle.ts';

/**
 * `threads`: ONNX Runtime intra-op threads (default 1 in tests; `undefined` = ONNX Runtime's choice, as the product).
 * `companions`: per model id, its companion files by registry name (a tokenizer.json).
 */
export function fileModelContext(files: Record<string, string>, threads: number | undefined = 1, companions: Record<string, Record<string, string>> = {}): DimensionContext<ModelHandle> {
  const handles = new Map<string, Promise<ModelHandle>>();
  return {
    device: 'cpu',
    log() {},
    models: {
      get(id: string) {
        const path = files[id];
        if (!path) return Promise.reject(new Error(`no test model for ${id}`));
        let h = handles.get(id);
        if (!h) {
          h = ort.InferenceSession.create(path, threads === undefined ? {} : { intraOpNumThreads: threads }).then((session) => ({
            id,
            sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
            session,
            ...(companions[id] ? { files: companions[id] } : {}),
          }));
          handles.set(id, h);
        }
        return h;
      },
    },
  };
}

export function sampleOf(path: string): SampleRef {
  return { id: path, path, prompt: '', contentSha256: '' };
}

export function recordOf(dimension: string, path: string, value: number | boolean, extra?: Record<string, unknown>): SampleRecord {
  return { key: path, dimension, sample: path, path, prompt: '', contentSha256: '', ok: true, value, extra, at: '' };
}
