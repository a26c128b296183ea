/**
 * RAFT's input (the table's `preprocess`): a packed RGB uint8 frame as the planar float32 tensor
 * [3, Hp, Wp] RAFT receives — values 0..255 as they are (RAFT normalises inside) — replicate-padded
 * by RAFT's InputPadder in 'sintel' mode (centred, the odd pixel at the bottom/right) to multiples
 * of 8. The flow is never unpadded (VBench scores the padded field).
 */
import { inputPadding, replicatePadPlanar } from '../common/input-padder.ts';
import { RAFT_THINGS } from './spec.ts';

const { pad: PAD, values: VALUES } = RAFT_THINGS.preprocess;

/** InputPadder(dims, mode='sintel')._pad as named amounts. */
export interface RaftPadding {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export function raftPadding(height: number, width: number): RaftPadding {
  const { left, right, top, bottom } = inputPadding(height, width, PAD.divisor);
  return { left, right, top, bottom };
}

/** Each byte as RAFT reads it. */
const BYTE_VALUES = Float32Array.from({ length: 256 }, (_, v) => Math.fround(v / VALUES.divide));

/** A frame ready for RAFT: planar [3, height, width] float32, padded. */
export interface RaftFrame {
  data: Float32Array;
  height: number;
  width: number;
}

/**
 * A packed RGB uint8 frame (H×W×3) as the planar float32 tensor [3, Hp, Wp] RAFT receives:
 * values 0..255, replicate-padded by `raftPadding` (F.pad mode='replicate').
 */
export function paddedPlanar(rgb: Uint8Array, height: number, width: number, pad: RaftPadding = raftPadding(height, width)): RaftFrame {
  const data = replicatePadPlanar(rgb, width, height, pad, BYTE_VALUES);
  return { data, height: height + pad.top + pad.bottom, width: width + pad.left + pad.right };
}
