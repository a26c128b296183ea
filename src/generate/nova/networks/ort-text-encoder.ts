/**
 * The text-encoder part of NovaNetworks: the checkpoint's tokenizer (tokenizer/tokenizer.json, run by
 * @huggingface/tokenizers) and the Phi-2 graph (phi-encoder.ts) over ONNX Runtime.
 *
 * As TextEmbed.encode_prompts does: ids = tokenizer(prompt, max_length=256, truncation=True) with the
 * tokenizer's default special-token handling (the CodeGen/Phi tokenizer adds no BOS/EOS), the first
 * 256 ids kept; Phi-2 runs on the unpadded ids (attention is causal and pads are on the right, so
 * the rows at real tokens are what the official padded batch gives).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as hfTokenizers from '@huggingface/tokenizers';
import ort from 'onnxruntime-node';
import { GenbenchError } from '../../../core/errors.ts';
import { createSession } from '../../../runtime/session.ts';
import { type PhiConfig, parsePhiConfig, readJsonConfig } from '../config.ts';
import { writeGraphFile } from '../graph/graph-files.ts';
import { openSafetensors } from '../safetensors.ts';
import type { TextFeatures } from '../sampler/networks.ts';
import { buildPhiEncoderGraph } from './phi-encoder.ts';
import type { TextEncoderPart } from '../sampler/networks.ts';
import type { WeightDelivery } from './transformer-graphs.ts';
import type { Device } from '../../../core/contracts.ts';

/** NOVA's text_token_len: prompts are cut at 256 tokens. */
export const NOVA_MAX_TEXT_TOKENS = 256;

interface HfTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): { ids: number[] };
}
const TokenizerClass = (hfTokenizers as unknown as { Tokenizer: new (json: object, config: object) => HfTokenizer }).Tokenizer;

/** Token ids of a prompt as the official tokenizer call gives them, cut at `maxTokens`. */
export function tokenizePrompt(tokenizer: HfTokenizer, prompt: string, maxTokens = NOVA_MAX_TEXT_TOKENS): { ids: number[]; truncated: boolean } {
  const ids = tokenizer.encode(prompt).ids;
  return { ids: ids.slice(0, maxTokens), truncated: ids.length > maxTokens };
}

export function loadTokenizer(tokenizerDir: string): HfTokenizer {
  const read = (name: string, required: boolean): object => {
    const path = join(tokenizerDir, name);
    if (!existsSync(path)) {
      if (required) throw new GenbenchError('E_NOT_FOUND', `tokenizer file not found: ${path}`, 'download the checkpoint (its tokenizer/ folder) with genbench models fetch');
      return {};
    }
    try {
      return JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw new GenbenchError('E_INPUT', `cannot read ${path}: ${(e as Error).message}`, 'download the checkpoint again');
    }
  };
  return new TokenizerClass(read('tokenizer.json', true), read('tokenizer_config.json', false));
}

export class OrtPhiTextEncoder implements TextEncoderPart {
  private constructor(
    readonly config: PhiConfig,
    private readonly tokenizer: HfTokenizer,
    private readonly session: ort.InferenceSession,
    readonly maxTokens: number,
  ) {}

  static async open(textEncoderDir: string, tokenizerDir: string, opts: { delivery?: WeightDelivery; outDir?: string; device?: Device; threads?: number; maxTokens?: number } = {}): Promise<OrtPhiTextEncoder> {
    const cfg = parsePhiConfig(readJsonConfig(join(textEncoderDir, 'config.json')), join(textEncoderDir, 'config.json'));
    const tokenizer = loadTokenizer(tokenizerDir);
    const delivery = opts.delivery ?? 'external';
    const source = openSafetensors(textEncoderDir, 'model');
    let file: string;
    try {
      file = writeGraphFile(source, 'phi_encoder', delivery, opts.outDir, cfg, (w) => buildPhiEncoderGraph(w, cfg))!;
    } finally {
      source.close();
    }
    const session = await createSession(file, { device: opts.device, threads: opts.threads });
    return new OrtPhiTextEncoder(cfg, tokenizer, session, opts.maxTokens ?? NOVA_MAX_TEXT_TOKENS);
  }

  /** Phi-2 hidden states (after the final LayerNorm) of already tokenised ids. */
  async encodeIds(ids: readonly number[]): Promise<Float32Array> {
    if (ids.length === 0) return new Float32Array(0);
    const bad = ids.find((i) => !Number.isInteger(i) || i < 0 || i >= this.config.vocabSize);
    if (bad !== undefined) throw new GenbenchError('E_INPUT', `token id ${bad} is outside the vocabulary (${this.config.vocabSize})`, 'the tokenizer does not belong to this text encoder');
    const out = await this.session.run({ input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]) });
    return out.hidden.data as Float32Array;
  }

  async encodeText(prompts: readonly string[]): Promise<TextFeatures[]> {
    const result: TextFeatures[] = [];
    for (const p of prompts) {
      const { ids, truncated } = tokenizePrompt(this.tokenizer, p, this.maxTokens);
      result.push({ features: await this.encodeIds(ids), length: ids.length, truncated });
    }
    return result;
  }
}
