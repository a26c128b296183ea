import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic-file.ts';
import { GenbenchError } from './errors.ts';

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function readJson<T>(path: string, what: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new GenbenchError('E_NOT_FOUND', `${what} not found: ${path}`, undefined, { cause: e });
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new GenbenchError('E_INPUT', `${what} is not valid JSON: ${path}`, 'the file is damaged; restore it or start a new run', {
      cause: e,
    });
  }
}
