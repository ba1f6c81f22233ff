import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'emovox.js');

test('emovox --help lists the commands and exits 0', () => {
  const r = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: emovox/);
});

test('an unknown command is a usage error with exit code 2', () => {
  const r = spawnSync(process.execPath, [BIN, 'no-such-command'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
});

test('a VAD chunk size Silero does not take is a usage error that names the allowed ones', () => {
  const r = spawnSync(process.execPath, [BIN, 'evaluate', '--data', PACKAGE_ROOT, '--vad', '--vad-chunk', '777'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  // The library's own check, so the message names the recipe's setting rather than the flag.
  assert.match(r.stderr, /E_USAGE: the recipe: VAD chunk must be 512, 1024, 1536 samples/);
});
