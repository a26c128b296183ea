/**
 * The AssemblyScript compiler arguments of src/media/resize/resample.wasm (`{out}`: the output
 * file). One list for the build script and for the test that rebuilds the committed binary.
 */
export const WASM_BUILD_ARGS = [
  'wasm/resample.ts',
  '--outFile', '{out}',
  '-O3',
  '--runtime', 'stub',
  '--noAssert',
  '--enable', 'simd',
  '--use', 'abort=',
] as const;
