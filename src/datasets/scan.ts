import { readdir, readFile, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { listMediaFiles } from '../audio/files.js';
import { decodeChannels } from '../audio/decode.js';
import { probeLength } from '../audio/probe.js';
import { mapInOrder } from '../util/concurrency.js';
import { EmovoxError, type ProblemCode } from '../errors.js';
import type { Emotion } from '../types.js';
import { NAME_PARSERS, type NameInfo, type NamedCorpus } from './corpora.js';
import { normalizeLabel } from './labels.js';
import { readManifestCsv } from './csv.js';
import { UnionFind } from '../util/union-find.js';

export type CorpusName = NamedCorpus | 'folders' | 'csv';
export const CORPUS_NAMES: CorpusName[] = ['ravdess', 'tess', 'crema-d', 'emodb', 'savee', 'nemo', 'folders', 'csv'];

export interface ManifestRow {
  path: string;
  relPath: string;
  label: Emotion;
  sourceLabel: string;
  speaker: string | null;
  corpus: CorpusName;
  fields: Record<string, string | number>;
  /** Copies of one performance share this key, so no split can separate them. */
  performance: string;
  sha256: string;
  bytes: number;
}

export interface DatasetProblem {
  code: ProblemCode;
  files: string[];
  message: string;
}

export interface Manifest {
  corpus: CorpusName;
  root: string;
  rows: ManifestRow[];
  problems: DatasetProblem[];
  dropped: { file: string; reason: string }[];
}

export interface ScanOptions {
  corpus?: CorpusName | 'auto';
  /** A regular expression with one capture group, applied to the relative path, giving the speaker. */
  speakerRegex?: string;
  /** The CSV manifest for corpus "csv" (default: DIR itself when DIR is a .csv file). */
  csv?: string;
}

interface Candidate {
  path: string;
  relPath: string;
  info: NameInfo | null;
  nameError?: string;
}

/**
 * Turns a folder (or a CSV manifest) into one row per labelled file. Audio is not decoded
 * here: "unreadable" means the file cannot be read or is empty. Copies of one performance
 * (audio-only and from-video RAVDESS files, byte-identical files) get one performance key.
 */
export async function scanDataset(dir: string, opts: ScanOptions = {}): Promise<Manifest> {
  const rootStat = await stat(dir).catch(() => null);
  if (!rootStat) throw new EmovoxError('E_NOT_FOUND', `${dir} does not exist: give the folder of your recordings`);
  const csvFile = opts.csv ?? (rootStat.isFile() && dir.toLowerCase().endsWith('.csv') ? dir : undefined);
  const root = csvFile ? dirname(csvFile) : dir;
  const speakerRe = opts.speakerRegex ? compileSpeakerRegex(opts.speakerRegex) : null;

  let corpus: CorpusName;
  let candidates: Candidate[];
  if (csvFile || opts.corpus === 'csv') {
    if (!csvFile) throw new EmovoxError('E_USAGE', 'the csv corpus needs a CSV manifest of path,label[,speaker] (the csv option)');
    corpus = 'csv';
    candidates = await csvCandidates(csvFile, root);
  } else {
    if (!rootStat.isDirectory()) throw new EmovoxError('E_USAGE', `${dir} is not a folder: give a folder, or a .csv manifest`);
    const files = await listMediaFiles([root]);
    corpus = opts.corpus && opts.corpus !== 'auto' ? opts.corpus : await detectCorpus(root, files);
    candidates = files.map((path) => fromName(path, relative(root, path), corpus));
  }
  if (speakerRe) {
    for (const c of candidates) {
      const m = speakerRe.exec(c.relPath);
      if (c.info && m?.[1]) c.info.speaker = m[1];
    }
  }

  const problems: DatasetProblem[] = [];
  const dropped: Manifest['dropped'] = [];
  const badNames = candidates.filter((c) => !c.info);
  if (badNames.length) {
    problems.push({ code: 'E_BAD_FILENAME', files: badNames.map((c) => c.relPath), message: `${badNames.length} file name(s) do not parse as ${corpus}: ${badNames[0].nameError}` });
  }
  const hashed = await mapInOrder(candidates.filter((c) => c.info), 8, async (c) => ({ c, ...(await hashFile(c.path)) }));
  const unreadable = hashed.filter((h) => h.bytes === 0 || h.error);
  if (unreadable.length) {
    problems.push({ code: 'E_UNREADABLE', files: unreadable.map((h) => h.c.relPath), message: `${unreadable.length} file(s) are empty or cannot be read; they are left out` });
  }
  const rows: ManifestRow[] = [];
  const lengths = new Map<ManifestRow, string | null>();
  for (const h of hashed) {
    if (h.bytes === 0 || h.error) continue;
    const info = h.c.info as NameInfo;
    if (info.label === null) {
      dropped.push({ file: h.c.relPath, reason: `label "${info.sourceLabel}" has no counterpart among the 8 emotions` });
      continue;
    }
    const row: ManifestRow = { path: h.c.path, relPath: h.c.relPath, label: info.label, sourceLabel: info.sourceLabel, speaker: info.speaker || null, corpus, fields: info.fields, performance: info.performance, sha256: h.sha256, bytes: h.bytes };
    rows.push(row);
    lengths.set(row, h.length);
  }
  const content = await sameAudioKeys(rows, lengths);
  mergeIdenticalFiles(rows, content);
  problems.push(...findProblems(rows, content));
  return { corpus, root, rows, problems, dropped };
}

function compileSpeakerRegex(source: string): RegExp {
  try {
    const re = new RegExp(source);
    if (!/\((?!\?)/.test(source)) throw new Error('no capture group');
    return re;
  } catch (e) {
    throw new EmovoxError('E_USAGE', `the speaker pattern "${source}" is not a regular expression with one capture group (${(e as Error).message}); e.g. "^(\\w+)_"`);
  }
}

function fromName(path: string, relPath: string, corpus: CorpusName): Candidate {
  try {
    if (corpus === 'folders') {
      const top = relPath.split(sep)[0];
      if (top === relPath) throw new EmovoxError('E_BAD_FILENAME', `${relPath} is not inside a label folder (DIR/<label>/file)`);
      const label = normalizeLabel(top);
      return { path, relPath, info: { label, sourceLabel: top, speaker: '', fields: {}, performance: `file:${relPath}` } };
    }
    if (corpus === 'csv') throw new Error('unreachable');
    return { path, relPath, info: NAME_PARSERS[corpus](relPath) };
  } catch (e) {
    return { path, relPath, info: null, nameError: (e as Error).message };
  }
}

async function csvCandidates(csvFile: string, root: string): Promise<Candidate[]> {
  const entries = readManifestCsv(await readFile(csvFile, 'utf8'), csvFile);
  return entries.map((e) => {
    const path = isAbsolute(e.path) ? e.path : join(root, e.path);
    const label = normalizeLabel(e.label);
    return { path, relPath: e.path, info: { label, sourceLabel: e.label, speaker: e.speaker ?? '', fields: {}, performance: `file:${e.path}` } };
  });
}

/** The corpus whose naming scheme most files follow; else folders named after labels. */
async function detectCorpus(root: string, files: string[]): Promise<CorpusName> {
  let best: { corpus: CorpusName; ok: number } = { corpus: 'folders', ok: 0 };
  for (const corpus of Object.keys(NAME_PARSERS) as NamedCorpus[]) {
    let ok = 0;
    for (const f of files) {
      try {
        NAME_PARSERS[corpus](f);
        ok++;
      } catch {
        /* not this corpus */
      }
    }
    if (ok > best.ok) best = { corpus, ok };
  }
  if (best.ok > files.length / 2) return best.corpus;
  const entries = await readdir(root, { withFileTypes: true });
  const isDir = async (d: (typeof entries)[number]): Promise<boolean> => d.isDirectory() || (d.isSymbolicLink() && Boolean((await stat(join(root, d.name)).catch(() => null))?.isDirectory()));
  for (const d of entries) if (normalizeLabel(d.name) && (await isDir(d))) return 'folders';
  throw new EmovoxError('E_BAD_DATASET', `cannot tell which corpus ${root} is: name its corpus (${Object.keys(NAME_PARSERS).join(', ')}), put files in folders named after labels (corpus folders), or give a CSV manifest (corpus csv)`);
}

interface FileFacts {
  sha256: string;
  bytes: number;
  /** `rate:frames` from the header (WAV, FLAC), to find copies whose bytes differ. */
  length: string | null;
  error?: string;
}

async function hashFile(path: string): Promise<FileFacts> {
  try {
    const data = await readFile(path);
    const probe = probeLength(data);
    return { sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length, length: probe && `${probe.sampleRate}:${probe.frames}` };
  } catch (e) {
    return { sha256: '', bytes: 0, length: null, error: (e as Error).message };
  }
}

// Two renderings of one recording differ by dither at most: a few steps of 16-bit PCM.
const SAME_AUDIO_TOLERANCE = 8 / 32768;

/**
 * Files with the same audio but different bytes (a re-encoded or re-dithered copy, as the
 * identical RAVDESS pair in Actor_07 becomes after resampling) are one performance too.
 * Only files whose headers give the same rate and length are decoded and compared.
 */
async function sameAudioKeys(rows: ManifestRow[], lengths: Map<ManifestRow, string | null>): Promise<Map<ManifestRow, string>> {
  const content = new Map(rows.map((r) => [r, r.sha256]));
  const byLength = new Map<string, ManifestRow[]>();
  for (const r of rows) {
    const k = lengths.get(r);
    if (k) (byLength.get(k) ?? byLength.set(k, []).get(k))!.push(r);
  }
  for (const group of byLength.values()) {
    const distinct = group.filter((r, i) => group.findIndex((o) => o.sha256 === r.sha256) === i);
    if (distinct.length < 2) continue;
    const audio = await Promise.all(distinct.map((r) => decodeChannels(r.path).then((d) => d.channels[0]).catch(() => null)));
    for (let i = 0; i < distinct.length; i++) {
      for (let j = i + 1; j < distinct.length; j++) {
        const [a, b] = [audio[i], audio[j]];
        if (a && b && a.length === b.length && maxAbsDiff(a, b) <= SAME_AUDIO_TOLERANCE) {
          for (const r of group) if (r.sha256 === distinct[j].sha256) content.set(r, content.get(distinct[i]) as string);
        }
      }
    }
  }
  return content;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Files with the same content (bytes or audio) are one performance, whatever their names say. */
function mergeIdenticalFiles(rows: ManifestRow[], content: Map<ManifestRow, string>): void {
  const byHash = new Map<string, ManifestRow[]>();
  for (const r of rows) {
    const k = content.get(r) as string;
    (byHash.get(k) ?? byHash.set(k, []).get(k))!.push(r);
  }
  // Merges chain (a = b by hash, b = c by name …), hence sets rather than pairs.
  const sets = new UnionFind();
  for (const group of byHash.values()) for (const r of group.slice(1)) sets.union(group[0].performance, r.performance);
  for (const r of rows) r.performance = sets.find(r.performance);
}

function findProblems(rows: ManifestRow[], content: Map<ManifestRow, string>): DatasetProblem[] {
  const problems: DatasetProblem[] = [];
  const byPerformance = new Map<string, ManifestRow[]>();
  for (const r of rows) (byPerformance.get(r.performance) ?? byPerformance.set(r.performance, []).get(r.performance))!.push(r);
  for (const group of byPerformance.values()) {
    if (group.length < 2) continue;
    const identical = new Set(group.map((r) => content.get(r))).size < group.length;
    problems.push({
      code: 'DUPLICATE_PERFORMANCE',
      files: group.map((r) => r.relPath),
      message: identical
        ? 'identical audio (byte-identical, or equal up to dither): one performance; kept together on one side of every split'
        : 'copies of one performance (e.g. audio-only and audio from video): kept together on one side of every split',
    });
  }
  const labelsBySpeaker = new Map<string, Set<string>>();
  const unknown: string[] = [];
  for (const r of rows) {
    if (!r.speaker) unknown.push(r.relPath);
    else (labelsBySpeaker.get(r.speaker) ?? labelsBySpeaker.set(r.speaker, new Set()).get(r.speaker))!.add(r.label);
  }
  for (const [speaker, labels] of labelsBySpeaker) {
    if (labels.size === 1) {
      problems.push({ code: 'SINGLE_LABEL_SPEAKER', files: rows.filter((r) => r.speaker === speaker).map((r) => r.relPath), message: `speaker ${speaker} has only the label "${[...labels][0]}": a split by speaker cannot test that speaker across emotions` });
    }
  }
  if (unknown.length) {
    problems.push({ code: 'UNKNOWN_SPEAKER', files: unknown, message: `${unknown.length} file(s) have no speaker: evaluation cannot keep their speakers apart; give a speaker pattern (a regular expression on the path) or a speaker column` });
  }
  return problems;
}
