/**
 * Build src/media/resize/resample.wasm from wasm/resample.ts with the AssemblyScript compiler
 * (a devDependency). The binary is committed, so `npm ci` users need no compiler;
 * tests/media/resample-wasm.test.ts checks that the committed file is what this builds.
 *
 *   npm run build:wasm
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { WASM_BUILD_ARGS } from './build-args.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const out = 'src/media/resize/resample.wasm';
const asc = fileURLToPath(new URL('../../node_modules/assemblyscript/bin/asc.js', import.meta.url));
execFileSync(process.execPath, [asc, ...WASM_BUILD_ARGS.map((a) => (a === '{out}' ? out : a))], { cwd: root, stdio: 'inherit' });
const bytes = readFileSync(new URL(`../../${out}`, import.meta.url));
console.log(`${out}: ${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`);
