/**
 * What a file is, told from its first bytes (its "magic number"), so that text, images,
 * archives and random bytes are refused at once instead of starting an ffmpeg process
 * (70–120 ms each) that would refuse them anyway. Signatures from the formats' own
 * specifications, as collected in file(1)'s magic database and ffmpeg's probe functions.
 */
export type Sniffed =
  | { kind: 'wav' }
  | { kind: 'flac' }
  /** A container or stream ffmpeg reads; `what` names it. */
  | { kind: 'media'; what: string }
  /** Not audio or video: `what` says what it is ("a PNG image", "text", …). */
  | { kind: 'other'; what: string };

/** How many leading bytes `sniff` looks at (MPEG-TS needs three 188-byte packets, tar 262 bytes). */
export const SNIFF_BYTES = 1024;

const ascii = (b: Uint8Array, at: number, n: number): string => (b.length >= at + n ? String.fromCharCode(...b.subarray(at, at + n)) : '');
const startsWith = (b: Uint8Array, sig: number[], at = 0): boolean => b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);

// Signatures at offset 0 of containers and streams that ffmpeg reads.
const MEDIA_PREFIXES: [string, string][] = [
  ['OggS', 'Ogg'], ['ID3', 'MP3 (ID3v2 tag)'], ['RF64', 'RF64 WAV'], ['BW64', 'BW64 WAV'], ['caff', 'Core Audio Format'], ['.snd', 'Sun/NeXT AU'],
  ['#!AMR', 'AMR'], ['wvpk', 'WavPack'], ['MAC ', "Monkey's Audio"], ['TTA1', 'TTA'], ['MPCK', 'Musepack'], ['MP+', 'Musepack'], ['FLV\x01', 'FLV'],
  ['DSD ', 'DSF'], ['FRM8', 'DSDIFF'], ['.RMF', 'RealMedia'], ['.ra\xfd', 'RealAudio'], ['NIST_1A', 'NIST SPHERE'], ['ajkg', 'Shorten'],
  ['Creative Voice File', 'Creative Voice'], ['#!SILK', 'SILK'], ['OFR ', 'OptimFROG'], ['IMPM', 'Impulse Tracker'], ['LA04', 'Lossless Audio'],
  ['DKIF', 'IVF'],
];
// Box types that a QuickTime/MP4 file may start with, at offset 4.
const MOV_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'junk']);
const IMAGE_BRANDS = new Set(['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1', 'avif', 'avis', 'crx ', 'jp2 ']);

