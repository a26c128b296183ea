/** Parsing of prompt files by format, so counts mean the same thing everywhere. */
import { GenbenchError } from '../core/errors.ts';
import type { PromptFormat } from './manifests.ts';

/**
 * Entries of a prompt file: txt-lines → the lines (without their line endings; a final newline
 * does not make an empty entry), jsonl → the parsed non-empty lines, json → the top-level array.
 * `name` is used in error messages.
 */
export function parsePromptEntries(text: string, format: PromptFormat, name: string): unknown[] {
  switch (format) {
    case 'txt-lines': {
      const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
      if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      return lines;
    }
    case 'jsonl':
      return text
        .split('\n')
        .map((l, i) => [l, i] as const)
        .filter(([l]) => l.trim() !== '')
        .map(([l, i]) => {
          try {
            return JSON.parse(l) as unknown;
          } catch (e) {
            throw new GenbenchError('E_PROMPTS', `${name}: line ${i + 1} is not valid JSON (${(e as Error).message})`);
          }
        });
    case 'json': {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (e) {
        throw new GenbenchError('E_PROMPTS', `${name} is not valid JSON (${(e as Error).message})`);
      }
      if (!Array.isArray(value)) throw new GenbenchError('E_PROMPTS', `${name}: expected a JSON array at the top level`);
      return value;
    }
  }
}
