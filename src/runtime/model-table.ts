/**
 * The shape in which a metric model family declares each of its models (src/metrics/<family>/):
 * one table per model — registry id, provenance, ONNX contract, preprocessing as data, companion
 * files and the fixture that stands in for it. The runtime derives from these tables both the
 * built-in registry entries (registry.ts) and the fixture builder's recipes (fixtures/build.ts),
 * so each model and its fixture are written down once. The runtime never imports the families:
 * src/metrics/catalog.ts registers their tables (model-catalog.ts).
 */
import type { TensorSpec } from './model-spec-schema.ts';

/** A tensor of the contract, as a (possibly `as const`) table writes it. */
export interface TensorTable {
  readonly name: string;
  readonly dtype: TensorSpec['dtype'];
  readonly shape: readonly (number | string)[];
}

/** Graphs the generic fixture builder (fixtures/build.ts) can make with a contract's signature. */
export type FixtureArchitecture = 'image-embedding' | 'embedding-head' | 'token-head' | 'optical-flow' | 'frame-interpolation' | 'instance-segmentation' | 'text-embedding' | 'text-embedding-logit-scale' | 'video-embedding' | 'video-classifier';

/** A companion file of a fixture: copied from this repository next to the graph, pinned. */
export interface FixtureCompanionTable {
  /** Registry file name (one of the model's `companions`). */
  readonly name: string;
  /** The file in this repository, relative to its root. */
  readonly source: string;
  readonly sha256: string;
  readonly bytes: number;
}

/** The tiny random-weight model that stands in for a metric model (smoke runs, the demo). */
export interface FixtureTable {
  readonly id: string;
  readonly architecture: FixtureArchitecture;
  /** Seed of the weights; the builder's bytes depend only on it, the id and the contract. */
  readonly seed: number;
  /** sha256 and size of the graph the builder makes (the registry pins them). */
  readonly sha256: string;
  readonly bytes: number;
  readonly companions?: readonly FixtureCompanionTable[];
}

/** One metric model, as its family declares it. */
export interface MetricModelTable {
  /** Registry id (also the cache folder name). */
  readonly id: string;
  /** Family folder under src/metrics (dino, clip, …). */
  readonly family: string;
  readonly description: string;
  /** The official checkpoint. */
  readonly upstream: string;
  /** Script of this repository that exports the checkpoint to ONNX. */
  readonly exportRecipe: string;
  readonly license: string;
  /** The ONNX contract: what an exported file must take and give (fixtures share it). */
  readonly inputs: readonly TensorTable[];
  readonly outputs: readonly TensorTable[];
  /** What the official code does before (and after) the model; the family's processor reads it. */
  readonly preprocess: object;
  /** Files the model needs besides its ONNX graph (a tokenizer, …), by registry file name. */
  readonly companions?: readonly string[];
  readonly fixture: FixtureTable;
}

/** A contract's tensors as the registry's (mutable) TensorSpec values. */
export function tensorSpecs(ts: readonly TensorTable[]): TensorSpec[] {
  return ts.map((t) => ({ name: t.name, dtype: t.dtype, shape: [...t.shape] }));
}
