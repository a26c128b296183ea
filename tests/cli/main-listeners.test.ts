import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.ts';

test('main() run several times in one process (the demo runs bench twice) adds its stdout EPIPE handler once', async () => {
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  const exitCode = process.exitCode;
  try {
    await main(['node', 'genbench', '--version']);
    const after1 = process.stdout.listenerCount('error');
    for (let i = 0; i < 12; i++) await main(['node', 'genbench', '--version']);
    assert.equal(process.stdout.listenerCount('error'), after1);
  } finally {
    process.stdout.write = write;
    process.exitCode = exitCode;
  }
});
