// `emovox serve` as a user runs it: a child process on a free port of 127.0.0.1, stopped by
// SIGTERM while a request is in flight, which still gets its answer before the exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { actorFiles, spawnServe } from '../helpers.js';

test('emovox serve binds 127.0.0.1, answers, and on SIGTERM finishes the request in flight, then exits 0', async () => {
  const { child, url: listening, stderr } = spawnServe(['--workers', '1'], 60_000);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const url = await listening;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const inFlight = fetch(`${url}/v1/classify`, { method: 'POST', body: readFileSync(actorFiles(2)[10]), headers: { 'content-type': 'audio/flac' } });
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGTERM');
    const res = await inFlight;
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.predictions.length, 8);
    assert.equal(await exited, 0);
    assert.match(stderr(), /SIGTERM: finishing the requests in flight[\s\S]*stopped/);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});
