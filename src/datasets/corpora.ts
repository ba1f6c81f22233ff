import { basename, extname } from 'node:path';
import { EmovoxError } from '../errors.js';
import type { Emotion } from '../types.js';
import { parseRavdessName, ravdessPerformanceKey } from './ravdess.js';

/** What a corpus's file name says about one recording. `label` null: no counterpart, dropped. */
export interface NameInfo {
  label: Emotion | null;
  sourceLabel: string;
  speaker: string;
  fields: Record<string, string | number>;
  performance: string;
}

export type NameParser = (relPath: string) => NameInfo;

const stem = (p: string): string => basename(p, extname(p));
const bad = (p: string, corpus: string, pattern: string): EmovoxError =>
  new EmovoxError('E_BAD_FILENAME', `"${basename(p)}" is not a ${corpus} name: expected ${pattern}`, { file: p });

function ravdess(p: string): NameInfo {
  const r = parseRavdessName(p);
  return {
    label: r.emotion,
    sourceLabel: r.emotion,
    speaker: r.actor,
    fields: { modality: r.modality, vocalChannel: r.vocalChannel, intensity: r.intensity, statement: r.statement, repetition: r.repetition, sex: r.sex },
    performance: ravdessPerformanceKey(r),
  };
}

// TESS (Dupuis & Pichora-Fuller 2010): OAF_back_angry.wav; ps = pleasant surprise.
const TESS: Record<string, Emotion> = { angry: 'angry', disgust: 'disgust', fear: 'fearful', happy: 'happy', neutral: 'neutral', ps: 'surprised', sad: 'sad' };
function tess(p: string): NameInfo {
  const m = /^(OAF|YAF)_([a-z]+)_([a-z]+)$/i.exec(stem(p));
  if (!m || !(m[3].toLowerCase() in TESS)) throw bad(p, 'TESS', 'OAF|YAF_<word>_<angry|disgust|fear|happy|neutral|ps|sad> (e.g. OAF_back_angry.wav)');
  const [speaker, word, emo] = [m[1].toUpperCase(), m[2].toLowerCase(), m[3].toLowerCase()];
  return { label: TESS[emo], sourceLabel: emo, speaker, fields: { word }, performance: `tess:${speaker}:${word}:${emo}` };
}

// CREMA-D (Cao et al. 2014): 1001_DFA_ANG_XX.wav.
const CREMA: Record<string, Emotion> = { ANG: 'angry', DIS: 'disgust', FEA: 'fearful', HAP: 'happy', NEU: 'neutral', SAD: 'sad' };
function cremaD(p: string): NameInfo {
  const m = /^(\d{4})_([A-Z]{3})_([A-Z]{3})_(LO|MD|HI|XX|X)$/.exec(stem(p));
  if (!m || !(m[3] in CREMA)) throw bad(p, 'CREMA-D', '<actor 1001–1091>_<sentence>_<ANG|DIS|FEA|HAP|NEU|SAD>_<LO|MD|HI|XX> (e.g. 1001_DFA_ANG_XX.wav)');
  return { label: CREMA[m[3]], sourceLabel: m[3], speaker: m[1], fields: { sentence: m[2], level: m[4] }, performance: `crema-d:${m[1]}:${m[2]}:${m[3]}:${m[4]}` };
}

// EmoDB (Burkhardt et al. 2005): 03a01Fa.wav = speaker 03, text a01, emotion F, version a.
const EMODB: Record<string, Emotion | null> = { W: 'angry', L: null, E: 'disgust', A: 'fearful', F: 'happy', T: 'sad', N: 'neutral' };
const EMODB_NAMES: Record<string, string> = { W: 'anger', L: 'boredom', E: 'disgust', A: 'fear', F: 'happiness', T: 'sadness', N: 'neutral' };
function emodb(p: string): NameInfo {
  const m = /^(\d{2})([ab]\d{2})([WLEAFTN])([a-z])$/.exec(stem(p));
  if (!m) throw bad(p, 'EmoDB', '<speaker 2 digits><text a01–b10><W|L|E|A|F|T|N><version> (e.g. 03a01Fa.wav)');
  return { label: EMODB[m[3]], sourceLabel: EMODB_NAMES[m[3]], speaker: m[1], fields: { text: m[2], version: m[4] }, performance: `emodb:${m[1]}:${m[2]}:${m[3]}:${m[4]}` };
}

// SAVEE (Jackson & Haq 2014): DC_a01.wav; sa = sadness, su = surprise.
const SAVEE: Record<string, Emotion> = { a: 'angry', d: 'disgust', f: 'fearful', h: 'happy', n: 'neutral', sa: 'sad', su: 'surprised' };
function savee(p: string): NameInfo {
  const m = /^(DC|JE|JK|KL)_(sa|su|a|d|f|h|n)(\d{2})$/.exec(stem(p));
  if (!m) throw bad(p, 'SAVEE', '<DC|JE|JK|KL>_<a|d|f|h|n|sa|su><2 digits> (e.g. DC_a01.wav)');
  return { label: SAVEE[m[2]], sourceLabel: m[2], speaker: m[1], fields: { sentence: Number(m[3]) }, performance: `savee:${m[1]}:${m[2]}:${m[3]}` };
}

// nEMO (Christop 2024, Polish): WR0_surprised_64.wav = speaker WR0, emotion, sentence 64.
// Its six labels are full words; it has no calm and no disgust.
const NEMO: Record<string, Emotion> = { anger: 'angry', fear: 'fearful', happiness: 'happy', neutral: 'neutral', sadness: 'sad', surprised: 'surprised' };
function nemo(p: string): NameInfo {
  const m = /^([A-Z]{2}\d+)_([a-z]+)_(\d+)$/.exec(stem(p));
  if (!m || !(m[2] in NEMO)) throw bad(p, 'nEMO', '<speaker, e.g. WR0>_<anger|fear|happiness|neutral|sadness|surprised>_<sentence number> (e.g. WR0_surprised_64.wav)');
  return { label: NEMO[m[2]], sourceLabel: m[2], speaker: m[1], fields: { sentence: Number(m[3]) }, performance: `nemo:${m[1]}:${m[2]}:${m[3]}` };
}

export const NAME_PARSERS = { ravdess, tess, 'crema-d': cremaD, emodb, savee, nemo } as const;
export type NamedCorpus = keyof typeof NAME_PARSERS;
