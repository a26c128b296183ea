/**
 * core's Dimension and DimensionContext as the suites' ONNX-model dimensions take them: their
 * models come as runtime's ModelHandle (with the session). For code that scores with such a
 * dimension directly (tests, benchmarks); the contracts themselves are in src/core/contracts.ts.
 */
import type { Dimension, DimensionContext } from '../core/contracts.ts';
import type { ModelHandle } from '../runtime/model-handle.ts';

export type ModelDimension = Dimension<ModelHandle>;
export type ModelDimensionContext = DimensionContext<ModelHandle>;
