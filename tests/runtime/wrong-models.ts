/** Small ONNX models with deliberately different signatures, for refusal tests. */
import { writeFileSync } from 'node:fs';
import { OnnxGraphBuilder, type Dim } from '../../tools/fixtures/onnx-builder.ts';
import { SeededRandom } from '../../tools/fixtures/seeded-random.ts';

/** image [batch,3,H,W] → Conv → GAP → Flatten → Gemm → `outputName` [batch,outDim]. */
export function writeImageEmbedder(path: string, o: { inputName?: string; inputShape?: Dim[]; outputName?: string; outDim?: number; seed?: number } = {}): string {
  const g = new OnnxGraphBuilder({ name: 'wrong' });
  const r = new SeededRandom(o.seed ?? 99);
  const inputName = o.inputName ?? 'pixel_values';
  const outDim = o.outDim ?? 512;
  g.input(inputName, 'float32', o.inputShape ?? ['batch', 3, 'height', 'width']);
  const conv = g.op('Conv', [inputName, g.floatInitializer('w', [4, 3, 2, 2], r.float32Array(48, 0.3))], { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } });
  const flat = g.op('Flatten', [g.op('GlobalAveragePool', [conv])], { axis: { int: 1 } });
  const outputName = o.outputName ?? 'features';
  g.op('Gemm', [flat, g.floatInitializer('p', [4, outDim], r.float32Array(4 * outDim, 0.5))], undefined, outputName);
  g.output(outputName, 'float32', ['batch', outDim]);
  writeFileSync(path, g.toBytes());
  return path;
}
