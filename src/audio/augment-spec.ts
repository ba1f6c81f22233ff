import { createHash } from 'node:crypto';

/**
 * The channel augmentations of training (issue 14): what a recording goes through between
 * the speaker and emovox that the studio corpora lack.
 * - `mp3`: an MP3 round trip at a low bitrate (libmp3lame), as in a shared voice clip.
 * - `opus`: an Opus round trip at a low bitrate (libopus), as in VoIP and voice messages.
 * - `telephone`: the narrowband telephone channel: 300–3400 Hz, 8 kHz, G.711 μ-law (ITU-T G.711, G.712).
 * - `reverb`: a room: convolution with a synthetic exponentially decaying impulse response.
 * - `noise`: additive noise (white or pink, generated: there is no noise corpus here) at an SNR.
 * - `gain`: a level change of ±6 dB.
 */
export const AUGMENTATIONS = ['mp3', 'opus', 'telephone', 'reverb', 'noise', 'gain'] as const;
export type Augmentation = (typeof AUGMENTATIONS)[number];

/** One augmented copy, fully determined: the same spec always gives the same samples. */
export type AugmentSpec =
  | { kind: 'mp3'; kbps: number }
  | { kind: 'opus'; kbps: number }
  | { kind: 'telephone' }
  | { kind: 'reverb'; rt60: number; seed: number }
  | { kind: 'noise'; snrDb: number; color: 'white' | 'pink'; seed: number }
  | { kind: 'gain'; db: number };

/** The draws of the brief: MP3 at 16–32 kbit/s, Opus at 8–16, SNR from {5, 10, 20} dB, RT60 0.2–0.8 s, gain ±6 dB. */
export const MP3_KBPS = [16, 24, 32] as const;
export const OPUS_KBPS = [8, 12, 16] as const;
export const NOISE_SNR_DB = [5, 10, 20] as const;
export const REVERB_RT60_SEC = [0.2, 0.8] as const;
export const GAIN_DB = 6;

/**
 * The copy of one file under one augmentation, drawn from the seed and the file's content
 * hash only: the same file gets the same copy in every run, fold and process (so its
 * features can be cached), and two files get independent draws.
 * @example
 * augmentationSpec('noise', item.sha256, 1); // e.g. { kind: 'noise', snrDb: 10, color: 'pink', seed: 2841… }
 */
export function augmentationSpec(kind: Augmentation, fileKey: string, seed: number): AugmentSpec {
  const h = createHash('sha256').update(`${seed}\0${fileKey}\0${kind}`).digest();
  const u = (i: number): number => h.readUInt32LE(4 * i) / 2 ** 32; // uniform in [0, 1)
  const pick = <T>(xs: readonly T[], i: number): T => xs[Math.floor(u(i) * xs.length)];
  const round = (x: number, step: number): number => Math.round(x / step) * step;
  switch (kind) {
    case 'mp3':
      return { kind, kbps: pick(MP3_KBPS, 0) };
    case 'opus':
      return { kind, kbps: pick(OPUS_KBPS, 0) };
    case 'telephone':
      return { kind };
    case 'reverb':
      return { kind, rt60: Number(round(REVERB_RT60_SEC[0] + u(0) * (REVERB_RT60_SEC[1] - REVERB_RT60_SEC[0]), 0.01).toFixed(2)), seed: h.readUInt32LE(4) };
    case 'noise':
      return { kind, snrDb: pick(NOISE_SNR_DB, 0), color: u(1) < 0.5 ? 'white' : 'pink', seed: h.readUInt32LE(8) };
    case 'gain':
      return { kind, db: Number(round(-GAIN_DB + u(0) * 2 * GAIN_DB, 0.1).toFixed(1)) };
  }
}
