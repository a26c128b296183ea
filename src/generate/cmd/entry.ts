/**
 * `--model cmd:"…"`: an external command as a generator (planned). It fits the contract
 * (../contract.ts) as: prepare parses the command line and its settings; identify names it (the
 * command text and the sha256 of its executable); start spawns nothing heavy; generate runs the
 * command per prompt batch with the prompt text, each sample's key and seed and a temporary output
 * path, and hands the files it wrote to the generic run, which moves them to the suite's names
 * and records them like NOVA's.
 */
import { GenbenchError } from '../../core/errors.ts';
import type { GeneratorEntry } from '../contract.ts';

const PREFIX = 'cmd:';
const PLANNED = 'external-command generators';

export const cmdEntry: GeneratorEntry = {
  kind: 'generator',
  id: 'cmd',
  describe: 'an external command that writes one sample per call (cmd:"…"; planned)',
  claims: (model) => model.startsWith(PREFIX),
  planned: PLANNED,
  load: () => Promise.reject(new GenbenchError('E_NOT_IMPLEMENTED', `${PLANNED} is not implemented yet`, 'tracked in a later issue')),
};
