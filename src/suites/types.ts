// TODO(#15): re-export kept while H4a/H4c own tests/vbench/**, tests/geneval/** and bench/geneval.ts; contracts live in src/core/contracts.ts, model handles in src/runtime/model-handle.ts.
import type { Dimension as CoreDimension, DimensionContext as CoreDimensionContext } from '../core/contracts.ts';
import type { ModelHandle } from '../runtime/model-handle.ts';
export type { SampleRecord, SampleRef, SampleResult } from '../core/contracts.ts';
export type { ModelHandle, ModelProvider } from '../runtime/model-handle.ts';
export type Dimension = CoreDimension<ModelHandle>;
export type DimensionContext = CoreDimensionContext<ModelHandle>;
