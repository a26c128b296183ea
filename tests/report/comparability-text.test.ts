import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeConflicts } from '../../src/report/compare/comparability.ts';

test('a long conflict value keeps the part that differs: two prompt sets of one name show both sha256 prefixes', () => {
  const name = 'geneval/prompts/evaluation_metadata.jsonl (folder metadata)';
  const a = `${name} (sha256 8f226a270a1b…)`;
  const b = `${name} (sha256 55f1e16851c2…)`;
  const [line] = describeConflicts([{ field: 'prompt set', a, b }], 'base', 'cand');
  assert.ok(line!.includes('8f226a270a1b'), line);
  assert.ok(line!.includes('55f1e16851c2'), line);
  // Short values are printed whole.
  assert.deepEqual(describeConflicts([{ field: 'mode', a: 'custom', b: 'standard' }], 'x', 'y'), ['mode: x custom vs y standard']);
});
