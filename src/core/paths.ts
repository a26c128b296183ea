import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Root of genbench's cache (models, prompts, text embeddings): GENBENCH_HOME or ~/.cache/genbench. */
export function genbenchHome(): string {
  const env = process.env.GENBENCH_HOME;
  return env && env.length > 0 ? resolve(env) : join(homedir(), '.cache', 'genbench');
}

export function modelsCacheDir(): string {
  return join(genbenchHome(), 'models');
}

export function promptsCacheDir(): string {
  return join(genbenchHome(), 'prompts');
}
