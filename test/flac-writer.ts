/**
 * A minimal FLAC writer for tests: CONSTANT and VERBATIM subframes only, which is enough to
 * make valid files of any claimed length (hours of silence in a few kilobytes) and to say
 * exactly what STREAMINFO announces. Format: https://xiph.org/flac/format.html
 */
export interface FlacWriteOptions {
  sampleRate: number;
  channels: number;
  bitsPerSample: 8 | 16 | 24;
  /** Samples per channel, as int values (verbatim), or a count of frames of silence. */
  samples: Int32Array[] | number;
  /** What STREAMINFO claims as the total; default the truth. 0 means "unknown". */
  claimedTotal?: number;
  blockSize?: number;
}

export function writeFlac(o: FlacWriteOptions): Uint8Array {
  const total = typeof o.samples === 'number' ? o.samples : o.samples[0].length;
  const block = o.blockSize ?? (typeof o.samples === 'number' ? 65535 : 4096);
  const parts: Uint8Array[] = [new TextEncoder().encode('fLaC'), streamInfo(o, block, o.claimedTotal ?? total)];
  for (let start = 0, n = 0; start < total; start += block, n++) {
    const len = Math.min(block, total - start);
    parts.push(frame(o, n, start, len));
  }
  return new Uint8Array(Buffer.concat(parts));
}

function streamInfo(o: FlacWriteOptions, block: number, total: number): Uint8Array {
  const b = new BitWriter();
  b.bits(1, 1); // last metadata block
  b.bits(0, 7); // STREAMINFO
  b.bits(34, 24);
  b.bits(block, 16);
  b.bits(block, 16);
  b.bits(0, 24); // frame sizes unknown
  b.bits(0, 24);
  b.bits(o.sampleRate, 20);
  b.bits(o.channels - 1, 3);
  b.bits(o.bitsPerSample - 1, 5);
  b.bits(Math.floor(total / 2 ** 32), 4);
  b.bits(total % 2 ** 32, 32);
  for (let i = 0; i < 16; i++) b.bits(0, 8); // MD5 unknown
  return b.bytes();
}

function frame(o: FlacWriteOptions, n: number, start: number, len: number): Uint8Array {
  const b = new BitWriter();
  b.bits(0b11111111111110, 14);
  b.bits(0, 1);
  b.bits(0, 1); // fixed block size: the header carries the frame number
  b.bits(0b0111, 4); // block size − 1 in 16 bits at the end of the header
  const rate = rateCode(o.sampleRate);
  b.bits(rate.code, 4);
  b.bits(o.channels - 1, 4); // independent channels
  b.bits(o.bitsPerSample === 8 ? 0b001 : o.bitsPerSample === 16 ? 0b100 : 0b110, 3);
  b.bits(0, 1);
  for (const byte of utf8Number(n)) b.bits(byte, 8);
  b.bits(len - 1, 16);
  if (rate.extra) b.bits(rate.extra.value, rate.extra.bits);
  b.bits(crc8(b.bytes()), 8);
  for (let c = 0; c < o.channels; c++) {
    if (typeof o.samples === 'number') {
      b.bits(0b00000000, 8); // CONSTANT subframe
      b.bits(0, o.bitsPerSample);
    } else {
      b.bits(0b00000010, 8); // VERBATIM subframe
      const ch = o.samples[c];
      for (let i = 0; i < len; i++) b.bits(ch[start + i] & ((1 << o.bitsPerSample) - 1), o.bitsPerSample);
    }
  }
  b.align();
  b.bits(crc16(b.bytes()), 16);
  return b.bytes();
}

// The frame header's sample-rate code (the decoder used here needs it in each frame).
const RATE_CODES: Record<number, number> = { 88200: 0b0001, 176400: 0b0010, 192000: 0b0011, 8000: 0b0100, 16000: 0b0101, 22050: 0b0110, 24000: 0b0111, 32000: 0b1000, 44100: 0b1001, 48000: 0b1010, 96000: 0b1100 };

function rateCode(rate: number): { code: number; extra?: { value: number; bits: number } } {
  if (RATE_CODES[rate]) return { code: RATE_CODES[rate] };
  if (rate < 65536) return { code: 0b1110, extra: { value: rate, bits: 16 } };
  if (rate % 10 === 0 && rate / 10 < 65536) return { code: 0b1111, extra: { value: rate / 10, bits: 16 } };
  return { code: 0b0000 };
}

function utf8Number(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  let bytes = 2;
  while (n >= 2 ** (5 * bytes + 1)) bytes++;
  for (let i = bytes - 1; i > 0; i--) out.unshift(0x80 | ((n >>> (6 * (bytes - 1 - i))) & 0x3f));
  out.unshift(((0xff << (8 - bytes)) & 0xff) | (n >>> (6 * (bytes - 1))));
  return out;
}

function crc8(data: Uint8Array): number {
  let crc = 0;
  for (const v of data) {
    crc ^= v;
    for (let i = 0; i < 8; i++) crc = crc & 0x80 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
  }
  return crc;
}

function crc16(data: Uint8Array): number {
  let crc = 0;
  for (const v of data) {
    crc ^= v << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

class BitWriter {
  private out: number[] = [];
  private acc = 0;
  private n = 0;

  bits(value: number, count: number): void {
    for (let i = count - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | (Math.floor(value / 2 ** i) & 1);
      if (++this.n === 8) {
        this.out.push(this.acc);
        this.acc = 0;
        this.n = 0;
      }
    }
  }

  align(): void {
    while (this.n !== 0) this.bits(0, 1);
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}
