import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isGenbenchError } from '../../src/core/errors.ts';
import { silentProgress } from '../../src/core/progress.ts';
import { genevalInput } from '../../src/suites/geneval/input.ts';
import type { GenevalMetadata } from '../../src/suites/geneval/task-checks.ts';

test('GenEval: a prompt folder that exists but is malformed is named as such, not reported "absent" (issue #14 item 19)', async () => {
  const prompts: GenevalMetadata[] = [
    { tag: 'single_object', include: [{ class: 'cat', count: 1 }], prompt: 'a photo of a cat' },
    { tag: 'single_object', include: [{ class: 'dog', count: 1 }], prompt: 'a photo of a dog' },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'gb-geneval-folders-'));
  for (const i of [0, 1]) {
    const folder = join(dir, String(i).padStart(5, '0'));
    mkdirSync(join(folder, 'samples'), { recursive: true });
    for (let k = 0; k < 4; k++) writeFileSync(join(folder, 'samples', `${String(k).padStart(5, '0')}.png`), `image ${i}/${k}`);
    writeFileSync(join(folder, 'metadata.jsonl'), i === 0 ? '{not json' : `${JSON.stringify(prompts[i])}\n`);
  }
  const e = await genevalInput({ imagesDir: dir, prompts, classes: ['cat', 'dog'], progress: silentProgress() }).then(() => undefined, (x: unknown) => x);
  assert.ok(isGenbenchError(e, 'E_INPUT'), String(e));
  assert.match(e.message, /00000\/: metadata\.jsonl missing or not one JSON object/);
  assert.doesNotMatch(e.message, /absent/);
});
