/**
 * A loaded, verified metric model as dimensions use it: core's LoadedModel (id, sha256, fixture)
 * with its ONNX Runtime session and local files.
 */
import type { InferenceSession } from 'onnxruntime-node';
import type { LoadedModel, ModelSource } from '../core/contracts.ts';

export interface ModelHandle extends LoadedModel {
  /** sha256 of the graph (with companion files: of every file, see runtime/models.ts combinedSha256). */
  sha256: string;
  session: InferenceSession;
  /** Local paths of the model's files by registry file name (the graph and its companions, e.g. tokenizer.json). */
  files?: Readonly<Record<string, string>>;
}

/** Where dimensions get their models (session created once per run, checksum and signature checked). */
export type ModelProvider = ModelSource<ModelHandle>;
