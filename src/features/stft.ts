import { PowerSpectrum } from './fft.js';

/** A frame-major matrix: `data[t * cols + c]`. */
export interface FrameMatrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

export interface StftParams {
  nFft: number;
  hop: number;
}

/** The periodic Hann window of length n (scipy.signal.get_window('hann', n, fftbins=True)). */
export function hannPeriodic(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
}

/**
 * Power spectrogram as librosa.stft(center=True, pad_mode='constant') then |·|²:
 * frames centred on t·hop, the signal zero-padded by n_fft/2 at both ends, a periodic
 * Hann window as long as n_fft. 1 + ⌊len/hop⌋ frames of n_fft/2 + 1 bins.
 */
export function powerSpectrogram(samples: Float32Array, { nFft, hop }: StftParams): FrameMatrix {
  const rows = 1 + Math.floor(samples.length / hop);
  const ps = new PowerSpectrum(nFft);
  const window = hannPeriodic(nFft);
  const frame = new Float64Array(nFft);
  const data = new Float32Array(rows * ps.bins);
  const spectrum = new Float64Array(ps.bins);
  const pad = nFft >> 1;
  for (let t = 0; t < rows; t++) {
    const start = t * hop - pad;
    if (start >= 0 && start + nFft <= samples.length) {
      for (let j = 0; j < nFft; j++) frame[j] = samples[start + j] * window[j];
    } else {
      for (let j = 0; j < nFft; j++) {
        const i = start + j;
        frame[j] = i >= 0 && i < samples.length ? samples[i] * window[j] : 0;
      }
    }
    ps.compute(frame, spectrum);
    data.set(spectrum, t * ps.bins);
  }
  return { rows, cols: ps.bins, data };
}