const OTHER: { sig: number[] | string; at?: number; what: string }[] = [
  { sig: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { sig: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { sig: 'GIF8', what: 'a GIF image' },
  { sig: 'II*\x00', what: 'a TIFF image' },
  { sig: 'MM\x00*', what: 'a TIFF image' },
  { sig: '%PDF', what: 'a PDF document' },
  { sig: 'PK\x03\x04', what: 'a ZIP archive (or an office document)' },
  { sig: 'PK\x05\x06', what: 'an empty ZIP archive' },
  { sig: [0x1f, 0x8b], what: 'a gzip archive' },
  { sig: 'BZh', what: 'a bzip2 archive' },
  { sig: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'an xz archive' },
  { sig: [0x28, 0xb5, 0x2f, 0xfd], what: 'a zstd archive' },
  { sig: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive' },
  { sig: 'Rar!', what: 'a RAR archive' },
  { sig: 'ustar', at: 257, what: 'a tar archive' },
  { sig: [0x7f, 0x45, 0x4c, 0x46], what: 'an ELF program' },
  { sig: 'MZ', what: 'a Windows program' },
  { sig: [0xcf, 0xfa, 0xed, 0xfe], what: 'a Mach-O program' },
  { sig: 'SQLite format 3', what: 'an SQLite database' },
  { sig: [0x00, 0x61, 0x73, 0x6d], what: 'a WebAssembly module' },
  { sig: 'MThd', what: 'a MIDI file (notes, not sound)' },
  { sig: 'wOFF', what: 'a web font' },
  { sig: 'wOF2', what: 'a web font' },
  { sig: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], what: 'an old Microsoft Office document' },
];

/**
 * Tells the format from the first bytes (give at least SNIFF_BYTES when the file has them).
 *
 * @example
 * sniff(new TextEncoder().encode('hello')) // { kind: 'other', what: 'text' }
 */
export function sniff(head: Uint8Array): Sniffed {
  const four = ascii(head, 0, 4);
  if (four === 'RIFF') {
    const form = ascii(head, 8, 4);
    if (form === 'WAVE') return { kind: 'wav' };
    if (form === 'AVI ') return { kind: 'media', what: 'AVI' };
    if (form === 'RMP3') return { kind: 'media', what: 'RIFF MP3' };
    if (form === 'CDXA') return { kind: 'media', what: 'Video CD' };
    if (form === 'WEBP') return { kind: 'other', what: 'a WebP image' };
    return { kind: 'other', what: `a RIFF file of type "${printable(form)}", not WAVE` };
  }
  if (four === 'fLaC') return { kind: 'flac' };
  if (four === 'FORM') {
    const form = ascii(head, 8, 4);
    if (form === 'AIFF' || form === 'AIFC') return { kind: 'media', what: 'AIFF' };
    return { kind: 'other', what: `an IFF file of type "${printable(form)}", not AIFF` };
  }
  for (const [prefix, what] of MEDIA_PREFIXES) {
    if (startsWith(head, Array.from(prefix, (c) => c.charCodeAt(0)))) return { kind: 'media', what };
  }
  const box = ascii(head, 4, 4);
  if (MOV_BOXES.has(box)) {
    const brand = box === 'ftyp' ? ascii(head, 8, 4) : '';
    if (IMAGE_BRANDS.has(brand)) return { kind: 'other', what: `an image (HEIF/AVIF family, brand "${brand.trim()}")` };
    return { kind: 'media', what: 'MP4/QuickTime' };
  }
  if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return { kind: 'media', what: 'Matroska/WebM' };
  if (startsWith(head, [0x30, 0x26, 0xb2, 0x75, 0x8e, 0x66, 0xcf, 0x11])) return { kind: 'media', what: 'ASF (WMA/WMV)' };
  if (startsWith(head, [0x72, 0x69, 0x66, 0x66, 0x2e, 0x91, 0xcf, 0x11])) return { kind: 'media', what: 'Sony Wave64' };
  if (startsWith(head, [0x00, 0x00, 0x01, 0xba])) return { kind: 'media', what: 'MPEG program stream' };
  if (head[0] === 0x47 && (head.length < 189 || head[188] === 0x47) && (head.length < 377 || head[376] === 0x47)) return { kind: 'media', what: 'MPEG transport stream' };
  if (startsWith(head, [0x0b, 0x77])) return { kind: 'media', what: 'AC-3' };
  if (startsWith(head, [0x7f, 0xfe, 0x80, 0x01])) return { kind: 'media', what: 'DTS' };
  // MPEG audio frame sync (MP3, MP2, ADTS AAC): 11 set bits, then a version and layer that exist.
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0 && (head[1] & 0x18) !== 0x08) return { kind: 'media', what: 'MPEG audio' };

  for (const o of OTHER) {
    const sig = typeof o.sig === 'string' ? Array.from(o.sig, (c) => c.charCodeAt(0)) : o.sig;
    if (startsWith(head, sig, o.at ?? 0)) return { kind: 'other', what: o.what };
  }
  if (isText(head)) return { kind: 'other', what: 'text' };
  return { kind: 'other', what: `not a known audio or video format (it starts with bytes ${hex(head.subarray(0, 8))})` };
}

/** True when the bytes read as text: UTF-8 with no control characters but tab, newline, carriage return and form feed. */
function isText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  const sample = head.subarray(0, 512);
  for (const b of sample) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) return false;
  try {
    // fatal: invalid UTF-8 throws; a sequence cut at the end of the sample is allowed by { stream: true }.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

const hex = (b: Uint8Array): string => Array.from(b, (v) => v.toString(16).padStart(2, '0')).join(' ');
const printable = (s: string): string => s.replace(/[^\x20-\x7e]/g, '?');
