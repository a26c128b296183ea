// TODO(#15): re-export kept while H4a owns tests/geneval/python-json.test.ts and tests/geneval/evaluate.test.ts; the helpers live in src/core/pycompat/json.ts.
export * from '../../core/pycompat/json.ts';
