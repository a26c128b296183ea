/**
 * NOVA's text encoder, Phi-2 used as an encoder (diffnext/models/text_encoders/phi.py
 * PhiEncoderModel), as an ONNX graph: token embedding → layers of the parallel block
 *   h = LN(x); x = x + Attn(h) + MLP(h)
 * → final LayerNorm; the output is last_hidden_state (the lm_head is never used).
 * Attention: q/k/v projections with bias, partial rotary embedding on the first rotary_dim dims
 * of each head (non-interleaved rotate-half, positions 0..L−1, cos/sin tables in float32), causal
 * softmax attention with scale 1/√head_dim, dense output projection. MLP: fc1 → tanh-GELU → fc2.
 *
 * Input: input_ids (B, L) int64 (no padding needed: attention is causal, so outputs at real
 * tokens never see pads). Output: hidden (B, L, hidden_size).
 */
import type { PhiConfig } from '../config.ts';
import { GraphBuilder } from '../../../runtime/onnx-builder.ts';
import { type Ctx, geluTanh, layerNorm, linear, mergeHeads, mlp2, sdpa, splitHeads } from '../graph/layers.ts';
import type { WeightBinder } from '../graph/weights.ts';

const f32 = Math.fround;

/** PhiCache.init_rotary: cos/sin (positions, rotary_dim/2) in float32. */
export function phiRotaryTables(positions: number, rotaryDim: number, theta: number): { cos: Float32Array; sin: Float32Array; half: number } {
  const half = Math.floor(rotaryDim / 2);
  const inv = new Float32Array(half);
  for (let i = 0; i < half; i++) inv[i] = f32(1 / f32(theta ** f32((2 * i) / rotaryDim)));
  const cos = new Float32Array(positions * half);
  const sin = new Float32Array(positions * half);
  for (let p = 0; p < positions; p++) {
    for (let i = 0; i < half; i++) {
      const a = f32(p * inv[i]);
      cos[p * half + i] = Math.cos(a);
      sin[p * half + i] = Math.sin(a);
    }
  }
  return { cos, sin, half };
}

/** Weight-name prefix of the decoder stack inside PhiEncoderModel's state dict. */
export const PHI_PREFIX = 'model';

export function buildPhiEncoderGraph(w: WeightBinder, cfg: PhiConfig, prefix = PHI_PREFIX): Uint8Array {
  const b = new GraphBuilder({ name: 'nova_phi_encoder' });
  const ctx: Ctx = { b, w };
  const { hiddenSize: D, heads: H, headDim: hd, intermediateSize: I } = cfg;
  const ids = b.input('input_ids', 'int64', ['batch', 'tokens']);
  let x = b.op('Gather', [w.tensor(b, `${prefix}.embed_tokens.weight`, [cfg.vocabSize, D]), ids], { axis: { int: 0 } });

  // Rotary tables sliced to the sequence length; causal additive mask built from the length.
  const { cos, sin, half } = phiRotaryTables(cfg.maxPositions, cfg.rotaryDim, cfg.ropeTheta);
  const roDim = 2 * half;
  const len = b.op('Shape', [ids], { start: { int: 1 }, end: { int: 2 } });
  const slice = (table: Float32Array, name: string) => {
    const t = b.floatInitializer(name, [cfg.maxPositions, half], table);
    const s = b.op('Slice', [t, b.ints([0]), len, b.ints([0])]);
    const both = b.op('Concat', [s, s], { axis: { int: -1 } }); // (L, roDim): "... d -> ... (2 d)"
    return b.op('Unsqueeze', [both, b.ints([0, 1])]); // (1, 1, L, roDim) against (B, H, L, hd)
  };
  const cos2 = slice(cos, 'rotary_cos');
  const sin2 = slice(sin, 'rotary_sin');
  const lenScalar = b.op('Squeeze', [len, b.ints([0])]);
  const pos = b.op('Range', [b.ints([0], true), lenScalar, b.ints([1], true)]);
  const future = b.op('Greater', [b.op('Unsqueeze', [pos, b.ints([0])]), b.op('Unsqueeze', [pos, b.ints([1])])]);
  const causal = b.op('Where', [future, b.scalar(-Infinity), b.scalar(0)]);

  const rotate = (t: string): string => {
    if (roDim === 0) return t;
    const rot = b.op('Slice', [t, b.ints([0]), b.ints([roDim]), b.ints([3])]);
    const pass = b.op('Slice', [t, b.ints([roDim]), b.ints([hd]), b.ints([3])]);
    const x1 = b.op('Slice', [rot, b.ints([0]), b.ints([half]), b.ints([3])]);
    const x2 = b.op('Slice', [rot, b.ints([half]), b.ints([roDim]), b.ints([3])]);
    const rotated = b.op('Concat', [b.op('Neg', [x2]), x1], { axis: { int: 3 } });
    const mixed = b.op('Add', [b.op('Mul', [rot, cos2]), b.op('Mul', [rotated, sin2])]);
    return roDim === hd ? mixed : b.op('Concat', [mixed, pass], { axis: { int: 3 } });
  };
  const heads = (t: string) => splitHeads(b, t, H, hd);

  for (let i = 0; i < cfg.layers; i++) {
    const p = `${prefix}.layers.${i}`;
    const h = layerNorm(ctx, x, `${p}.input_layernorm`, D, cfg.layerNormEps);
    const q = rotate(heads(linear(ctx, h, `${p}.self_attn.q_proj`, D, H * hd)));
    const k = rotate(heads(linear(ctx, h, `${p}.self_attn.k_proj`, D, H * hd)));
    const v = heads(linear(ctx, h, `${p}.self_attn.v_proj`, D, H * hd));
    const attn = linear(ctx, mergeHeads(b, sdpa(b, q, k, v, hd, causal), H * hd), `${p}.self_attn.dense`, H * hd, D);
    const mlp = mlp2(ctx, h, `${p}.mlp`, ['fc1', 'fc2'], [D, I, D], geluTanh);
    x = b.op('Add', [b.op('Add', [attn, mlp]), x]);
  }
  b.outputAs(layerNorm(ctx, x, `${prefix}.final_layernorm`, D, cfg.layerNormEps), 'hidden', 'float32', ['batch', 'tokens', D]);
  return b.toBytes();
}
