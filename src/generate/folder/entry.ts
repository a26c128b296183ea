/**
 * `--model folder:DIR`: samples someone already has, evaluated where they are (bench scores them
 * in custom mode, as `genbench evaluate --videos|--images DIR`); nothing is generated.
 */
import type { SampleFolderEntry } from '../contract.ts';

const PREFIX = 'folder:';

export const folderEntry: SampleFolderEntry = {
  kind: 'folder',
  id: 'folder',
  describe: 'samples already on disk (folder:DIR)',
  claims: (model) => model.startsWith(PREFIX),
  samplesDir: (model) => model.slice(PREFIX.length),
};
