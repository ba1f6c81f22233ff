import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAudio } from '../src/audio/index.js';
import { logMel, mfccFromLogMel, mfccMean, type MelParams } from '../src/features/mfcc.js';
import { PowerSpectrum } from '../src/features/fft.js';
import { SHARED_DATA, SHARED_FIXTURES } from '../src/paths.js';

const DIR = join(SHARED_FIXTURES, 'librosa');
interface Fixture {
  file: string;
  n_samples: number;
  first_samples: number[];
  params: { n_fft: number; hop_length: number; n_mels: number; n_mfcc: number };
  n_frames: number;
  log_mel_db: number[][];
  mfcc: number[][];
  mfcc_mean: number[];
}

for (const name of readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()) {
  test(`log-mel within 0.01 dB and MFCC within 0.05 of librosa: ${name}`, async () => {
    const fx = JSON.parse(readFileSync(join(DIR, name), 'utf8')) as Fixture;
    const samples = await loadAudio(join(SHARED_DATA, fx.file.replace(/^data\//, '')));
    assert.equal(samples.length, fx.n_samples);
    fx.first_samples.forEach((v, i) => assert.equal(samples[i], v));
    const p: MelParams = { nFft: fx.params.n_fft, hop: fx.params.hop_length, nMels: fx.params.n_mels, nMfcc: fx.params.n_mfcc };
    const lm = logMel(samples, p);
    assert.equal(lm.rows, fx.n_frames);
    assert.equal(lm.cols, p.nMels);
    let worstMel = 0;
    for (let t = 0; t < lm.rows; t++) for (let m = 0; m < lm.cols; m++) worstMel = Math.max(worstMel, Math.abs(lm.data[t * lm.cols + m] - fx.log_mel_db[t][m]));
    assert.ok(worstMel <= 0.01, `worst log-mel difference ${worstMel} dB`);
    const mf = mfccFromLogMel(lm, p.nMfcc);
    let worstMfcc = 0;
    for (let t = 0; t < mf.rows; t++) for (let k = 0; k < mf.cols; k++) worstMfcc = Math.max(worstMfcc, Math.abs(mf.data[t * mf.cols + k] - fx.mfcc[t][k]));
    assert.ok(worstMfcc <= 0.05, `worst MFCC difference ${worstMfcc}`);
    const mean = mfccMean(samples, p);
    mean.forEach((v, k) => assert.ok(Math.abs(v - fx.mfcc_mean[k]) <= 0.05, `mean MFCC ${k}: ${v} vs ${fx.mfcc_mean[k]}`));
  });
}

test('the power spectrum of a non-power-of-two frame is the exact DFT', () => {
  for (const n of [400, 512, 30]) {
    const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 0.37) + 0.3 * Math.cos(i * 1.9) + (i % 7) / 10);
    const ours = new Float64Array((n >> 1) + 1);
    new PowerSpectrum(n).compute(x, ours);
    for (let k = 0; k <= n >> 1; k++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < n; j++) {
        re += x[j] * Math.cos((2 * Math.PI * k * j) / n);
        im -= x[j] * Math.sin((2 * Math.PI * k * j) / n);
      }
      const ref = re * re + im * im;
      assert.ok(Math.abs(ours[k] - ref) <= 1e-9 * Math.max(1, ref), `n=${n} bin ${k}: ${ours[k]} vs ${ref}`);
    }
  }
});
