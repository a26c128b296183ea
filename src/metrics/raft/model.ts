/**
 * RAFT as a typed call: the flow of one padded pair (processor.ts), as the official model gives
 * it, including where it gives none. The official RAFT's correlation pyramid has levels of
 * ⌊Hp/8⌋, ⌊Hp/16⌋, ⌊Hp/32⌋, ⌊Hp/64⌋ rows (same for columns). A level of size 1 makes
 * `bilinear_sampler` divide by H−1 = 0, and the official flow is NaN everywhere
 * (64 ≤ min(Hp,Wp) < 128; measured with torch 1.13 on CPU). ONNX Runtime's GridSample returns
 * finite values there instead, so that case is answered without running the model. Below 64 a
 * level has size 0 and avg_pool2d raises (the official run stops).
 */
import * as ort from 'onnxruntime-node';
import { GenbenchError } from '../../core/errors.ts';
import type { RaftFrame } from './processor.ts';
import { RAFT_THINGS } from './spec.ts';

const [IMAGE1, IMAGE2] = RAFT_THINGS.inputs;
const [FLOW] = RAFT_THINGS.outputs;

/** A RAFT session, or a ModelRunner over one (session-workers.ts). */
export interface FlowModel {
  run(feeds: Record<string, ort.Tensor>, opts?: ort.InferenceSession.RunOptions & { workingBytes?: number }): Promise<Record<string, ort.Tensor>>;
  /** Runs that may be left in flight (a ModelRunner's `ahead`); none when absent. */
  readonly ahead?: number;
}

/**
 * What the official RAFT does at a padded size: 'ok'; 'nan' (flow NaN everywhere);
 * 'error' (RuntimeError in avg_pool2d, "Output size is too small").
 */
export function raftSizeOutcome(paddedHeight: number, paddedWidth: number): 'ok' | 'nan' | 'error' {
  const m = Math.min(paddedHeight, paddedWidth);
  if (m < 64) return 'error';
  if (m < 128) return 'nan';
  return 'ok';
}

/**
 * Working memory of one RAFT run, dominated by the all-pairs correlation volume at 1/8 resolution:
 * n² float32 values for n = (Hp/8)·(Wp/8), its pyramid (+⅓) and a copy while it is built.
 */
export function raftWorkingBytes(paddedHeight: number, paddedWidth: number): number {
  const n = Math.floor(paddedHeight / 8) * Math.floor(paddedWidth / 8);
  return 12 * n * n;
}

/** RAFT flow_up for one padded pair: [2, Hp, Wp] as u plane then v plane. */
export async function raftFlow(model: FlowModel, a: RaftFrame, b: RaftFrame): Promise<Float32Array> {
  const dims = [1, 3, a.height, a.width];
  const feeds = { [IMAGE1.name]: new ort.Tensor('float32', a.data, dims), [IMAGE2.name]: new ort.Tensor('float32', b.data, dims) };
  // A worker pool holds back runs whose correlation volumes would not fit together (720p: ~2.5 GB each).
  const out = model.ahead ? await model.run(feeds, { workingBytes: raftWorkingBytes(a.height, a.width) }) : await model.run(feeds);
  const flow = out[FLOW.name];
  if (!flow) throw new GenbenchError('E_RUN', `the RAFT model returned no \`${FLOW.name}\` output`);
  const want = [1, 2, a.height, a.width];
  if (flow.dims.length !== 4 || flow.dims.some((d, i) => d !== want[i])) {
    throw new GenbenchError('E_RUN', `RAFT flow has shape [${flow.dims.join(',')}], expected [${want.join(',')}]`);
  }
  return flow.data as Float32Array;
}

/**
 * The official RAFT's answer for a padded pair: its flow; null where that flow is NaN everywhere
 * (the model is not run); E_INPUT where the official RAFT raises (`subject` names the video).
 */
export async function officialFlow(model: FlowModel, a: RaftFrame, b: RaftFrame, subject: string): Promise<Float32Array | null> {
  const outcome = raftSizeOutcome(a.height, a.width);
  if (outcome === 'nan') return null;
  if (outcome === 'error') {
    throw new GenbenchError(
      'E_INPUT',
      `${subject}: frames padded to ${a.height}×${a.width} are too small for RAFT (a side under 64 px)`,
      'the official RAFT raises in its correlation pyramid (avg_pool2d: output size is too small) and the run stops',
    );
  }
  return raftFlow(model, a, b);
}
