import { GenbenchError } from '../../src/core/errors.ts';
import { numpyMean } from '../../src/core/pycompat/numpy-mean.ts';
import type { Dimension } from '../../src/core/contracts.ts';

/** Test dimension with a hand-checkable answer: the mean byte value of the file; empty files fail. */
export function byteMeanDimension(read: (path: string) => Promise<Uint8Array>): Dimension {
  return {
    id: 'byte_mean',
    suite: 'vbench',
    models: [],
    settings: { version: 1 },
    async scoreSample(sample) {
      const bytes = await read(sample.path);
      if (bytes.length === 0) throw new GenbenchError('E_DECODE', `${sample.id} is empty`);
      let s = 0;
      for (const b of bytes) s += b;
      return { value: s / bytes.length };
    },
    aggregate(records) {
      return numpyMean(records.map((r) => r.value as number));
    },
  };
}
