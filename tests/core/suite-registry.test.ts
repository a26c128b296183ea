import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { isGenbenchError } from '../../src/core/errors.ts';
import { withCoverage, type HeadlineLike } from '../../src/suites/coverage.ts';
import { GENEVAL_COLOR_TASK_ORDER, GENEVAL_TASK_ORDER } from '../../src/suites/geneval/tasks.ts';
import { GENEVAL_COLOR_TASKS, GENEVAL_TASK_IDS } from '../../src/suites/geneval/task-dimension.ts';
import { allSuites, findSuite, getSuite, suiteIds } from '../../src/suites/registry.ts';

test('the registry holds VBench (the default) and GenEval; an unknown id is a usage error naming the known ones', () => {
  assert.deepEqual(suiteIds(), ['vbench', 'geneval']);
  for (const s of allSuites()) {
    assert.equal(getSuite(s.id), s);
    assert.equal(s.layout.suite, s.id, `${s.id}: its layout is its own`);
    assert.ok(s.modes.length > 0, `${s.id}: a default mode`);
    for (const c of s.layout.dimensions) assert.ok(s.dimensions.ids.includes(c.id), `${s.id}: layout column ${c.id} is a dimension of the suite`);
  }
  assert.equal(findSuite('t2i-compbench'), undefined);
  assert.throws(() => getSuite('t2i-compbench'), (e: unknown) => isGenbenchError(e, 'E_USAGE') && /known suites: vbench, geneval/.test(e.hint ?? ''));
});

test("GenEval's dependency-free task list is task-dimension.ts's (ids, order, colour tasks)", () => {
  assert.deepEqual(GENEVAL_TASK_ORDER, [...GENEVAL_TASK_IDS]);
  assert.deepEqual(GENEVAL_COLOR_TASK_ORDER, [...GENEVAL_COLOR_TASKS]);
});

test('a dimension for aggregation is the suite\'s own (merge and gate recompute with it); unknown or not built: null', async () => {
  const counting = await getSuite('geneval').dimensions.forAggregate('counting');
  assert.equal(counting?.id, 'counting');
  assert.equal(counting?.suite, 'geneval');
  // Two of three images correct: 2/3, GenEval's task accuracy.
  const rec = (ok: boolean) => ({ key: '', dimension: 'counting', sample: '', path: '', prompt: '', contentSha256: '', ok: true, value: ok, at: '' });
  assert.equal(counting!.aggregate([rec(true), rec(false), rec(true)]), 2 / 3);
  assert.equal(await getSuite('geneval').dimensions.forAggregate('temporal_flickering'), null);
  assert.equal((await getSuite('vbench').dimensions.forAggregate('temporal_flickering'))?.suite, 'vbench');
  assert.equal(await getSuite('vbench').dimensions.forAggregate('object_class'), null, 'not built yet');
  await assert.rejects(getSuite('geneval').merge.dimensionFor('colour'), (e: unknown) => isGenbenchError(e, 'E_MERGE'));
});

test("headline coverage follows the suite's members: VBench Quality counts quality dimensions only, GenEval overall every task", () => {
  const h: HeadlineLike = { value: 0.5, missing: [], partial: false };
  const dims = {
    temporal_flickering: { samples: 3, expected: 4 }, // quality, one short
    scene: { samples: 10, expected: 10 }, // semantic, complete
  };
  const v = withCoverage(getSuite('vbench').scores, { quality: h, semantic: h, total: h }, dims);
  assert.deepEqual(v['quality']!.coverage, { samples: 3, expected: 4 });
  assert.equal(v['semantic']!.partial, false);
  assert.deepEqual(v['total']!.coverage, { samples: 13, expected: 14 });
  const g = withCoverage(getSuite('geneval').scores, { overall: h }, { counting: { samples: 3, expected: 4 }, colors: { samples: 4, expected: 4 } });
  assert.deepEqual(g['overall']!.coverage, { samples: 7, expected: 8 });
});

/** Source files that branch on a suite's name (`=== 'vbench'`, `suite !== 'geneval'`, a `'vbench' | 'geneval'` union). */
function suiteBranches(root: string, skip: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !skip.includes(relative('.', p))) {
        readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
          if (/[!=]==\s*'(vbench|geneval)'|'(vbench|geneval)'\s*[!=]==|'vbench'\s*\|\s*'geneval'/.test(line)) found.push(`${relative('.', p)}:${i + 1}: ${line.trim()}`);
        });
      }
    }
  };
  walk(root);
  return found;
}

test('core, suites, report and the CLI look suites up instead of branching on their names', () => {
  assert.deepEqual([...suiteBranches('src/core', []), ...suiteBranches('src/report', []), ...suiteBranches('src/cli', []), ...suiteBranches('src/suites', [])], []);
});
