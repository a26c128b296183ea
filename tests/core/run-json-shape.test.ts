import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunDir } from '../../src/core/run-dir.ts';
import { isGenbenchError } from '../../src/core/errors.ts';
import { baseProvenance } from '../report/helpers/synthetic-runs.ts';

test('a run.json of another shape (valid JSON, fields missing or of other types) is a named E_INPUT error, for open and for read', () => {
  const good = baseProvenance('vbench', 'custom', ['temporal_flickering']);
  const cases: Record<string, unknown> = {
    'fields missing': { schema: 1, suite: 'vbench' },
    'an array': [1, 2],
    'models not an object': { ...good, models: null },
    'dimensions missing': { ...good, dimensions: undefined },
    'host a string': { ...good, host: 'vm' },
    'another schema': { ...good, schema: 2 },
  };
  for (const [what, value] of Object.entries(cases)) {
    const root = mkdtempSync(join(tmpdir(), 'gb-runjson-'));
    writeFileSync(join(root, 'run.json'), JSON.stringify(value));
    const run = new RunDir(root);
    assert.throws(() => run.readProvenance(), (e) => isGenbenchError(e, 'E_INPUT') && /run\.json/.test(e.message), what);
    assert.throws(() => run.open(good), (e) => isGenbenchError(e, 'E_INPUT') && /run\.json/.test(e.message), what);
    run.releaseLock?.();
  }
  // A good one reads back as written.
  const root = mkdtempSync(join(tmpdir(), 'gb-runjson-'));
  writeFileSync(join(root, 'run.json'), JSON.stringify(good));
  assert.equal(new RunDir(root).readProvenance().suite, 'vbench');
});
