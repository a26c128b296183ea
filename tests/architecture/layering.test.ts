/**
 * Layering of src/ (issue #15, design.md "Registries"): imports only go down the layers declared in
 * .dependency-cruiser.cjs, never sideways between folders of one layer, never into tests/tools/
 * bench/bin, and there is no import cycle. Checked with dependency-cruiser's API over the real tree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const config = createRequire(import.meta.url)(join(root, '.dependency-cruiser.cjs')) as IConfiguration & { LAYERS: string[][] };

async function cruiseSrc(baseDir: string): Promise<ICruiseResult> {
  const result = await cruise(['src'], { ...config.options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden } });
  assert.equal(typeof result.output, 'object', 'dependency-cruiser returned a report instead of its result object');
  return result.output as ICruiseResult;
}

/** One line per violation: rule, edge and, for a cycle, the whole cycle. */
function violationLines(r: ICruiseResult): string[] {
  return r.summary.violations.map((v) => {
    const cycle = v.cycle?.length ? ` (cycle: ${v.from} → ${v.cycle.map((c) => (typeof c === 'string' ? c : c.name)).join(' → ')})` : '';
    return `${v.rule.name}: ${v.from} → ${v.to}${cycle}`;
  });
}

let srcResult: Promise<ICruiseResult> | undefined;
const cruiseTree = (): Promise<ICruiseResult> => (srcResult ??= cruiseSrc(root));

test('src/ imports only go down the layers, with no cycle and nothing from tests/tools/bench', async () => {
  const r = await cruiseTree();
  const modules = r.modules.filter((m) => m.source.startsWith('src/'));
  assert.ok(modules.length > 100, `only ${modules.length} modules under src/ were cruised`);
  const lines = violationLines(r);
  assert.deepEqual(lines, [], `${lines.length} import rule violation(s):\n  ${lines.join('\n  ')}`);
});

test('every module under src/ sits in a folder of a declared layer', async () => {
  const r = await cruiseTree();
  const known = new Set(config.LAYERS.flat());
  const outside = r.modules.map((m) => m.source).filter((s) => s.startsWith('src/') && !known.has(s.split('/')[1]!));
  assert.deepEqual(outside, [], `modules outside every layer (add their folder to LAYERS in .dependency-cruiser.cjs):\n  ${outside.join('\n  ')}`);
});

test('the rules reject an upward import, a sideways import, a cycle and an import of tools/', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'genbench-layering-'));
  try {
    const file = (path: string, text: string): void => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    file('src/core/contracts.ts', "import type { X } from '../suites/thing.ts';\nexport type Y = X;\n");
    file('src/suites/thing.ts', 'export type X = number;\n');
    file('src/media/a.ts', "import { b } from '../runtime/b.ts';\nexport const a = b;\n");
    file('src/runtime/b.ts', "import { c } from './c.ts';\nexport const b = c;\n");
    file('src/runtime/c.ts', "import { b } from './b.ts';\nimport { t } from '../../tools/t.ts';\nexport const c = () => [b, t];\n");
    file('tools/t.ts', 'export const t = 1;\n');
    const lines = violationLines(await cruiseSrc(dir));
    const has = (rule: string, edge: string): boolean => lines.some((l) => l.startsWith(`${rule}: ${edge}`));
    assert.ok(has('layer-core-not-up', 'src/core/contracts.ts → src/suites/thing.ts'), lines.join('\n'));
    assert.ok(has('layer-media-not-sideways', 'src/media/a.ts → src/runtime/b.ts'), lines.join('\n'));
    assert.ok(has('no-circular', 'src/runtime/b.ts → src/runtime/c.ts') || has('no-circular', 'src/runtime/c.ts → src/runtime/b.ts'), lines.join('\n'));
    assert.ok(has('src-not-to-tooling', 'src/runtime/c.ts → tools/t.ts'), lines.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
