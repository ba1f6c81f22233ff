import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAudio, loadAudio, resample } from '../src/audio/index.js';
import { RAVDESS_16K, RAVDESS_48K, snrDb } from './helpers.js';

test('resampling the 48 kHz originals matches sox VHQ: median SNR ≥ 35 dB, every file ≥ 30 dB', async () => {
  const dir48 = join(RAVDESS_48K, 'Actor_01');
  const names = readdirSync(dir48).filter((f) => f.endsWith('.wav')).sort();
  assert.equal(names.length, 60);
  const snrs: number[] = [];
  for (const name of names) {
    const original = await decodeAudio(join(dir48, name));
    assert.equal(original.sampleRate, 48000);
    const ours = await resample(original.samples, 48000, 16000);
    const sox = await loadAudio(join(RAVDESS_16K, 'Actor_01', name.replace('.wav', '.flac')));
    assert.ok(Math.abs(ours.length - sox.length) <= 2, `${name}: ${ours.length} vs ${sox.length} samples`);
    snrs.push(snrDb(sox, ours));
  }
  snrs.sort((a, b) => a - b);
  const median = snrs[snrs.length >> 1];
  assert.ok(median >= 35, `median SNR ${median.toFixed(1)} dB`);
  assert.ok(snrs[0] >= 30, `worst SNR ${snrs[0].toFixed(1)} dB`);
});

test('naive decimation (every third sample) scores clearly worse than the resampler', async () => {
  const name = '03-01-05-02-01-01-01';
  const original = await decodeAudio(join(RAVDESS_48K, 'Actor_01', `${name}.wav`));
  const sox = await loadAudio(join(RAVDESS_16K, 'Actor_01', `${name}.flac`));
  const naive = Float32Array.from({ length: Math.floor(original.samples.length / 3) }, (_, i) => original.samples[3 * i]);
  const ours = await resample(original.samples, 48000, 16000);
  assert.ok(snrDb(sox, ours) > snrDb(sox, naive) + 5);
});
