// `emovox serve` as a user runs it: a child process on a free port of 127.0.0.1, stopped by
// SIGTERM while a request is in flight, which still gets its answer before the exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/paths.js';
import { actorFiles } from '../helpers.js';

test('emovox serve binds 127.0.0.1, answers, and on SIGTERM finishes the request in flight, then exits 0', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', join(PACKAGE_ROOT, 'src', 'cli', 'main.ts'), 'serve', '--port', '0', '--workers', '1'], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let stderr = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no address after 60 s: ${stderr}`)), 60_000);
      child.stderr.on('data', (d: Buffer) => {
        stderr += d;
        const m = /serving on (http:\/\/[\d.]+:\d+)/.exec(stderr);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const inFlight = fetch(`${url}/v1/classify`, { method: 'POST', body: readFileSync(actorFiles(2)[10]), headers: { 'content-type': 'audio/flac' } });
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGTERM');
    const res = await inFlight;
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.predictions.length, 8);
    assert.equal(await exited, 0);
    assert.match(stderr, /SIGTERM: finishing the requests in flight[\s\S]*stopped/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
