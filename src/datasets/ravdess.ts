import { basename, extname } from 'node:path';
import { EmovoxError } from '../errors.js';
import { EMOTIONS, type Emotion } from '../types.js';

/** The seven fields of a RAVDESS file name `MM-VV-EE-II-SS-RR-AA` (Livingstone & Russo 2018). */
export interface RavdessInfo {
  modality: 'full-av' | 'video-only' | 'audio-only';
  vocalChannel: 'speech' | 'song';
  emotion: Emotion;
  intensity: 'normal' | 'strong';
  statement: 'Kids are talking by the door' | 'Dogs are sitting by the door';
  repetition: 1 | 2;
  /** Two digits, "01"–"24". */
  actor: string;
  sex: 'male' | 'female';
}

const FIELDS: { name: string; allowed: string[]; meaning: string }[] = [
  { name: 'modality', allowed: ['01', '02', '03'], meaning: '01 full-AV, 02 video-only, 03 audio-only' },
  { name: 'vocal channel', allowed: ['01', '02'], meaning: '01 speech, 02 song' },
  { name: 'emotion', allowed: ['01', '02', '03', '04', '05', '06', '07', '08'], meaning: '01 neutral … 08 surprised' },
  { name: 'intensity', allowed: ['01', '02'], meaning: '01 normal, 02 strong' },
  { name: 'statement', allowed: ['01', '02'], meaning: '01 "Kids are talking by the door", 02 "Dogs are sitting by the door"' },
  { name: 'repetition', allowed: ['01', '02'], meaning: '01 or 02' },
  { name: 'actor', allowed: Array.from({ length: 24 }, (_, i) => String(i + 1).padStart(2, '0')), meaning: '01–24' },
];

/** Parses `03-01-05-02-01-01-01.wav` (any extension). Throws E_BAD_FILENAME naming the field at fault. */
export function parseRavdessName(fileName: string): RavdessInfo {
  const stem = basename(fileName, extname(fileName));
  const parts = stem.split('-');
  if (parts.length !== 7) {
    throw new EmovoxError('E_BAD_FILENAME', `"${basename(fileName)}" is not a RAVDESS name: expected 7 two-digit fields MM-VV-EE-II-SS-RR-AA (e.g. 03-01-05-02-01-01-01.wav), found ${parts.length}`, { file: fileName });
  }
  parts.forEach((p, i) => {
    const f = FIELDS[i];
    if (!f.allowed.includes(p)) {
      throw new EmovoxError('E_BAD_FILENAME', `"${basename(fileName)}": field ${i + 1} (${f.name}) is "${p}"; allowed values: ${f.meaning}`, { file: fileName });
    }
  });
  const [m, v, e, i, s, r, a] = parts.map(Number);
  const emotion = EMOTIONS[e - 1];
  if (emotion === 'neutral' && i === 2) {
    throw new EmovoxError('E_BAD_FILENAME', `"${basename(fileName)}": neutral has no strong intensity in the RAVDESS (field 4 must be 01)`, { file: fileName });
  }
  return {
    modality: (['full-av', 'video-only', 'audio-only'] as const)[m - 1],
    vocalChannel: v === 1 ? 'speech' : 'song',
    emotion,
    intensity: i === 1 ? 'normal' : 'strong',
    statement: s === 1 ? 'Kids are talking by the door' : 'Dogs are sitting by the door',
    repetition: r as 1 | 2,
    actor: parts[6],
    sex: a % 2 === 1 ? 'male' : 'female',
  };
}

/** The performance behind a file: the same for its audio-only copy and the audio of its video. */
export function ravdessPerformanceKey(info: RavdessInfo): string {
  return `ravdess:${info.vocalChannel}:${info.emotion}:${info.intensity}:${info.statement.slice(0, 4)}:${info.repetition}:${info.actor}`;
}
