/** Encodes 16-bit PCM WAV; several channels are interleaved. Samples are clipped to [-1, 1]. */
export function encodeWav16(channels: Float32Array | Float32Array[], sampleRate: number): Uint8Array {
  const chans = Array.isArray(channels) ? channels : [channels];
  const frames = chans[0]?.length ?? 0;
  const dataBytes = frames * chans.length * 2;
  const buf = new Uint8Array(44 + dataBytes);
  const v = new DataView(buf.buffer);
  const str = (at: number, s: string): void => [...s].forEach((ch, i) => v.setUint8(at + i, ch.charCodeAt(0)));
  str(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  str(8, 'WAVE');
  str(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, chans.length, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * chans.length * 2, true);
  v.setUint16(32, chans.length * 2, true);
  v.setUint16(34, 16, true);
  str(36, 'data');
  v.setUint32(40, dataBytes, true);
  let p = 44;
  for (let i = 0; i < frames; i++) {
    for (const ch of chans) {
      // The inverse of the reader's v / 32768, clipped to the int16 range.
      v.setInt16(p, Math.max(-32768, Math.min(32767, Math.round(ch[i] * 32768))), true);
      p += 2;
    }
  }
  return buf;
}
