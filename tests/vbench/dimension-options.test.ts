/**
 * `genbench evaluate --options` for VBench: what it accepts and the exact messages it refuses with
 * (written against the option table that existed before the dimensions declared their parameters;
 * the messages must read the same now that they derive from the definitions).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GenbenchError } from '../../src/core/errors.ts';
import { createVbenchDimensionWithOptions, describeVbenchOptions, resolveVbenchOptions, splitOptionPair } from '../../src/suites/vbench/dimension-options.ts';
import { implementedVbenchDimensions } from '../../src/suites/vbench/dimension-registry.ts';

/** The settings of the quality dimensions (those of SEL), then of the semantic ones. */
const QUALITY = 'cosine=fp16|fp32 (background_consistency, default fp16); exhaustive=false|true (dynamic_degree, default false); preprocessing_mode=longer|shorter|shorter_centercrop|None (imaging_quality, default longer)';
const ALL = `${QUALITY}; logits=fp16|fp32 (appearance_style, default fp16)`;
const SEL = ['background_consistency', 'dynamic_degree', 'imaging_quality', 'temporal_flickering'];

function refused(f: () => unknown, code: string, message: string, hint: string): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof GenbenchError, String(e));
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    assert.equal(e.hint, hint);
    return true;
  });
}

async function refusedAsync(f: () => Promise<unknown>, code: string, message: string, hint: string): Promise<void> {
  await assert.rejects(f, (e: unknown) => {
    assert.ok(e instanceof GenbenchError, String(e));
    assert.equal(e.code, code);
    assert.equal(e.message, message);
    assert.equal(e.hint, hint);
    return true;
  });
}

test('the settings are described in the dimensions’ order, for all or for the given dimensions', () => {
  assert.equal(describeVbenchOptions(), ALL);
  assert.equal(describeVbenchOptions(['dynamic_degree', 'temporal_flickering']), 'exhaustive=false|true (dynamic_degree, default false)');
  assert.equal(describeVbenchOptions(['temporal_flickering']), '');
});

test('KEY=VALUE applies to every selected dimension with the setting, DIMENSION.KEY=VALUE to one; spaces around = are dropped; a repeat with the same value is fine', () => {
  assert.deepEqual(resolveVbenchOptions(undefined, SEL), {});
  assert.deepEqual(resolveVbenchOptions(['cosine=fp32', 'exhaustive=true', 'imaging_quality.preprocessing_mode=None', 'cosine = fp32'], SEL), {
    background_consistency: { cosine: 'fp32' },
    dynamic_degree: { exhaustive: 'true' },
    imaging_quality: { preprocessing_mode: 'None' },
  });
  assert.deepEqual(resolveVbenchOptions(['cosine=fp16', 'background_consistency.cosine=fp16'], SEL), { background_consistency: { cosine: 'fp16' } });
  assert.deepEqual(splitOptionPair('a=b=c'), { key: 'a', value: 'b=c' });
});

test('malformed, unknown, inapplicable, out-of-range and contradictory settings are refused with the valid ones', () => {
  const hintSel = `settings of the selected dimensions: ${QUALITY}`;
  const hintNone = `the selected dimensions (temporal_flickering) have no settings; dimensions with settings: ${ALL}`;
  refused(() => resolveVbenchOptions(['cosine'], SEL), 'E_USAGE', '--options expects key=value, got "cosine"', 'for example --options cosine=fp32');
  refused(() => resolveVbenchOptions(['=x'], SEL), 'E_USAGE', '--options expects key=value, got "=x"', 'for example --options cosine=fp32');
  refused(() => resolveVbenchOptions(['nope.cosine=fp32'], SEL), 'E_USAGE', '--options nope.cosine=fp32: "nope" has no setting "cosine"', hintSel);
  refused(() => resolveVbenchOptions(['dynamic_degree.cosine=fp32'], SEL), 'E_USAGE', '--options dynamic_degree.cosine=fp32: "dynamic_degree" has no setting "cosine"', hintSel);
  refused(
    () => resolveVbenchOptions(['background_consistency.cosine=fp32'], ['temporal_flickering', 'dynamic_degree']),
    'E_USAGE',
    '--options background_consistency.cosine=fp32: dimension background_consistency is not selected (selected: temporal_flickering, dynamic_degree)',
    'add it to --dimensions, or drop the option',
  );
  refused(
    () => resolveVbenchOptions(['cosine=fp32'], ['temporal_flickering']),
    'E_USAGE',
    '--options cosine=fp32: no selected dimension has the setting "cosine" (background_consistency has it; selected: temporal_flickering)',
    hintNone,
  );
  refused(
    () => resolveVbenchOptions(['cosine=fp32'], ['temporal_flickering', 'dynamic_degree']),
    'E_USAGE',
    '--options cosine=fp32: no selected dimension has the setting "cosine" (background_consistency has it; selected: temporal_flickering, dynamic_degree)',
    'settings of the selected dimensions: exhaustive=false|true (dynamic_degree, default false)',
  );
  refused(() => resolveVbenchOptions(['threshold=0.5'], SEL), 'E_USAGE', '--options threshold=0.5: unknown VBench setting "threshold"', hintSel);
  refused(() => resolveVbenchOptions(['threshold=0.5'], ['temporal_flickering']), 'E_USAGE', '--options threshold=0.5: unknown VBench setting "threshold"', hintNone);
  refused(
    () => resolveVbenchOptions(['cosine=fp64'], SEL),
    'E_USAGE',
    "--options cosine=fp64: background_consistency's cosine must be one of fp16, fp32",
    'fp16 rounds each cosine as the official CUDA run does; fp32 as the official code on a CPU (CPU-made references)',
  );
  refused(
    () => resolveVbenchOptions(['exhaustive=yes'], SEL),
    'E_USAGE',
    "--options exhaustive=yes: dynamic_degree's exhaustive must be one of false, true",
    'true runs RAFT on every pair as the official loop (same verdicts; by default RAFT stops once check_move is decided)',
  );
  refused(() => resolveVbenchOptions(['cosine=fp16', 'background_consistency.cosine=fp32'], SEL), 'E_USAGE', "--options sets background_consistency's cosine twice (fp16 and fp32)", 'give each setting once');
});

test('a dimension is built with its settings; one without settings or not implemented is refused', async () => {
  assert.equal((await createVbenchDimensionWithOptions('subject_consistency', {})).id, 'subject_consistency');
  const fp32 = await createVbenchDimensionWithOptions('background_consistency', { cosine: 'fp32' });
  const fp16 = await createVbenchDimensionWithOptions('background_consistency', { cosine: 'fp16' });
  const dflt = await createVbenchDimensionWithOptions('background_consistency');
  assert.equal(fp32.settings['cosine'], 'fp32');
  assert.deepEqual(fp16.settings, dflt.settings, 'the default given explicitly is the default');
  await refusedAsync(() => createVbenchDimensionWithOptions('temporal_flickering', { cosine: 'fp32' }), 'E_USAGE', 'dimension temporal_flickering has no settings', ALL);
  await refusedAsync(
    () => createVbenchDimensionWithOptions('nope', {}),
    'E_NOT_IMPLEMENTED',
    'VBench dimension "nope" is not implemented yet',
    `implemented: ${implementedVbenchDimensions().join(', ')}`,
  );
  // The dimensions built when this test was written come first, in VBench's order.
  assert.deepEqual(implementedVbenchDimensions().slice(0, 7), ['subject_consistency', 'background_consistency', 'temporal_flickering', 'motion_smoothness', 'dynamic_degree', 'aesthetic_quality', 'imaging_quality']);
});
