import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFuzz } from './fuzz-cases.js';

// Seed 1, cases 0..2999: the same inputs every run, so a failure names a case to replay
// with fuzzCase(fuzzSeeds(), 1, i). bench/fuzz.ts runs 100,000 and prints rate and memory.
test('3000 mutated WAV and FLAC files each decode or give an EmovoxError, each within 5 s, in bounded memory', async () => {
  const r = await runFuzz(1, 0, 3000);
  assert.deepEqual(r.untyped, []);
  assert.ok(r.slowest.ms < 5000, `case ${r.slowest.i} took ${r.slowest.ms.toFixed(0)} ms`);
  // Both outcomes occur, so the property was exercised on both sides.
  assert.ok(r.decoded > 100 && r.cases - r.decoded > 1000, `decoded ${r.decoded} of ${r.cases}`);
  assert.ok(r.errors.has('E_DECODE') && r.errors.has('E_TOO_LONG'), JSON.stringify([...r.errors]));
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  assert.ok(peakMiB < 500, `peak RSS ${peakMiB.toFixed(0)} MiB`);
});
