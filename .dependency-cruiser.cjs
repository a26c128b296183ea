/**
 * Import rules for src/ (checked by tests/architecture/layering.test.ts through dependency-cruiser's
 * API; `npx depcruise src` prints the same violations). Layers, top to bottom — a module may import
 * its own layer's folder and any layer below it, never one above, never a sibling folder of its layer:
 *
 *   6  cli                                   command-line wiring
 *   5  report · generate · selftest          features the CLI runs (reports, generation, self-test)
 *   4  suites                                VBench / GenEval: dimensions, samples, aggregation
 *   3  metrics                               metric model families (pre/post-processing, typed API)
 *   2  runtime · media · prompts             ONNX Runtime + model registry, decoding/resizing, prompt files
 *   1  core                                  contracts, run store, errors, hashing, Python/numpy compatibility
 *
 * src/ never imports tests/, tools/, bench/ or bin/, and no import cycle is allowed anywhere in src/
 * (type-only imports count: tsPreCompilationDeps).
 */

/** Folder names under src/, by layer (index 0 = bottom). */
const LAYERS = [['core'], ['runtime', 'media', 'prompts'], ['metrics'], ['suites'], ['report', 'generate', 'selftest'], ['cli']];

const folder = (name) => `^src/${name}/`;
const anyOf = (names) => `^src/(${names.join('|')})/`;

const layerRules = LAYERS.flatMap((names, level) => {
  const above = LAYERS.slice(level + 1).flat();
  return names.flatMap((name) => {
    const rules = [];
    if (above.length > 0) {
      rules.push({
        name: `layer-${name}-not-up`,
        comment: `src/${name} (layer ${level + 1}) must not import from a higher layer (${above.join(', ')})`,
        severity: 'error',
        from: { path: folder(name) },
        to: { path: anyOf(above) },
      });
    }
    const siblings = names.filter((n) => n !== name);
    if (siblings.length > 0) {
      rules.push({
        name: `layer-${name}-not-sideways`,
        comment: `src/${name} must not import from its sibling folder(s) of the same layer (${siblings.join(', ')})`,
        severity: 'error',
        from: { path: folder(name) },
        to: { path: anyOf(siblings) },
      });
    }
    return rules;
  });
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'import cycles make load order and layering fragile: move the shared part down',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'src-not-to-tooling',
      comment: 'the product (src/) must not depend on tests, tools, benchmarks or the bin launcher',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(tests|tools|bench|bin)/' },
    },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
  },
};

// The layer table itself, for tests/architecture/layering.test.ts (which also checks that every
// module under src/ sits in one of these folders). Not enumerable: not part of the cruiser's schema.
Object.defineProperty(module.exports, 'LAYERS', { value: LAYERS, enumerable: false });
