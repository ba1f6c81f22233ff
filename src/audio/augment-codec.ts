import { spawn } from 'node:child_process';
import { EmovoxError } from '../errors.js';
import type { AugmentSpec } from './augment-spec.js';
import { DEFAULT_FFMPEG_TIMEOUT_MS, decodeWithFfmpeg, ffmpegPath } from './ffmpeg.js';
import { resampleSync } from './resample.js';

/** The telephone band of ITU-T G.712 for narrowband telephony. */
export const TELEPHONE_BAND_HZ = [300, 3400] as const;

/**
 * The encoder's arguments for each channel of ffmpeg. The telephone band is four 2-pole
 * high-passes at 300 Hz and four 2-pole low-passes at 3400 Hz (about 48 dB per octave, as
 * steep as a G.712 mask asks), then 8 kHz and G.711 μ-law, the PSTN's codec.
 */
function encoderArgs(spec: AugmentSpec): string[] {
  switch (spec.kind) {
    case 'mp3':
      return ['-c:a', 'libmp3lame', '-b:a', `${spec.kbps}k`, '-f', 'mp3'];
    case 'opus':
      // VoIP mode: what voice calls and messages use at these bitrates.
      return ['-c:a', 'libopus', '-b:a', `${spec.kbps}k`, '-application', 'voip', '-f', 'ogg'];
    case 'telephone': {
      const [lo, hi] = TELEPHONE_BAND_HZ;
      const chain = [...Array(4).fill(`highpass=f=${lo}:poles=2`), ...Array(4).fill(`lowpass=f=${hi}:poles=2`)].join(',');
      return ['-af', chain, '-ar', '8000', '-c:a', 'pcm_mulaw', '-f', 'wav'];
    }
    default:
      throw new EmovoxError('E_USAGE', `augmentation "${spec.kind}" is not a codec`);
  }
}

/**
 * LAME's encoder delay (576 samples) plus the MP3 decoder's (529): an MP3 written to a pipe
 * has no LAME tag to tell the decoder to skip them, so the round trip drops them itself
 * (measured: the decoded copy lags the input by exactly 1105 samples at 16 kHz, at 16 to 32
 * kbit/s; the delay is in samples at the encoding rate, whatever the rate); see the gapless notes of the LAME FAQ). Opus in Ogg carries its pre-skip, which
 * the decoder applies.
 */
export const MP3_DELAY_SAMPLES = 1105;

/**
 * The samples encoded by ffmpeg as `spec` says and decoded back, at `sampleRate`, aligned
 * with the input (MP3_DELAY_SAMPLES), and cut or padded with zeros to its length (a codec
 * pads its last frame).
 * Spawned with an argument array, reading and writing pipes only.
 * @example
 * const phone = await codecRoundTrip(samples, 16000, { kind: 'telephone' });
 */
export async function codecRoundTrip(samples: Float32Array, sampleRate: number, spec: AugmentSpec): Promise<Float32Array> {
  const encoded = await ffmpegEncode(samples, sampleRate, encoderArgs(spec));
  const decoded = await decodeWithFfmpeg(encoded, { file: `the ${spec.kind} copy` });
  let back = resampleSync(decoded.channels[0], decoded.sampleRate, sampleRate);
  if (spec.kind === 'mp3') back = back.subarray(MP3_DELAY_SAMPLES);
  const out = new Float32Array(samples.length);
  out.set(back.subarray(0, samples.length));
  return out;
}

/** Mono float samples through ffmpeg's encoder `args`: the encoded bytes. */
function ffmpegEncode(samples: Float32Array, sampleRate: number, args: string[]): Promise<Uint8Array> {
  const bin = ffmpegPath();
  const all = ['-nostdin', '-hide_banner', '-loglevel', 'error', '-protocol_whitelist', 'pipe', '-f', 'f32le', '-ar', String(sampleRate), '-ac', '1', '-i', 'pipe:0', '-bitexact', ...args, 'pipe:1'];
  return new Promise((resolve, reject) => {
    const child = spawn(bin, all, { stdio: ['pipe', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), DEFAULT_FFMPEG_TIMEOUT_MS);
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < 1 << 14) stderr += c.toString();
    });
    child.stdin.on('error', () => {
      /* the exit code tells the story */
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new EmovoxError('E_FFMPEG', `cannot run ffmpeg at ${bin} (${e.message}): set FFMPEG_PATH to a working ffmpeg`, { cause: e }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new EmovoxError('E_FFMPEG', `ffmpeg could not encode an augmented copy (${args.join(' ')}): ${stderr.trim().slice(0, 300)}; an ffmpeg with libmp3lame and libopus is needed (FFMPEG_PATH)`));
      resolve(new Uint8Array(Buffer.concat(chunks)));
    });
    child.stdin.end(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
  });
}
